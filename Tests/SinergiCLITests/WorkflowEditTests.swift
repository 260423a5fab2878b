import Foundation
import Testing

/// The README's "Editing a track" example, applied as written to a sample workspace's ksdd.lua:
/// the next agreement goes through the new hukum review at once; one already running stays on
/// the version it started with.
@Suite struct WorkflowEditTests {
    /// The README's Lua block under "Editing a track": the changed event line and the new state.
    static func readmeEdit() throws -> (event: String, state: String) {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        guard let section = readme.range(of: "**Editing a track.**"),
              let open = readme.range(of: "```lua\n", range: section.upperBound..<readme.endIndex),
              let close = readme.range(of: "```", range: open.upperBound..<readme.endIndex) else { throw Missing("README edit") }
        let block = readme[open.upperBound..<close.lowerBound]
        let lines = block.split(separator: "\n", omittingEmptySubsequences: false)
        guard let event = lines.first(where: { $0.hasPrefix("    rancangan_kb_disepakati") }),
              let start = block.range(of: "states.penyusunan_kb_hukum") else { throw Missing("README edit lines") }
        return (String(event), String(block[start.lowerBound...]))
    }

    static func add(_ number: String, in workspace: URL) throws {
        let added = try CLI.run(["agreement", "add", "--number", number, "--title", "Uji kajian hukum", "--kind", "ksdd",
                                 "--subkind", "sukarela", "--lead-agency", "Dinas Pekerjaan Umum dan Penataan Ruang",
                                 "--party", "kabupaten:Pemerintah Kabupaten Probolinggo", "--set", "stage=penyusunan_kb"], in: workspace)
        #expect(added.status == 0, "\(added.stderr)")
    }

    /// A sample workspace in `folder` with `number` added and started on ksdd as shipped, at the
    /// KB's discussion (adopted there, as an agreement already under way).
    static func sampleWorkspace(in folder: URL, running number: String) throws -> URL {
        let workspace = folder.appendingPathComponent("ws")
        #expect(try CLI.run(["init", "--sample", workspace.path]).status == 0)
        try add(number, in: workspace)
        let running = try CLI.run(["workflow", "start", number, "--at", "penyusunan_kb_pembahasan"], in: workspace)
        #expect(running.status == 0, "\(running.stderr)")
        return workspace
    }

    @Test func theREADMEsHukumReviewTakesEffectForTheNextAgreementWhileARunningOneKeepsItsVersion() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // One agreement already running on ksdd as shipped, at the KB's discussion.
        let workspace = try Self.sampleWorkspace(in: folder, running: "UJI/LAMA/2027")

        let file = workspace.appendingPathComponent("workflows/ksdd.lua")
        var source = try String(contentsOf: file, encoding: .utf8)
        let (event, state) = try Self.readmeEdit()
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        guard let shipped = lines.first(where: { $0.hasPrefix("    rancangan_kb_disepakati") }),
              let returnLine = source.range(of: "\nreturn {") else { throw Missing("ksdd.lua anchors") }
        source = source.replacingOccurrences(of: String(shipped), with: event)
        source.insert(contentsOf: "\n" + state, at: returnLine.lowerBound)
        try source.write(to: file, atomically: true, encoding: .utf8)

        try Self.add("UJI/HUKUM/2027", in: workspace)
        #expect(try CLI.run(["workflow", "start", "UJI/HUKUM/2027", "--at", "penyusunan_kb_pembahasan"], in: workspace).status == 0)
        let next = try CLI.run(["workflow", "fire", "UJI/HUKUM/2027", "rancangan_kb_disepakati", "--as", "sari"], in: workspace)
        #expect(next.stdout.contains("→ penyusunan_kb_hukum"), "\(next.stderr)")
        #expect(try CLI.run(["workflow", "fire", "UJI/HUKUM/2027", "hukum_setuju", "--as", "rina"], in: workspace).stdout
            .contains("→ penandatanganan_kb"))

        let old = try CLI.run(["workflow", "fire", "UJI/LAMA/2027", "rancangan_kb_disepakati", "--as", "sari"], in: workspace)
        #expect(old.stdout.contains("→ penandatanganan_kb"), "\(old.stderr)")
        let status = try CLI.run(["workflow", "status", "UJI/LAMA/2027", "--format", "csv"], in: workspace).stdout
        let fields = Dictionary(status.split(separator: "\n").dropFirst().compactMap { line -> (String, String)? in
            let parts = line.split(separator: ",", maxSplits: 1).map(String.init)
            return parts.count == 2 ? (parts[0], parts[1]) : nil
        }, uniquingKeysWith: { first, _ in first })
        #expect(fields["version"] != nil && fields["version"] != fields["current_version"])
        let list = try CLI.run(["workflow", "list", "--format", "csv"], in: workspace).stdout
        #expect(list.split(separator: "\n").filter { $0.hasPrefix("ksdd,") }.count == 2)
    }

    /// `workflow status` says why the file has no current version — gone, or failing to load, with
    /// its line — while the agreement runs on, on its stored version.
    @Test func statusSaysWhyTheFileHasNoCurrentVersion() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = try Self.sampleWorkspace(in: folder, running: "UJI/HAPUS/2027")
        let file = workspace.appendingPathComponent("workflows/ksdd.lua")
        func currentVersion() throws -> String {
            let status = try CLI.run(["workflow", "status", "UJI/HAPUS/2027"], in: workspace)
            #expect(status.status == 0, "\(status.stderr)")
            return status.stdout.split(separator: "\n").first { $0.hasPrefix("current_version") }.map(String.init) ?? ""
        }
        try "return {\n".write(to: file, atomically: true, encoding: .utf8)
        let broken = try currentVersion()
        #expect(broken.contains("(workflows/ksdd.lua does not load: \(file.path):2: "), "\(broken)")
        try FileManager.default.removeItem(at: file)
        let gone = try currentVersion()
        #expect(gone.hasSuffix("(workflows/ksdd.lua no longer exists; the agreement runs on its stored version)"), "\(gone)")
    }
}

struct Missing: Error {
    let what: String
    init(_ what: String) { self.what = what }
}
