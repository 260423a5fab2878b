import Agreements
import Foundation
import LuaKit
import ScriptHost
import Store

/// A definition evaluated in a session: its files (hence its version), its structure, and the
/// table its file returned, whose functions (guards, routes, actions) the engine calls.
public final class LoadedWorkflow {
    public let files: WorkflowFiles
    public let definition: WorkflowDefinition
    /// Shape problems found while reading it (none for a definition the engine may run).
    public let problems: [WorkflowProblem]
    let table: LuaTable
    public let version: String
    /// How `require` is answered while its guards, routes and actions run: from the modules its
    /// version keeps, and no others. A module read from disk there would escape the version's
    /// pin — a guard's `require` returned an edited file's answer, or `scripts/lib`'s.
    let runtimeModules: (String) throws -> ModuleSource.Module?

    init(files: WorkflowFiles, definition: WorkflowDefinition, problems: [WorkflowProblem], table: LuaTable) {
        self.files = files
        self.definition = definition
        self.problems = problems
        self.table = table
        version = files.version
        let kept = files.modules, chunkName = files.chunkName, name = files.name
        runtimeModules = { module in
            guard let source = kept[module] else {
                throw DomainError.validation("module '\(module)' was not required when \(chunkName) loaded: a workflow requires its "
                                             + "modules at its top level (local m = require(\"\(module)\") before `return`), so that "
                                             + "\(name)'s version keeps them")
            }
            return (source, "\(chunkName)/lib/\(module).lua")
        }
    }

    /// The Lua value at `states[state][key]` (an action), or at `states[state].on[event][key]`.
    func function(state: String, event: String? = nil, _ key: String) -> LuaValue {
        guard case let .table(states) = table["states"], case let .table(fields) = states[.text(state)] else { return .nil }
        guard let event else { return fields[key] }
        guard case let .table(on) = fields["on"], case let .table(spec) = on[.text(event)] else { return .nil }
        return spec[key]
    }
}

/// The definitions of a workspace, as one session sees them: the files in `workflows/` now, and
/// every version the database keeps. Each is evaluated once per session and version.
public final class WorkflowCatalog {
    public let folder: URL
    let session: ScriptSession
    private var loaded: [String: LoadedWorkflow] = [:]
    /// The last load of each file: reused while the file and the lib modules it required are
    /// byte for byte the same (a tick or an auto-start asks for every definition many times).
    private var current: [String: LoadedWorkflow] = [:]

    public init(folder: URL, session: ScriptSession) {
        self.folder = folder
        self.session = session
    }

    /// Drops every evaluated definition, so each is evaluated afresh when next needed: after a
    /// transition failed, what its guard or actions did to their definition's own Lua state
    /// (a counter, a cache in an upvalue or a lib module) is not seen by the next one.
    func forgetEvaluated() {
        loaded.removeAll()
        current.removeAll()
    }

