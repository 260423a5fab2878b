/// Text a script controls, made safe to show on a terminal or to write as a log line.
///
/// A script decides the text of its errors, its `log.*` lines and its printed values. Raw, an
/// ESC or CR in them can move the cursor and overwrite what the host printed (`error[timeout]`
/// made to read as something else), and a newline can start a forged `error[forbidden]` line.
/// Control characters (C0, DEL, C1) and the bidirectional overrides are shown as Lua escapes.
public enum TerminalText {
    /// One line: newlines and tabs are escaped too.
    public static func line(_ text: String) -> String { escape(text, keepingLayout: false) }

    /// Several lines: newlines and tabs stay, every other control character is escaped.
    public static func lines(_ text: String) -> String { escape(text, keepingLayout: true) }

    static func escape(_ text: String, keepingLayout: Bool) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepingLayout) }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar, keepingLayout) else { result.unicodeScalars.append(scalar); continue }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default: result += scalar.value < 0x100 ? "\\\(scalar.value)" : "\\u{\(String(scalar.value, radix: 16))}"
            }
        }
        return result
    }

    @inline(__always)
    static func needsEscape(_ scalar: Unicode.Scalar, _ keepingLayout: Bool) -> Bool {
        let value = scalar.value
        if value < 0x20 { return !(keepingLayout && (value == 0x0A || value == 0x09)) }
        if value < 0x7F { return false }
        return value <= 0x9F || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
    }
}
