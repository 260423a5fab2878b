/// Lua source split into names, strings, numbers and punctuation, each with its line; comments
/// and white space dropped. Just enough of Lua's lexer for `SourceLines` to follow a definition's
/// tables: a string's text is kept as written (escapes are not decoded), and malformed input
/// (an unclosed string) ends the scan without failing — the file was already evaluated by Lua.
struct LuaTokens {
    enum Kind { case name, string, number, punct }

    struct Token {
        var kind: Kind
        var text: String
        var line: Int

        func isPunct(_ text: String) -> Bool { kind == .punct && self.text == text }
    }

    private(set) var tokens: [Token] = []
    private let bytes: [UInt8]
    private var position = 0
    private var line = 1

    init(_ source: [UInt8]) {
        bytes = source
        while let token = next() { tokens.append(token) }
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        position + offset < bytes.count ? bytes[position + offset] : nil
    }

    private mutating func advance() {
        if bytes[position] == UInt8(ascii: "\n") { line += 1 }
        position += 1
    }

    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == UInt8(ascii: "_")
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    private mutating func next() -> Token? {
        while let byte = peek() {
            let start = position, startLine = line
            func text() -> String { String(decoding: bytes[start..<position], as: UTF8.self) }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), 0x0B, 0x0C:
                advance()
            case UInt8(ascii: "-") where peek(1) == UInt8(ascii: "-"):
                position += 2
                if let level = longBracketLevel() { skipLongBracket(level) } else { while let c = peek(), c != UInt8(ascii: "\n") { advance() } }
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                advance()
                let contentStart = position
                while let c = peek(), c != byte, c != UInt8(ascii: "\n") {
                    if c == UInt8(ascii: "\\"), position + 1 < bytes.count { advance() }
                    advance()
                }
                let content = String(decoding: bytes[contentStart..<position], as: UTF8.self)
                if peek() == byte { advance() }
                return Token(kind: .string, text: content, line: startLine)
            case UInt8(ascii: "["):
                guard let level = longBracketLevel() else { advance(); return Token(kind: .punct, text: "[", line: startLine) }
                let contentStart = position
                let contentEnd = skipLongBracket(level)
                return Token(kind: .string, text: String(decoding: bytes[contentStart..<contentEnd], as: UTF8.self), line: startLine)
            case _ where LuaTokens.isNameStart(byte):
                while let c = peek(), LuaTokens.isNameStart(c) || LuaTokens.isDigit(c) { advance() }
                return Token(kind: .name, text: text(), line: startLine)
            case _ where LuaTokens.isDigit(byte) || (byte == UInt8(ascii: ".") && peek(1).map(LuaTokens.isDigit) == true):
                while let c = peek() {
                    let exponent = c == UInt8(ascii: "+") || c == UInt8(ascii: "-")
                    if exponent, let last = bytes[..<position].last, "eEpP".utf8.contains(last) { advance(); continue }
                    guard LuaTokens.isNameStart(c) || LuaTokens.isDigit(c) || c == UInt8(ascii: ".") else { break }
                    advance()
                }
                return Token(kind: .number, text: text(), line: startLine)
            default:
                advance()
                // Two-character operators, so that `==` is never read as a field's `=`.
                if let second = peek(), ["==", "~=", "<=", ">=", "..", "::", "//", "<<", ">>"].contains(
                    String(decoding: [byte, second], as: UTF8.self)) {
                    advance()
                }
                return Token(kind: .punct, text: text(), line: startLine)
            }
        }
        return nil
    }

    /// At `[` followed by `=`* and `[`: consumes the opener and returns its level.
    private mutating func longBracketLevel() -> Int? {
        guard peek() == UInt8(ascii: "[") else { return nil }
        var level = 0
        while peek(1 + level) == UInt8(ascii: "=") { level += 1 }
        guard peek(1 + level) == UInt8(ascii: "[") else { return nil }
        position += level + 2
        return level
    }

    /// Skips to the closing `]` `=`×level `]`; returns where the content ended.
    @discardableResult
    private mutating func skipLongBracket(_ level: Int) -> Int {
        while position < bytes.count {
            if peek() == UInt8(ascii: "]") {
                var equals = 0
                while peek(1 + equals) == UInt8(ascii: "=") { equals += 1 }
                if equals == level, peek(1 + level) == UInt8(ascii: "]") {
                    let end = position
                    position += level + 2
                    return end
                }
            }
            advance()
        }
        return position
    }
}
