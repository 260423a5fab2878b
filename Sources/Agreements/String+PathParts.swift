extension String {
    /// The parts of a `/`-separated path, split at each `/` byte.
    ///
    /// `split(separator: "/")` compares Characters, and a `/` followed by a combining mark is one
    /// Character that is not `/`: `"../\u{301}x"` came out as one part, not `..`, and reached the
    /// file system as a step out of the folder it was checked against.
    public func pathParts(omittingEmpty: Bool = true) -> [String] {
        // A `/` byte never falls inside a scalar's encoding, so each part is whole UTF-8.
        utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: omittingEmpty).map { String(Substring($0)) }
    }
}
