import Foundation
import Testing

/// `workflow` and `task` through the real binary, on a sample workspace.
@Suite struct WorkflowCommandTests {
    /// A two-state track for KSDPK whose entry action takes a while, so that two processes
    /// firing at once overlap.
    static let race = """
        return {
          name = "race", title = "Race", applies_to = { kind = "ksdpk" }, initial = "penawaran",
          states = {
            penawaran = { on = { go = { to = "penyusunan_kb", roles = { "sekretariat" }, outcome = "approved" } } },
            penyusunan_kb = {
              on = { back = { to = "penawaran", roles = { "sekretariat" } } },
              on_enter = function(a, ctx) local t = os.clock() while os.clock() - t < 0.4 do end end,
            },
          },
        }
        """

    static let number = "UJI/RACE/2026"

    static func sampleWorkspace() throws -> URL {
        let folder = try CLI.temporaryFolder()
        let init_ = try CLI.run(["init", "--sample", folder.appendingPathComponent("ws").path])
        #expect(init_.status == 0, "\(init_.stderr)")
        let workspace = folder.appendingPathComponent("ws")
        let configuration = workspace.appendingPathComponent("sinergi.lua")
        try (try String(contentsOf: configuration, encoding: .utf8) + "\ntesting = { clock_override = true }\nworkflows = { limits = { timeout = \"20s\" } }\n")
            .write(to: configuration, atomically: true, encoding: .utf8)
        _ = try CLI.write(race, to: "workflows/race.lua", in: workspace)
        // A new KSDPK at the offer stage (the sample set already runs on its shipped tracks).
        let added = try CLI.run(["agreement", "add", "--number", number, "--title", "Uji balapan", "--kind", "ksdpk",
                                 "--lead-agency", "Bagian Pemerintahan", "--party", "badan_usaha:PT Contoh Sejahtera",
                                 "--set", "stage=penawaran"], in: workspace)
        #expect(added.status == 0, "\(added.stderr)")
        return workspace
    }

    @Test func twoProcessesFiringOnOneInstanceOneWinsTheOtherChangesNothing() throws {
        let workspace = try Self.sampleWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace.deletingLastPathComponent()) }
        let number = Self.number
        let start = try CLI.run(["workflow", "start", number, "--workflow", "race"], in: workspace)
        #expect(start.status == 0, "\(start.stderr)")
        let box = ResultBox()
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            box.append(try? CLI.run(["workflow", "fire", number, "go", "--as", "sari"], in: workspace))
        }
        let results = box.results
        let statuses = results.compactMap { $0?.status }.sorted()
        #expect(statuses == [0, 7], "\(results.map { $0?.stderr ?? "" })")
        let loser = results.compactMap { $0 }.first { $0.status == 7 }
        #expect(loser?.firstErrorLine.hasPrefix("error[validation]") == true)
        let history = try CLI.run(["workflow", "history", number, "--format", "csv"], in: workspace)
        #expect(history.stdout.split(separator: "\n").filter { $0.contains(",transition,") }.count == 1)
        let status = try CLI.run(["workflow", "status", number], in: workspace)
        #expect(status.stdout.contains("penyusunan_kb"))
    }

    @Test func aRefusedFireExitsSixChangesNothingAndIsRecorded() throws {
        let workspace = try Self.sampleWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace.deletingLastPathComponent()) }
        let number = Self.number
        #expect(try CLI.run(["workflow", "start", number, "--workflow", "race"], in: workspace).status == 0)
        let refused = try CLI.run(["workflow", "fire", number, "go", "--as", "komisi1"], in: workspace)
        #expect(refused.status == 6)
        #expect(refused.firstErrorLine.contains("komisi1 may not fire go in penawaran"))
        let history = try CLI.run(["workflow", "history", number, "--format", "csv"], in: workspace)
        #expect(history.stdout.contains(",komisi1,refused,go,penawaran,"))
        #expect(try CLI.run(["workflow", "status", number], in: workspace).stdout.contains("state            penawaran"))
    }

    @Test func aTaskIsApprovedByItsRoleAndClosesWhenTheStateIsLeft() throws {
        let workspace = try Self.sampleWorkspace()
        defer { try? FileManager.default.removeItem(at: workspace.deletingLastPathComponent()) }
        let number = Self.number
        #expect(try CLI.run(["workflow", "start", number, "--workflow", "race"], in: workspace).status == 0)
        let tasks = try CLI.run(["task", "list", "--as", "sari", "--format", "csv"], in: workspace)
        let line = tasks.stdout.split(separator: "\n").first { $0.contains(number) }
        let id = line.flatMap { $0.split(separator: ",").first.map(String.init) } ?? ""
        #expect(!id.isEmpty, "\(tasks.stdout)")
        #expect(try CLI.run(["task", "list", "--as", "komisi1", "--format", "csv"], in: workspace).stdout.contains(number) == false)
        let approved = try CLI.run(["task", "approve", id, "--as", "sari", "--note", "ok"], in: workspace)
        #expect(approved.status == 0, "\(approved.stderr)")
        #expect(approved.stdout.contains("→ penyusunan_kb"))
        let again = try CLI.run(["task", "approve", id, "--as", "sari"], in: workspace)
        #expect(again.status == 7)
        #expect(again.firstErrorLine.contains("is closed"))
    }

    @Test func theClockIsRehearsedOnlyWhereTheWorkspaceAllowsIt() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(try CLI.run(["init", "--sample", folder.appendingPathComponent("ws").path]).status == 0)
        let tick = try CLI.run(["workflow", "tick", "--now", "2030-01-01T00:00:00+07:00"], in: folder.appendingPathComponent("ws"))
        #expect(tick.status == 7)
        #expect(tick.firstErrorLine.contains("clock_override"))
    }
}

/// Results gathered from concurrently running processes.
final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var results: [CLI.Result?] = []
    func append(_ result: CLI.Result?) {
        lock.lock()
        results.append(result)
        lock.unlock()
    }
}
