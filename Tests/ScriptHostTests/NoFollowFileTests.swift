import Foundation
import Testing
@testable import ScriptHost

@Suite struct NoFollowFileTests {
    /// A "/" followed by a combining mark is one Character that is not "/": split by Character,
    /// "../\u{301}x" was one harmless-looking part, and the file landed beside the folder.
    @Test func aStepUpIsRefusedWhateverFollowsTheSlash() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-nofollow-\(UUID().uuidString)")
        let inside = folder.appendingPathComponent("ws")
        try FileManager.default.createDirectory(at: inside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for path in ["../\u{301}x", "a/../\u{301}b", "./x"] {
            #expect(throws: (any Error).self, "\(path)") { try NoFollowFile.write(Data("x".utf8), to: path, under: inside) }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["ws"])
        try NoFollowFile.write(Data("x".utf8), to: "sub/\u{301}ok", under: inside)
        #expect(FileManager.default.fileExists(atPath: inside.appendingPathComponent("sub/\u{301}ok").path))
    }
}
