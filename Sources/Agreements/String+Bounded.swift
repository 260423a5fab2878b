extension String {
    /// This text cut to at most `limit` bytes of UTF-8 at a scalar boundary (never a grapheme's:
    /// one grapheme may be a megabyte of combining marks), ending in `…` when cut: for text a
    /// script controls that a message echoes, a log line prints or a record keeps.
    public func bounded(toBytes limit: Int) -> String {
        guard utf8.count > limit else { return self }
        var cut = String.UnicodeScalarView()
        var bytes = 0
        for scalar in unicodeScalars {
            bytes += UTF8.width(scalar)
            guard bytes <= limit - 3 else { break }
            cut.append(scalar)
        }
        return String(cut) + "…"
    }
}
