import Foundation

/// What an `XMLPartScanner` reports, in document order. Names are as written (`x:row` keeps its
/// prefix), attribute values and text have their references replaced (`&amp;` → `&`).
/// A handler may throw to refuse what it is told (a cell past the reader's budget); the scan
/// stops there with that error.
protocol XMLPartHandler: AnyObject {
    func start(_ name: String, attributes: [String: String]) throws
    func characters(_ text: String) throws
    func end(_ name: String) throws
}

/// Reads the XML of one workbook part (SpreadsheetML is UTF-8 XML without a DTD) and reports its
/// elements and text to a handler.
///
/// Sinergi's own reader, not Foundation's `XMLParser`: that one is FoundationXML over libxml2,
/// which loads libxml2, ICU and liblzma into every run of the CLI — about a millisecond of each
/// cold start — for the one command that imports a workbook. A workbook part needs elements,
/// attributes, text, the five predefined entities and character references; so those are read,
/// and a document type declaration is refused outright (no entity is ever expanded, so no entity
/// bomb), as is anything not well-formed: unbalanced tags, a stray `&` or `<`, a repeated
/// attribute, bytes that are not UTF-8. CDATA sections are text; comments and processing
/// instructions are skipped. What a part can make the scanner hold is bounded by the part's size
/// and two caps: elements nest at most `maximumDepth` deep and carry at most `maximumAttributes`
/// (a part of `<a>` repeated, or of one element with millions of attributes, would otherwise
/// cost many times its size in names kept).
///
///     try XMLPartScanner(bytes).scan(into: handler)   // ReadError naming the line when malformed
struct XMLPartScanner {
    /// Deeper than any SpreadsheetML part (a sheet's text is seven elements down); libxml2's
    /// default limit is 256 as well.
    static let maximumDepth = 256
    /// More than any element of a workbook carries, namespace declarations included.
    static let maximumAttributes = 256

    private let bytes: [UInt8]
    private var position = 0

    /// Takes the part's bytes as they are (no copy) unless they hold a CR to normalise.
    init(_ bytes: [UInt8]) {
        var bytes = bytes
        // A UTF-8 byte-order mark is allowed before the declaration: skipped, not removed.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        // Line ends are read as LF, as XML 1.0 §2.11 says (CR LF and a lone CR alike).
        if bytes.contains(0x0D) {
            var normalized: [UInt8] = []
            normalized.reserveCapacity(bytes.count)
            for (index, byte) in bytes.enumerated() where byte != 0x0D || index + 1 == bytes.count || bytes[index + 1] != 0x0A {
                normalized.append(byte == 0x0D ? 0x0A : byte)
            }
            bytes = normalized
        }
        self.bytes = bytes
    }

    /// Reports the whole part to `handler`; a `ReadError` for anything not well-formed.
    mutating func scan(into handler: XMLPartHandler) throws {
        var open: [String] = []
        var seenRoot = false
        while position < bytes.count {
            if bytes[position] != UInt8(ascii: "<") {
                let text = try decoded(until: UInt8(ascii: "<"), inAttribute: false)
                if open.isEmpty {
                    guard text.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\n" }) else { throw malformed("text outside the root element") }
                } else {
                    try handler.characters(text)
                }
            } else if take("<?") {
                try skip(past: "?>")
            } else if take("<!--") {
                try skip(past: "-->")
            } else if take("<![CDATA[") {
                let start = position
                try skip(past: "]]>")
                guard !open.isEmpty else { throw malformed("text outside the root element") }
                try handler.characters(try utf8(bytes[start..<(position - 3)]))
            } else if take("<!") {
                throw malformed("a document type declaration (<!DOCTYPE …>), which no workbook part has")
            } else if take("</") {
                let name = try self.name()
                skipSpace()
                guard take(">") else { throw malformed("'>' expected after </\(name)") }
                guard open.popLast() == name else { throw malformed("</\(name)> does not close the open element") }
                try handler.end(name)
            } else {
                position += 1
                guard open.isEmpty ? !seenRoot : true else { throw malformed("a second root element") }
                let name = try self.name()
                let attributes = try self.attributes(of: name)
                seenRoot = true
                try handler.start(name, attributes: attributes)
                if take("/>") {
                    try handler.end(name)
                } else {
                    guard take(">") else { throw malformed("'>' expected in <\(name)") }
                    guard open.count < Self.maximumDepth else {
                        throw malformed("elements nested more than \(Self.maximumDepth) deep, which no workbook part is")
                    }
                    open.append(name)
                }
            }
        }
        guard seenRoot, open.isEmpty else { throw malformed(seenRoot ? "the part ends inside <\(open.last ?? "")>" : "no root element") }
    }

