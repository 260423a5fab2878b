import Foundation
import ScriptHost

/// Line editing, history and Tab completion for the REPL, through libedit (`LibEdit`, loaded
/// when the interactive REPL starts).
///
/// libedit's completion hook is a C function pointer, so the library and the current completer
/// are kept in process-wide slots; there is only ever one REPL per process. libedit opens the
/// history file itself (following links), so the file is used only while `ReplHistory.isSafe`
/// holds — checked before the read and before every write.
final class LineEditor {
    nonisolated(unsafe) private static var edit: LibEdit?
    nonisolated(unsafe) private static var completer: ((String) -> [String])?
    nonisolated(unsafe) private static var candidates: [String] = []
    nonisolated(unsafe) private static var cursor = 0

    private let edit: LibEdit
    private let history: ReplHistory?

    /// Edits lines with `edit` (`LibEdit.load()`) and reads the history.
    init(edit: LibEdit, history: ReplHistory?, completer: @escaping (String) -> [String]) {
        self.edit = edit
        self.history = history
        LineEditor.edit = edit
        LineEditor.completer = completer
        // Word breaks without '.' and ':', so `agreements.fi` and `a:up` complete as one word.
        if let breaks = strdup(" \t\n\"\\'`@$><=;|&{(,+-*/%^~#[]") { edit.setWordBreaks(breaks) }
        edit.setCompletion { text, _, _ in
            LineEditor.candidates = LineEditor.completer?(text.map { String(cString: $0) } ?? "") ?? []
            if LineEditor.candidates.isEmpty { return nil }
            return LineEditor.edit?.completionMatches(text) { _, state in
                if state == 0 { LineEditor.cursor = 0 }
                guard LineEditor.cursor < LineEditor.candidates.count else { return nil }
                defer { LineEditor.cursor += 1 }
                return strdup(LineEditor.candidates[LineEditor.cursor])
            }
        }
        edit.stifleHistory(1000)
        if let history, history.isSafe { _ = edit.readHistory(history.path) }
    }

    /// One line as typed (its bytes: Lua reads them as they are), or nil at end of input (Ctrl-D).
    func readLine(prompt: String) -> [UInt8]? {
        guard let raw = edit.readline(prompt) else { return nil }
        defer { free(raw) }
        let bytes = Array(UnsafeRawBufferPointer(start: raw, count: strlen(raw)))
        let line = String(cString: raw)
        if !line.trimmingCharacters(in: .whitespaces).isEmpty {
            _ = edit.addHistory(line)
            if let history, history.isSafe { _ = edit.writeHistory(history.path) }
        }
        return bytes
    }
}