    /// The names of the definitions in the folder (`workflows/*.lua`), sorted.
    public func names() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return files.filter { $0.hasSuffix(".lua") && !$0.hasPrefix(".") }.map { String($0.dropLast(4)) }.sorted()
    }

    /// The definition named, as its file and lib modules are now.
    public func current(_ name: String) throws -> LoadedWorkflow {
        guard WorkflowCatalog.isValidName(name) else {
            throw DomainError.notFound("\(WorkflowName.shown(name, limit: 40)) is not a workflow name "
                                       + "(letters, digits and '_'; see `sinergi workflow list`)")
        }
        let path = folder.appendingPathComponent(name + ".lua").path
        let source: [UInt8]
        do {
            source = try ConfinedFile.read(path, inside: folder.path, limit: LuaSandbox.maximumSourceBytes)
        } catch ConfinedFile.Failure.missing {
            throw DomainError.notFound("no workflow '\(name)': \(path) does not exist (definitions: \(names().joined(separator: ", ")))")
        }
        if let known = current[name], known.files.source == source, try unchanged(known.files.modules) { return known }
        let workflow = try load(WorkflowFiles(name: name, source: source, chunkName: path), fromDisk: true)
        current[name] = workflow
        return workflow
    }

    /// Whether the lib modules a load required still read the same.
    private func unchanged(_ modules: [String: [UInt8]]) throws -> Bool {
        let libFolder = folder.appendingPathComponent("lib")
        for (name, source) in modules {
            let path = libFolder.appendingPathComponent(name.replacingOccurrences(of: ".", with: "/") + ".lua").path
            guard (try? ConfinedFile.read(path, inside: libFolder.path, limit: LuaSandbox.maximumSourceBytes)) == source else { return false }
        }
        return true
    }

    /// The definition file at `path` (`workflow check FILE`), named after the file: a regular
    /// file (not a device or a pipe, which could be read forever) of at most `LuaSandbox.maximumSourceBytes`.
    public func file(at path: String) throws -> LoadedWorkflow {
        let source: [UInt8]
        do {
            source = try ConfinedFile.read(path, inside: "/", limit: LuaSandbox.maximumSourceBytes)
        } catch ConfinedFile.Failure.missing {
            throw DomainError.notFound("cannot read \(path): no such file")
        } catch ConfinedFile.Failure.tooLarge(let limit) {
            throw DomainError.validation("\(path) is larger than \(limit) bytes: a workflow definition is a small Lua file")
        } catch {
            throw DomainError.validation("\(path) is not a regular file: give the path of a workflow definition (.lua)")
        }
        let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return try load(WorkflowFiles(name: name, source: source, chunkName: path), fromDisk: true)
    }

    /// A version the database keeps, with its own sources (its `require`s answered from them).
    public func pinned(_ version: String, in unit: StoreUnit) throws -> LoadedWorkflow {
        if let done = loaded[version] { return done }
        guard let stored = try WorkflowStore().sources(of: version, in: unit),
              let name = try WorkflowStore().versions(in: unit).first(where: { $0.version == version })?.name,
              let files = WorkflowFiles(name: name, version: version, stored: stored) else {
            throw DomainError.notFound("workflow version \(WorkflowFiles.short(version)) is not in the database")
        }
        return try load(files, fromDisk: false)
    }

    /// Evaluates `files` (recording, from disk, the lib modules it requires) and reads its table.
    private func load(_ files: WorkflowFiles, fromDisk: Bool) throws -> LoadedWorkflow {
        var files = files
        let libFolder = folder.appendingPathComponent("lib")
        var required: [String: [UInt8]] = [:]
        let stored = files.modules
        let results = try session.sandbox.modules.answering(with: { name in
            let source: [UInt8]
            if fromDisk {
                let path = libFolder.appendingPathComponent(name.replacingOccurrences(of: ".", with: "/") + ".lua").path
                do {
                    source = try ConfinedFile.read(path, inside: libFolder.path, limit: LuaSandbox.maximumSourceBytes)
                } catch ConfinedFile.Failure.missing {
                    throw DomainError.notFound("module '\(name)' not found: a workflow requires only modules of \(libFolder.path)")
                }
                required[name] = source
                return (source, path)
            }
            guard let source = stored[name] else {
                throw DomainError.notFound("module '\(name)' is not among the sources kept with \(files.chunkName)")
            }
            return (source, "\(files.chunkName)/lib/\(name).lua")
        }) {
            try session.evaluate(bytes: LuaSandbox.fileChunk(files.source), chunkName: files.chunkName)
        }
        if fromDisk { files.modules = required }
        if let done = loaded[files.version] { return done }
        guard case let .table(table)? = results.first else {
            throw DomainError.validation("\(files.chunkName): a workflow definition returns a table { name =, initial =, states = { … } }")
        }
        var problems: [WorkflowProblem] = []
        let definition = WorkflowDefinition.read(table, source: files.source, problems: &problems)
        problems += WorkflowDefinition.unknownKeyProblems(table, source: files.source)
        if definition.name != files.name && !definition.name.isEmpty {
            problems.append(WorkflowProblem(line: SourceLines(files.source).line(ofTopLevel: "name"),
                                            message: "name = \"\(definition.name)\" differs from the file's name \(files.name)"))
        }
        let workflow = LoadedWorkflow(files: files, definition: definition, problems: problems, table: table)
        loaded[workflow.version] = workflow
        return workflow
    }

    /// Fails with the definition's shape problems, when it has any: one line, as every failure's
    /// first line is (the report escapes a newline), naming the first problem at `file:line` and
    /// how many more `workflow check` lists.
    static func requireRunnable(_ workflow: LoadedWorkflow) throws {
        let errors = workflow.problems.filter(\.stopsRuns)
        guard let first = errors.min(by: { ($0.line ?? .max) < ($1.line ?? .max) }) else { return }
        let more = errors.count > 1 ? " and \(errors.count - 1) more defect\(errors.count > 2 ? "s" : "")" : ""
        throw DomainError.validation("the workflow \(workflow.files.name) cannot run: "
                                     + "\(workflow.files.chunkName):\(first.line.map(String.init) ?? "?"): \(first.message)\(more) "
                                     + "(fix the file; `sinergi workflow check \(workflow.files.name)` lists every defect)")
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) || $0 == "_"
        }
    }
}
