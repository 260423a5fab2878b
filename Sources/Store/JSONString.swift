/// Sinergi's one JSON string escaper: the audit snapshots, the stored lists and the workspace's
/// canonical configuration summary all write their string literals through it.
public enum JSONString {
    /// How control characters other than `\n \r \t` are written. The two forms mean the same
    /// JSON, but stored bytes are hashed, so each writer keeps the form it has always written.
    public enum ControlEscapes: Sendable {
        /// `\u0008`, `\u000c`: what audit rows, exports and stored lists hold.
        case unicode
        /// `\b`, `\f`: what Foundation's `JSONEncoder` writes, which the configuration summary
        /// must equal.
        case short
    }

    /// Appends `text` as a JSON string literal: `"` and `\` escaped, control characters as
    /// `controls` says; `/` and non-ASCII left as they are. JSON is built as bytes: appending to
    /// a `String` piece by piece cost the audit snapshots more than the rest of a transition's
    /// Swift work on them.
    public static func append(_ text: String, to out: inout [UInt8], controls: ControlEscapes = .unicode) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            // Copied in runs between the bytes that need an escape: most text has none.
            var runStart = 0
            for index in bytes.indices {
                let byte = bytes[index]
                if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                    out.append(contentsOf: escape(byte, controls: controls).utf8)
                    runStart = index + 1
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `text` as a JSON string literal.
    public static func literal(_ text: String, controls: ControlEscapes = .unicode) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 2)
        append(text, to: &out, controls: controls)
        return String(decoding: out, as: UTF8.self)
    }

    private static func escape(_ byte: UInt8, controls: ControlEscapes) -> String {
        switch byte {
        case UInt8(ascii: "\""): return "\\\""
        case UInt8(ascii: "\\"): return "\\\\"
        case UInt8(ascii: "\n"): return "\\n"
        case UInt8(ascii: "\r"): return "\\r"
        case UInt8(ascii: "\t"): return "\\t"
        case 0x08 where controls == .short: return "\\b"
        case 0x0C where controls == .short: return "\\f"
        default:
            let hex = String(byte, radix: 16)
            return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        }
    }
}
