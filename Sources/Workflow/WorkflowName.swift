/// The one rule for the names a workflow deals in — states, events, outcomes, timers — whoever
/// writes them: a definition, `ctx.timer{…}`, a script's `a:fire`, a command line.
///
/// A name is kept in the database (instances, history, tasks, timers), echoed in messages and
/// printed in tables and graphs, so it is short ASCII without control characters or spaces: a
/// definition with any other name is a defect `workflow check` reports, and the engine refuses
/// to run it — otherwise an event no one could type (`a:fire` refuses such a name) would be
/// written into tasks and timers that can never be fired.
enum WorkflowName {
    /// The longest name, in bytes.
    static let maximumLength = 100

    /// ASCII letters, digits and `_`, 1 to `maximumLength` bytes.
    static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= maximumLength
            && name.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F }
    }

    /// What the rule says, for messages.
    static let rule = "ASCII letters, digits and '_', at most \(maximumLength) bytes"

    /// `text` quoted as a message may echo it: at most `limit` bytes (then `…`), so a name or a
    /// value a script made huge cannot make a message, a log line or a history note huge.
    /// (Control characters are escaped where messages are printed: `TerminalText`.)
    static func shown(_ text: String, limit: Int = 60) -> String { "'" + bounded(text, limit: limit) + "'" }

    /// `text` cut to `limit` bytes (`String.bounded(toBytes:)`): for free text a script controls
    /// that is kept (a failure's note) or echoed (a guard's reason).
    static func bounded(_ text: String, limit: Int) -> String { text.bounded(toBytes: limit) }
}
