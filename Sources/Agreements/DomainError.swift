/// What the domain refuses, by the error class the CLI reports (DESIGN.md, "Errors and exit codes").
public enum DomainError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Data breaks a rule; the message says which and cites its source.
    case validation(String)
    /// The acting user lacks the role for the action.
    case permission(String)
    /// No such agreement (or user, document, …).
    case notFound(String)

    public var description: String {
        switch self {
        case let .validation(message), let .permission(message), let .notFound(message): return message
        }
    }
}
