import CEditLine
import Foundation
import ScriptHost

/// Line editing, history and Tab completion for the REPL, through libedit.
///
/// libedit's completion hook is a C function pointer, so the current completer is kept in one
/// process-wide slot; there is only ever one REPL per process. libedit opens the history file
/// itself (following links), so the file is used only while `ReplHistory.isSafe` holds — checked
/// before the read and before every write.
final class LineEditor {
    nonisolated(unsafe) private static var completer: ((String) -> [String])?
    nonisolated(unsafe) private static var candidates: [String] = []

    private let history: ReplHistory?

    init(history: ReplHistory?, completer: @escaping (String) -> [String]) {
        self.history = history
        LineEditor.completer = completer
        // Word breaks without '.' and ':', so `agreements.fi` and `a:up` complete as one word.
        sinergi_rl_set_word_breaks(strdup(" \t\n\"\\'`@$><=;|&{(,+-*/%^~#[]"))
        sinergi_rl_set_completion { text, _, _ in
            LineEditor.candidates = LineEditor.completer?(text.map { String(cString: $0) } ?? "") ?? []
            if LineEditor.candidates.isEmpty { return nil }
            return rl_completion_matches(text) { _, state in
                if state == 0 { LineEditor.cursor = 0 }
                guard LineEditor.cursor < LineEditor.candidates.count else { return nil }
                defer { LineEditor.cursor += 1 }
                return strdup(LineEditor.candidates[LineEditor.cursor])
            }
        }
        stifle_history(1000)
        if let history, history.isSafe { _ = read_history(history.path) }
    }

    nonisolated(unsafe) private static var cursor = 0

    /// One line, or nil at end of input (Ctrl-D).
    func readLine(prompt: String) -> String? {
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        let line = String(cString: raw)
        if !line.trimmingCharacters(in: .whitespaces).isEmpty {
            add_history(line)
            if let history, history.isSafe { _ = write_history(history.path) }
        }
        return line
    }
}
