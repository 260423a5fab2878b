import Agreements
import ArgumentParser
import Foundation
import LuaKit
import ScriptHost
import Store

/// `sinergi backup FILE`: the database as of one commit, and the attached files beside it.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up the database (SQLite's online backup) and the documents folder.",
        discussion: """
        Writes FILE, a complete copy of the database taken while others may be working, and copies \
        the workspace's documents/ to FILE.documents/. Refuses to overwrite either.

        To restore: stop Sinergi, then copy FILE to .sinergi/sinergi.db (removing any sinergi.db-wal and \
        sinergi.db-shm beside it) and FILE.documents/ to documents/; `sinergi audit verify` checks the result.

        Example: sinergi backup ../sinergi-backup.db
        """
    )

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The backup file to create.", valueName: "file")) var file: String

    func run() throws {
        let context = try CommandContext(global)
        let target = URL(fileURLWithPath: file)
        let documents = URL(fileURLWithPath: target.path + ".documents")
        if FileManager.default.fileExists(atPath: documents.path) {
            throw DomainError.validation("\(documents.path) already exists; a backup never overwrites a file")
        }
        try context.workspace.database.backup(to: target.path)
        let source = context.workspace.root.appendingPathComponent(Workspace.documentsFolder)
        let count = (try? FileManager.default.contentsOfDirectory(atPath: source.path))?.count ?? 0
        if count > 0 { try FileManager.default.copyItem(at: source, to: documents) }
        print("backed up the database to \(TerminalText.line(target.path))" + (count > 0 ? " and \(count) documents to \(TerminalText.line(documents.path))" : ""))
        if let problem = try Self.verify(copy: target.path) {
            printError("warning: the backup does not verify against its audit trail (\(problem)): it is a faithful copy of a "
                       + "database changed outside Sinergi — keep it as evidence, not as a restore point; `sinergi audit verify` "
                       + "names the same row here")
        }
    }

    /// What `audit verify` finds wrong in the copy, or nil when it is intact.
    ///
    /// A backup of a database edited by hand looked like any other, so a rotation could keep it
    /// as the latest good copy and drop the clean ones before the edit was found. The copy is
    /// checked, not the live file: it is one commit, and what a restore would bring back.
    static func verify(copy path: String) throws -> String? {
        let copy = try SinergiDatabase(path: path)
        switch try copy.read({ try AuditLog.verify(in: $0) }) {
        case .intact: return nil
        case let .broken(rowId, reason): return "audit_log row \(rowId): \(reason)"
        case let .recordDiffers(record, reason): return "\(record): \(reason)"
        }
    }
}
