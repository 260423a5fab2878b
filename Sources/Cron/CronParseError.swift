/// A cron expression that does not parse: which field, where, and what is wrong.
///
/// `position` is the 1-based character position in the expression as given, so an editor or a
/// person can count to it; `field` is `minute`, `hour`, `day-of-month`, `month`, `day-of-week`,
/// or `expression` for mistakes that are no one field's (the number of fields, `@reboot`).
///
///     cron: day-of-week field at position 11: 'xyz' is not a day name (sun–sat or 0–7)
public struct CronParseError: Error, CustomStringConvertible, Sendable, Equatable {
    public let field: String
    public let position: Int
    public let message: String

    public init(field: String, position: Int, message: String) {
        self.field = field
        self.position = position
        self.message = message
    }

    public var description: String {
        field == CronParseError.wholeExpression
            ? "cron: at position \(position): \(message)"
            : "cron: \(field) field at position \(position): \(message)"
    }

    /// The `field` of a mistake that belongs to no one field.
    static let wholeExpression = "expression"
}
