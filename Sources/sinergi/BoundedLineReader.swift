import Foundation

/// Reads lines from a file descriptor, keeping at most `limit` bytes of each.
///
/// `Swift.readLine` holds a whole line however long it is: piped to `sinergi repl`, one line of
/// hundreds of megabytes was held, then copied several times to be parsed, all outside the
/// script's memory cap. Past `limit` bytes a line's rest is read and dropped, so the line handed
/// on is at most `limit + 1` bytes — long enough for its reader to see that it was too long.
/// Line ends are `\n` or `\r\n`, taken off as `readLine(strippingNewline: true)` does. A line is
/// its bytes, UTF-8 or not: Lua reads source as bytes, and the REPL loads what was typed.
///
///     var reader = BoundedLineReader(descriptor: STDIN_FILENO, limit: ReplSession.maximumInputBytes)
///     while let line = reader.next() { … }
struct BoundedLineReader {
    let descriptor: Int32
    let limit: Int
    private var chunk = [UInt8](repeating: 0, count: 64 << 10)
    private var start = 0
    private var end = 0
    private var finished = false

    init(descriptor: Int32, limit: Int) {
        self.descriptor = descriptor
        self.limit = limit
    }

    /// The next line, or nil at the end of input (a last line without `\n` is still a line).
    mutating func next() -> [UInt8]? {
        var line: [UInt8] = []
        var sawAny = false
        while true {
            if start == end {
                guard !finished, refill() else { break }
            }
            sawAny = true
            let newline: Int? = chunk.withUnsafeBytes { bytes in
                memchr(bytes.baseAddress! + start, Int32(UInt8(ascii: "\n")), end - start)
                    .map { $0 - UnsafeMutableRawPointer(mutating: bytes.baseAddress!) }
            }
            let stop = newline ?? end
            let room = max(0, limit + 1 - line.count)
            line.append(contentsOf: chunk[start..<min(stop, start + room)])
            if let newline {
                start = newline + 1
                if line.last == UInt8(ascii: "\r") && line.count <= limit { line.removeLast() }
                return line
            }
            start = end
        }
        return sawAny ? line : nil
    }

    /// Reads the next chunk; false at the end of input or on an error.
    private mutating func refill() -> Bool {
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                finished = true
                return false
            }
            start = 0
            end = count
            return true
        }
    }
}
