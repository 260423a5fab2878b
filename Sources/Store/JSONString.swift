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
    /// `controls` says; `/` and non-ASCII left as they are.
    public static func append(_ text: String, to out: inout String, controls: ControlEscapes = .unicode) {
        out += "\""
        // Text is copied in runs between the bytes that need an escape (all ASCII, so every run
        // ends on a character boundary): most text has none and is appended whole.
        let utf8 = text.utf8
        var runStart = utf8.startIndex
        var index = runStart
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out += text[runStart..<index]
                out += escape(byte, controls: controls)
                runStart = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        out += text[runStart..<utf8.endIndex]
        out += "\""
    }

    /// `text` as a JSON string literal.
    public static func literal(_ text: String, controls: ControlEscapes = .unicode) -> String {
        var out = ""
        append(text, to: &out, controls: controls)
        return out
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
