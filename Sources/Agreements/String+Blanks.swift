/// Blanks as Foundation's character sets define them, checked and trimmed on Unicode scalars
/// without bridging to NSString as `trimmingCharacters(in:)` does on Linux: the rules run on
/// every write (a workflow transition's included) and an import trims every cell it reads.
extension String {
    /// Nothing but spaces and tabs (`CharacterSet.whitespaces`: category Zs, U+0009 and U+200B).
    public var isBlank: Bool { unicodeScalars.allSatisfy { Self.isBlank($0, newlines: false) } }

    /// Without leading and trailing blanks: `CharacterSet.whitespacesAndNewlines`, or with
    /// `newlines: false` `CharacterSet.whitespaces`.
    public func trimmingBlanks(newlines: Bool = true) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !Self.isBlank($0, newlines: newlines) }),
              let last = scalars.lastIndex(where: { !Self.isBlank($0, newlines: newlines) }) else { return "" }
        return String(scalars[first...last])
    }

    /// Zs, tab and the zero-width space (Foundation counts it); with `newlines` also U+000A–U+000D,
    /// U+0085, U+2028 and U+2029 (`CharacterSet.newlines`).
    static func isBlank(_ scalar: Unicode.Scalar, newlines: Bool) -> Bool {
        // ASCII without a property lookup: of it, only the space is Zs.
        if scalar.isASCII { return scalar == " " || scalar == "\t" || (newlines && ("\n"..."\r").contains(scalar)) }
        if scalar == "\u{200B}" { return true }
        if newlines, ("\n"..."\r").contains(scalar) || scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}" { return true }
        return scalar.properties.generalCategory == .spaceSeparator
    }
}

extension StringProtocol {
    /// Whether the text starts or ends with a blank — what `trimmingBlanks(newlines:)` would
    /// remove — looking at its first and last scalars only, without making the trimmed copy.
    public func hasBlankEnds(newlines: Bool = true) -> Bool {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return false }
        return String.isBlank(first, newlines: newlines) || String.isBlank(last, newlines: newlines)
    }
}
