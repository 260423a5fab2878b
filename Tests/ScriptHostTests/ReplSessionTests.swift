import Agreements
import Foundation
import GRDB
import LuaKit
import Testing
@testable import ScriptHost
@testable import Store

/// The REPL engine without a terminal: input rules, transactions per input, formats, help, completion.
@Suite struct ReplSessionTests {
    final class Printed { var lines: [String] = [] }

    final class Harness {
        let fixture: ScriptHostFixture
        let repl: ReplSession
        let printed = Printed()

        init(write: Bool = false, sample: Bool = true) throws {
            fixture = try ScriptHostFixture(sample: sample)
            let user = try fixture.workspace.actingUser(requested: nil, osLogin: "tester")
            let printed = self.printed
            repl = try ReplSession(workspace: fixture.workspace, actor: user, clock: FixedClock(Date(timeIntervalSince1970: 1_796_000_000)),
                                   write: write, output: { printed.lines.append($0) })
        }

        /// Submits lines on one connection; returns the text of each reply (errors as `error: …`).
        func type(_ lines: [String]) throws -> [String] {
            try repl.withConnection {
                lines.map { line in
                    switch repl.submit(line) {
                    case .more: return ">>"
                    case .quit: return "quit"
                    case let .output(text): return text
                    case let .failure(error): return "error: \(error)"
                    }
                }
            }
        }
    }

    /// A line is loaded as its bytes, as `run` loads a file: a literal keeps bytes that are not
    /// UTF-8, so the store refuses them as it does from a script, instead of a repaired U+FFFD.
    @Test func aLineIsLoadedAsItsBytes() throws {
        let harness = try Harness(write: true)
        let replies = try harness.repl.withConnection {
            [Array(#"x = "\#u{FF}\#u{FE}""#.unicodeScalars.map { UInt8($0.value) }), Array("#x".utf8),
             Array(#"agreements.get("CONTOH/003/KSDPK/2024"):update{ title = "Caf"#.utf8) + [0xE9] + Array(#"" }"#.utf8)]
                .map { line -> String in
                    switch harness.repl.submit(bytes: line) {
                    case let .output(text): return text
                    case let .failure(error): return "error: \(error)"
                    default: return "?"
                    }
                }
        }
        #expect(replies[1] == "2")
        #expect(replies[2].contains("not UTF-8"), "\(replies[2])")
    }

    @Test func expressionsPrintAndStatementsDoNot() throws {
        let harness = try Harness()
        #expect(try harness.type(["1 + 1", "=2 * 3", "x = 5", "x", "return x, 'two'", "local y = 1", "y"])
                == ["2", "6", "", "5", "5\ntwo", "", "nil"])
    }

    @Test func incompleteInputAsksForMoreThenRunsAsOne() throws {
        let harness = try Harness()
        #expect(try harness.type(["t = {", "1, 2,", "3 }", "#t", "for i = 1, 2 do", "end"]) == [">>", ">>", "", "3", ">>", ""])
        #expect(harness.repl.prompt == "> ")
        let bad = try harness.type(["local = 1"])
        #expect(bad.first?.hasPrefix("error: stdin:1:") == true)
    }

    @Test func readOnlyRefusesWritesAndChangesNothing() throws {
        let harness = try Harness()
        let replies = try harness.type(["a = agreements.get('CONTOH/003/KSDPK/2024')", "a:update{ title = 'x' }", "a.title"])
        #expect(replies[1].contains("read-only"))
        #expect(replies[1].contains("--write"))
        #expect(replies[2] == "Penelitian, KKN tematik dan magang mahasiswa")
    }

    @Test func writeModeCommitsEachInputAndRollsBackOnlyTheFailingOne() throws {
        let harness = try Harness(write: true)
        let replies = try harness.type([
            "a = agreements.get('CONTOH/003/KSDPK/2024')",
            "a:update{ title = 'kept' }",
            "a:update{ title = 'lost' }; error('boom')",
            "agreements.get('CONTOH/003/KSDPK/2024').title",
        ])
        #expect(replies[2].contains("boom"))
        #expect(replies[3] == "kept")
        #expect(try harness.fixture.eval("return agreements.get('CONTOH/003/KSDPK/2024').title") == [.text("kept")])
    }

    @Test func beginGroupsInputsUntilCommitOrRollback() throws {
        let harness = try Harness(write: true)
        _ = try harness.type([
            "begin()",
            "agreements.get('CONTOH/003/KSDPK/2024'):update{ title = 'grouped 1' }",
            "agreements.get('CONTOH/004/KSDPK/2025'):update{ title = 'grouped 2' }; error('only this input')",
            "agreements.get('CONTOH/011/KSDPK/2025'):update{ title = 'grouped 3' }",
            "rollback()",
            "begin()",
            "agreements.get('CONTOH/012/KSDPK/2024'):update{ title = 'committed' }",
            "commit()",
        ])
        let titles = try harness.fixture.eval("""
            return agreements.get('CONTOH/003/KSDPK/2024').title, agreements.get('CONTOH/011/KSDPK/2025').title,
                   agreements.get('CONTOH/012/KSDPK/2024').title
            """)
        #expect(titles == [.text("Penelitian, KKN tematik dan magang mahasiswa"), .text("Pendampingan bank sampah kelurahan"),
                           .text("committed")])
        let misuse = try harness.type(["commit()"])
        #expect(misuse.first?.contains("no group is open") == true)
    }

