import SinergiZlib
import Foundation

/// The entries of a ZIP archive held in memory, read with every length and offset checked
/// against its bytes: what a workbook is (stored and deflated entries; no ZIP64, no encryption).
///
/// Sinergi's own reader, for the archives people send it: ZIPFoundation's traps — stops the
/// process — when an entry's offset points past the end of the data it reads from memory
/// (weichsel/ZIPFoundation#394), and from a file it inflates a stream that never ends for ever
/// (at the end of the file it is handed empty chunks and asks again). Here a hostile archive is a
/// `ReadError`. ZIPFoundation still writes the workbooks Sinergi exports.
///
///     let zip = try ZIPReader(data)
///     let sheet = try zip.contents(of: "xl/worksheets/sheet1.xml", limit: 1 << 20)
struct ZIPReader {
    struct Entry {
        let method: Int
        let flags: Int
        let compressedSize: Int
        let uncompressedSize: Int
        let localHeaderOffset: Int
    }

    private let bytes: [UInt8]
    /// The entries by name. A name that repeats is refused: which copy counts would be each
    /// reader's guess, so what Excel shows and what is imported could differ.
    private(set) var entries: [String: Entry] = [:]

    init(_ data: Data) throws {
        bytes = [UInt8](data)
        guard bytes.count >= 22 else { throw Self.notZIP }
        // The end-of-central-directory record: 22 bytes and a comment of up to 65,535, at the end.
        let lowest = max(0, bytes.count - 22 - 65_535)
        var end = bytes.count - 22
        while end >= lowest, try u32(at: end) != 0x0605_4B50 { end -= 1 }
        guard end >= lowest else { throw Self.notZIP }
        let count = try u16(at: end + 10)
        let directorySize = try u32(at: end + 12)
        var position = try u32(at: end + 16)
        guard count != 0xFFFF, directorySize != 0xFFFF_FFFF, position != 0xFFFF_FFFF,
              position <= end, directorySize <= end - position else { throw Self.notZIP }
        for _ in 0..<count {
            guard try u32(at: position) == 0x0201_4B50 else { throw Self.malformed("a central directory entry is not where its directory says") }
            let nameLength = try u16(at: position + 28), extraLength = try u16(at: position + 30), commentLength = try u16(at: position + 32)
            let name = try slice(at: position + 46, count: nameLength)
            let entry = Entry(method: try u16(at: position + 10), flags: try u16(at: position + 8),
                              compressedSize: try u32(at: position + 20), uncompressedSize: try u32(at: position + 24),
                              localHeaderOffset: try u32(at: position + 42))
            let decoded = String(decoding: name, as: UTF8.self)
            guard entries.updateValue(entry, forKey: decoded) == nil else { throw Self.malformed("it holds \(decoded) twice") }
            position += 46 + nameLength + extraLength + commentLength
        }
    }

    /// The bytes of entry `name`, inflated; nil when there is none. Past `limit` bytes it throws
    /// `tooLarge` (checked against the size the entry claims and again while inflating). Bytes,
    /// not `Data`: the scanner reads an array, and a part converted would be held twice.
    func contents(of name: String, limit: Int, tooLarge: @autoclosure () -> Error) throws -> [UInt8]? {
        guard let entry = entries[name] else { return nil }
        guard entry.flags & 1 == 0 else { throw Self.malformed("\(name) is encrypted") }
        guard entry.compressedSize != 0xFFFF_FFFF, entry.uncompressedSize != 0xFFFF_FFFF else {
            throw Self.malformed("\(name) is a ZIP64 entry, which no workbook needs")
        }
        guard entry.uncompressedSize <= limit else { throw tooLarge() }
        let offset = entry.localHeaderOffset
        guard try u32(at: offset) == 0x0403_4B50 else { throw Self.malformed("\(name) has no local header where the directory says") }
        let start = offset + 30 + (try u16(at: offset + 26)) + (try u16(at: offset + 28))
        let stored = try slice(at: start, count: entry.compressedSize)
        switch entry.method {
        case 0:
            guard stored.count <= limit else { throw tooLarge() }
            return Array(stored)
        case 8:
            return try Self.inflate(stored, limit: limit, name: name, tooLarge: tooLarge())
        default:
            throw Self.malformed("\(name) is compressed with method \(entry.method); a workbook uses deflate")
        }
    }

    /// Raw deflate (no zlib header), `input` whole; a stream that does not end within it is malformed.
    private static func inflate(_ input: ArraySlice<UInt8>, limit: Int, name: String, tooLarge: @autoclosure () -> Error) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw malformed("zlib could not start inflating \(name)")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var status: Int32 = Z_OK
        try input.withUnsafeBytes { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.bindMemory(to: Bytef.self).baseAddress)
            stream.avail_in = uInt(source.count)
            repeat {
                let produced = try chunk.withUnsafeMutableBytes { target -> Int in
                    stream.next_out = target.bindMemory(to: Bytef.self).baseAddress
                    stream.avail_out = uInt(target.count)
                    status = SinergiZlib.inflate(&stream, Z_NO_FLUSH)
                    guard status == Z_OK || status == Z_STREAM_END else {
                        throw malformed("\(name) is not a valid deflate stream")
                    }
                    return target.count - Int(stream.avail_out)
                }
                guard output.count + produced <= limit else { throw tooLarge() }
                output.append(contentsOf: chunk[..<produced])
                // No output and no input left, and not at its end: the stream is cut short.
                if status != Z_STREAM_END, produced == 0, stream.avail_in == 0 {
                    throw malformed("\(name) ends before its deflate stream does")
                }
            } while status != Z_STREAM_END
        }
        return output
    }

    private func u16(at offset: Int) throws -> Int {
        let field = try slice(at: offset, count: 2)
        return Int(field[field.startIndex]) | Int(field[field.startIndex + 1]) << 8
    }

    private func u32(at offset: Int) throws -> Int {
        let field = try slice(at: offset, count: 4)
        return field.reversed().reduce(0) { $0 << 8 | Int($1) }
    }

    private func slice(at offset: Int, count: Int) throws -> ArraySlice<UInt8> {
        guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else {
            throw Self.malformed("a record reaches past the end of the archive")
        }
        return bytes[offset..<(offset + count)]
    }

    static let notZIP = XLSXWorkbook.ReadError(description: "not an .xlsx workbook (not a ZIP archive)")

    static func malformed(_ what: String) -> XLSXWorkbook.ReadError {
        XLSXWorkbook.ReadError(description: "the workbook's ZIP container is damaged: \(what)")
    }
}
