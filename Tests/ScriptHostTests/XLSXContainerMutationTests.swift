import Foundation
import Testing
@testable import ScriptHost

/// Hostile workbook containers: Sinergi reads the ZIP itself (`ZIPReader`) because ZIPFoundation,
/// on the same mutated archives, stopped the process (an offset past the end of the data) or
/// inflated for ever (a deflate stream that never ends). Every mutation here must end, quickly,
/// in rows or a `ReadError`.
@Suite struct XLSXContainerMutationTests {
    static func workbook() throws -> [UInt8] {
        let rows: [[XLSXWorkbook.Cell]] = [[.text("Nomor"), .text("Judul")], [.text("1/2027"), .text("Air bersih")], [.number("12.5"), .text("")]]
        return [UInt8](try XLSXWorkbook.write([XLSXWorkbook.Sheet(name: "Register", rows: rows)]))
    }

    @Test func fiveThousandMutatedWorkbooksAreReadOrRefused() throws {
        let original = try Self.workbook()
        var seed: UInt64 = 42
        func next(_ bound: Int) -> Int {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            return Int((seed >> 33) % UInt64(max(bound, 1)))
        }
        var read = 0, refused = 0
        for _ in 0..<5_000 {
            var bytes = original
            for _ in 0...next(3) {
                let at = next(bytes.count)
                switch next(4) {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: next(256))
                case 1: bytes[at] = [0x00, 0xFF, 0x7F, 0x80][next(4)]
                case 2: for offset in 0..<4 where at + offset < bytes.count { bytes[at + offset] = 0xFF }
                default: bytes.removeSubrange(at..<min(bytes.count, at + next(64)))
                }
            }
            do {
                _ = try XLSXWorkbook.firstSheet(of: Data(bytes), limit: 1 << 20)
                read += 1
            } catch is XLSXWorkbook.ReadError {
                refused += 1
            } catch {
                Issue.record("not a ReadError: \(error)")
            }
        }
        #expect(read + refused == 5_000)
        #expect(refused > 2_000)
    }

    /// The two archives that broke ZIPFoundation: a local header offset past the end, and a
    /// deflate stream cut short (its entry's size says more than the archive holds).
    @Test func anOffsetPastTheEndAndACutStreamAreReadErrors() throws {
        let original = try Self.workbook()
        // The central directory's entry of xl/workbook.xml: its local header offset (at +42) points far away.
        let name = Array("xl/workbook.xml".utf8)
        guard let directory = (0..<(original.count - 46 - name.count)).first(where: {
            original[$0..<($0 + 4)] == [0x50, 0x4B, 0x01, 0x02] && Array(original[($0 + 46)..<($0 + 46 + name.count)]) == name
        }) else {
            Issue.record("no directory entry for xl/workbook.xml")
            return
        }
        var farOffset = original
        for (index, byte) in [0xF0, 0xFF, 0xFF, 0x0F].enumerated() { farOffset[directory + 42 + index] = UInt8(byte) }
        // Every entry keeps its directory, but the bytes of the data are cut from the middle.
        var cut = original
        cut.removeSubrange(40..<(original.count / 2))
        for bytes in [farOffset, cut] {
            #expect(throws: XLSXWorkbook.ReadError.self) { try XLSXWorkbook.firstSheet(of: Data(bytes)) }
        }
    }
}