    /// When SQLite itself rolls back a begin() group's transaction (here a full disk: the
    /// connection may not grow the file), the group is over. The failing input says so, and the
    /// inputs after it run as inputs of their own — rollback() included, which then finds no
    /// group — instead of failing for ever with "the transaction was rolled back" until `:q`.
    @Test func aGroupTheEngineRolledBackEndsAndTheSessionGoesOn() throws {
        let harness = try Harness(write: true)
        try harness.fixture.workspace.database.queue.inDatabase { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages + 2)")
        }
        let replies = try harness.type([
            "begin()",
            "agreements.get('CONTOH/003/KSDPK/2024'):update{ title = 'grouped' }",
            "agreements.get('CONTOH/004/KSDPK/2025'):update{ notes = string.rep('x', 60000) }",
            "agreements.get('CONTOH/012/KSDPK/2024').title",
            "rollback()",
            "agreements.get('CONTOH/012/KSDPK/2024'):update{ title = 'after' }",
        ])
        #expect(replies[2].hasPrefix("error: "))
        #expect(replies[2].contains("full"))
        #expect(replies[2].contains("nothing of the group is kept"))
        #expect(replies[3] == "Klinik hukum dan bantuan hukum masyarakat", "\(replies[3])")
        #expect(replies[4].contains("no group is open"))
        #expect(replies[5].contains("\"after\""), "\(replies[5])")
        let titles = try harness.fixture.eval("""
            return agreements.get('CONTOH/003/KSDPK/2024').title, agreements.get('CONTOH/012/KSDPK/2024').title
            """)
        #expect(titles == [.text("Penelitian, KKN tematik dan magang mahasiswa"), .text("after")])
    }

    @Test func prettyPrintingGoldenOutputs() throws {
        let harness = try Harness()
        harness.repl.width = 120
        let replies = try harness.type([
            "agreements.find{ kind = 'sinergi' }",
            "agreements.get('CONTOH/010/SINERGI/2024')",
            "date('2027-03-01')",
            "{ b = 2, a = { 1, 'x' } }",
        ])
        #expect(replies[0] == """
            number                   title                                             kind     stage             ends_on
            CONTOH/005/SINERGI/2026  Sinergi penataan terminal dan angkutan perkotaan  sinergi  persetujuan_dprd  2031-01-08
            CONTOH/010/SINERGI/2024  Sinergi data statistik sektoral                   sinergi  pelaksanaan       2026-12-20
            (2 agreements)
            """)
        #expect(replies[1] == "sinergi CONTOH/010/SINERGI/2024 \"Sinergi data statistik sektoral\" — pelaksanaan, ends 2026-12-20")
        #expect(replies[2] == "2027-03-01")
        #expect(replies[3] == #"{ a = { 1, "x" }, b = 2 }"#)
        harness.repl.width = 80
        let narrow = try harness.type(["agreements.find{ kind = 'sinergi' }"])
        #expect(narrow[0].split(separator: "\n").allSatisfy { $0.count <= 80 })
        #expect(narrow[0].contains("Sinergi penataa…  sinergi"))
    }

    @Test func formatsSwitchToJSONAndCSV() throws {
        let harness = try Harness()
        let replies = try harness.type([":format csv", "agreements.find{ kind = 'sinergi' }", "{ { n = 1, t = 'a' }, { n = 2 } }",
                                        "fmt('json')", "{ 1, 2 }", ":format yaml"])
        #expect(replies[1].hasPrefix("number,title,kind,"))
        #expect(replies[1].split(separator: "\n").count == 3)
        #expect(replies[2] == "n,t\n1,a\n2,")
        #expect(replies[4] == "[\n  1,\n  2\n]")
        #expect(replies[5].contains(":format takes table, json or csv"))
    }

    @Test func helpListsTheAPIAndExplainsOneFunction() throws {
        let harness = try Harness()
        _ = try harness.type(["help()", "help(agreements.find)", "help('a:update')", "help(print)"])
        let printed = harness.printed.lines
        #expect(printed.count == 4)
        #expect(printed[0].hasPrefix("Sinergi API"))
        #expect(printed[0].contains("agreements.find"))
        #expect(printed[1].hasPrefix("agreements.find{ kind=,"))
        #expect(printed[1].contains("Example:"))
        #expect(printed[2].hasPrefix("a:update{ field = value"))
        #expect(printed[3].hasPrefix("no help for function: 0x") || printed[3].hasPrefix("no help for builtin"))
    }

    @Test func theBannerNamesWorkspaceUserModeAndCount() throws {
        let harness = try Harness()
        let banner = try harness.repl.withConnection { harness.repl.banner(version: "9.9") }
        #expect(banner.contains("workspace \(harness.fixture.folder.path)"))
        #expect(banner.contains("user tester"))
        #expect(banner.contains("read-only"))
        #expect(banner.contains("12 agreements"))
    }

    @Test func completionOffersGlobalsModuleFunctionsAndAgreementFields() throws {
        let harness = try Harness()
        _ = try harness.type(["mine = agreements.get('CONTOH/003/KSDPK/2024')"])
        try harness.repl.withConnection {
            #expect(harness.repl.completions(for: "agreements.f") == ["agreements.find"])
            #expect(harness.repl.completions(for: "agreements.") == ["agreements.agency", "agreements.count", "agreements.create", "agreements.find", "agreements.get"])
            #expect(harness.repl.completions(for: "mi").contains("mine"))
            #expect(harness.repl.completions(for: "wor") == ["workdays", "workflows"])
            #expect(harness.repl.completions(for: "mine:fi") == ["mine:fire"])
            #expect(harness.repl.completions(for: "mine.ends") == ["mine.ends_on"])
            #expect(harness.repl.completions(for: "mine:up") == ["mine:update"])
            #expect(harness.repl.completions(for: "string.up") == ["string.upper"])
        }
    }

    @Test func anInterruptStopsTheInputAndTheSessionGoesOn() throws {
        let harness = try Harness()
        let handle = harness.repl.interruptHandle
        DispatchQueue(label: "test.interrupt").asyncAfter(deadline: .now() + 0.3) { handle.interrupt() }
        let replies = try harness.type(["while true do end", "1 + 41"])
        #expect(replies[0].contains("interrupted"))
        #expect(replies[1] == "42")
    }
}