    /// Attributes up to (not including) `>` or `/>`.
    private mutating func attributes(of element: String) throws -> [String: String] {
        var attributes: [String: String] = [:]
        while true {
            let spaced = skipSpace()
            guard position < bytes.count else { throw malformed("the part ends inside <\(element)") }
            if bytes[position] == UInt8(ascii: ">") || bytes[position] == UInt8(ascii: "/") { return attributes }
            guard spaced else { throw malformed("space expected between the attributes of <\(element)>") }
            guard attributes.count < Self.maximumAttributes else {
                throw malformed("<\(element)> has more than \(Self.maximumAttributes) attributes, which no workbook element has")
            }
            let name = try self.name()
            skipSpace()
            guard take("=") else { throw malformed("'=' expected after the attribute \(name)") }
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'") else {
                throw malformed("a quoted value expected for the attribute \(name)")
            }
            let quote = bytes[position]
            position += 1
            let value = try decoded(until: quote, inAttribute: true)
            guard take(quote) else { throw malformed("the value of \(name) is not closed") }
            guard attributes.updateValue(value, forKey: name) == nil else { throw malformed("the attribute \(name) is repeated") }
        }
    }

    /// Text up to `terminator` (or the end), its references replaced; `<` is refused in it, and
    /// in an attribute value whitespace becomes a space (XML 1.0 §3.3.3).
    private mutating func decoded(until terminator: UInt8, inAttribute: Bool) throws -> String {
        // Most text has no reference and no line end to normalise: read it in place.
        let start = position
        var end = start
        while end < bytes.count, bytes[end] != terminator {
            let byte = bytes[end]
            if byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || (inAttribute && (byte == 0x09 || byte == 0x0A)) { break }
            end += 1
        }
        if end == bytes.count || bytes[end] == terminator {
            position = end
            return try utf8(bytes[start..<end])
        }
        var out = Array(bytes[start..<end])
        position = end
        while position < bytes.count, bytes[position] != terminator {
            let byte = bytes[position]
            if byte == UInt8(ascii: "<") { throw malformed("'<' in an attribute value") }
            if byte == UInt8(ascii: "&") {
                out += try reference()
                continue
            }
            out.append(inAttribute && (byte == 0x09 || byte == 0x0A) ? 0x20 : byte)
            position += 1
        }
        return try utf8(out[...])
    }

    /// `&name;` or `&#N;` / `&#xH;` at the current position, as UTF-8.
    private mutating func reference() throws -> [UInt8] {
        guard let semicolon = bytes[position...].prefix(12).firstIndex(of: UInt8(ascii: ";")) else {
            throw malformed("'&' that starts no entity or character reference")
        }
        let body = String(decoding: bytes[(position + 1)..<semicolon], as: UTF8.self)
        let scalar: Unicode.Scalar?
        switch body {
        case "lt": scalar = "<"
        case "gt": scalar = ">"
        case "amp": scalar = "&"
        case "quot": scalar = "\""
        case "apos": scalar = "'"
        default:
            let hex = body.hasPrefix("#x"), decimal = !hex && body.hasPrefix("#")
            let digits = body.dropFirst(hex ? 2 : 1)
            scalar = hex || decimal ? UInt32(digits, radix: hex ? 16 : 10).flatMap(Unicode.Scalar.init) : nil
        }
        guard let scalar, scalar.value == 0x09 || scalar.value == 0x0A || scalar.value == 0x0D || scalar.value >= 0x20,
              scalar.value != 0xFFFE, scalar.value != 0xFFFF else {
            throw malformed("&\(body); is not a reference XML allows here")
        }
        position = semicolon + 1
        return Array(String(scalar).utf8)
    }

    /// An element or attribute name: everything up to whitespace or markup.
    private mutating func name() throws -> String {
        let start = position
        while position < bytes.count, !Self.endsName(bytes[position]) { position += 1 }
        guard position > start else { throw malformed("a name expected") }
        return try utf8(bytes[start..<position])
    }

    private static func endsName(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, UInt8(ascii: "/"), UInt8(ascii: ">"), UInt8(ascii: "<"), UInt8(ascii: "="),
             UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "&"): return true
        default: return false
        }
    }

    /// Skips whitespace; whether there was any.
    @discardableResult
    private mutating func skipSpace() -> Bool {
        let start = position
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 || bytes[position] == 0x0A { position += 1 }
        return position > start
    }

    /// Consumes `literal` if the input continues with it (compared in place: a tag tests up to
    /// five literals, and a sheet has millions of tags).
    private mutating func take(_ literal: StaticString) -> Bool {
        guard continues(with: literal) else { return false }
        position += literal.utf8CodeUnitCount
        return true
    }

    private func continues(with literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { expected in
            for offset in 0..<count where bytes[position + offset] != expected[offset] { return false }
            return true
        }
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// Moves past the next `terminator`; malformed if there is none.
    private mutating func skip(past terminator: StaticString) throws {
        while position < bytes.count {
            if take(terminator) { return }
            position += 1
        }
        throw malformed("the part ends before '\(terminator)'")
    }

    private func utf8(_ slice: ArraySlice<UInt8>) throws -> String {
        guard let text = String(validating: slice, as: UTF8.self) else { throw malformed("bytes that are not UTF-8") }
        return text
    }

    /// The one error for a part that is not well-formed, with the line it was found on.
    private func malformed(_ what: String) -> XLSXWorkbook.ReadError {
        let line = bytes[..<min(position, bytes.count)].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        return XLSXWorkbook.ReadError(description: "a part of the workbook is not well-formed XML (line \(line): \(what))")
    }
}
