import Glibc
import LuaKit

/// Where the CLI sends what scripts print and what it prints of their values.
///
/// Standard output gets the text as written when it is a pipe or a file (scripts write reports
/// other programs read); on a terminal, control characters other than newline and tab are shown
/// escaped, so a script cannot move the cursor or rewrite what the host printed. (`log.*` lines
/// and errors go to standard error escaped always: `ScriptSession.standardErrorLog`, `ErrorReport`.)
enum ScriptOutput {
    static let stdoutIsTerminal = isatty(STDOUT_FILENO) != 0

    static func print(_ text: String) {
        Swift.print(stdoutIsTerminal ? TerminalText.lines(text) : text)
    }
}
