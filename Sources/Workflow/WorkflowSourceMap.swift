import Foundation

/// Where a definition's parts are written: in its own file, or in the `lib` module whose function
/// builds them (`dprd_review.states(…)` returning the DPRD step's states), so that `workflow check`
/// points at the line to edit wherever it is.
struct WorkflowSourceMap {
    struct Location: Equatable {
        var file: String
        var line: Int?
    }

    struct Source {
        var file: String
        var lines: SourceLines
    }

    /// The definition's file first, then its modules by name.
    let sources: [Source]

    /// The sources of `workflow`: its file, and each module it requires as a file of `libFolder`.
    init(_ workflow: LoadedWorkflow, libFolder: URL) {
        var sources = [Source(file: workflow.files.chunkName, lines: SourceLines(workflow.files.source))]
        for name in workflow.files.modules.keys.sorted() {
            let file = libFolder.appendingPathComponent(name.replacingOccurrences(of: ".", with: "/") + ".lua").path
            sources.append(Source(file: file, lines: SourceLines(workflow.files.modules[name] ?? [])))
        }
        self.sources = sources
    }

    var definition: Source { sources[0] }

    /// The keys a state's table may have: how a table built in a module is told to be a state.
    static let stateKeys: Set<String> = ["on", "stage", "status", "final", "deadline", "on_enter", "on_exit"]

    /// The state's table: under `states = { … }` of any source, else a table of that name with a
    /// state's keys in a module, else the line the reading found (by text, in the definition).
    func state(_ name: String, read line: Int?) -> Location {
        for source in sources {
            if let found = source.lines.line(at: ["states", name]) { return Location(file: source.file, line: found) }
        }
        for source in sources.dropFirst() {
            if let found = source.lines.line(ofTable: name, having: WorkflowSourceMap.stateKeys) {
                return Location(file: source.file, line: found)
            }
        }
        return Location(file: definition.file, line: line)
    }

    /// The field at `path` (a suffix: `[state, "on", event]`) in the first source declaring it.
    func field(_ path: [String], otherwise: Location) -> Location {
        for source in sources {
            if let found = source.lines.line(at: path) { return Location(file: source.file, line: found) }
        }
        return otherwise
    }

    /// Where the string `value` is given to the field at `path`.
    func value(_ value: String, at path: [String], otherwise: Location) -> Location {
        for source in sources {
            if let found = source.lines.line(ofValue: value, at: path) { return Location(file: source.file, line: found) }
        }
        return otherwise
    }
}
