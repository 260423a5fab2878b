/// Text a record keeps of what happened — a failure's message, a channel's error — whose words a
/// script or a program chose. SQLite's text binding (GRDB passes length −1) ends a value at its
/// first NUL, so a message holding one would be kept cut short, and a history line would differ
/// from its audited text. Such text is kept with each NUL shown as "␀" instead.
extension String {
    var recordable: String {
        guard utf8.contains(0) else { return self }
        return String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\u{0}" ? "\u{2400}" : $0 }))
    }
}
