import Foundation
import Testing
@testable import ScriptHost

/// libedit is loaded when the interactive REPL starts, not linked: the system's library loads and
/// works (the REPL's own editing is driven through a terminal in ReplCommandTests), and a missing
/// one is an error that says what to install and how to do without.
@Suite struct LibEditTests {
    @Test func theSystemsLibeditLoadsAndKeepsHistory() throws {
        let edit = try LibEdit.load()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sinergi-libedit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("history").path
        edit.stifleHistory(10)
        _ = edit.addHistory("agreements.count{}")
        #expect(edit.writeHistory(file) == 0)
        #expect(try String(contentsOfFile: file, encoding: .utf8).contains("agreements.count{}"))
    }

    @Test func aMissingLibeditSaysWhatToInstall() throws {
        #expect {
            _ = try LibEdit.load("libedit-not-installed.so.9")
        } throws: { error in
            let text = "\(error)"
            return error is LibEdit.Unavailable && text.contains("libedit-not-installed.so.9")
                && text.contains("apt install libedit2") && text.contains("sinergi repl < ")
        }
    }
}
