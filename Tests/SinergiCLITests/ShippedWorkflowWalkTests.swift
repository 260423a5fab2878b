import Foundation
import Testing

/// `make demo`'s rehearsal (examples/walk-ksdd.sh) through the real binary: the shipped KSDD
/// track from persiapan to pelaporan as its different users, on chosen dates.
@Suite struct ShippedWorkflowWalkTests {
    @Test func theKSDDTrackRunsFromPersiapanToPelaporanWithTheDPRDsSilenceDeemedApprovedAfterDay45() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = folder.appendingPathComponent("ws")
        #expect(try CLI.run(["init", "--sample", workspace.path]).status == 0)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let walk = Process()
        walk.executableURL = URL(fileURLWithPath: "/bin/sh")
        walk.arguments = [root.appendingPathComponent("examples/walk-ksdd.sh").path, workspace.path]
        walk.environment = ProcessInfo.processInfo.environment.merging(["SINERGI": CLI.binary.path]) { $1 }
        let out = Pipe()
        walk.standardOutput = out
        walk.standardError = out
        try walk.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        walk.waitUntilExit()
        #expect(walk.terminationStatus == 0, "\(text)")
        // Day 45 of the DPRD's period (received 26 March) is 10 May: at its last minute nothing is
        // deemed; at the start of 11 May the silence is deemed approved, by the system actor.
        let ticks = text.components(separatedBy: "$ sinergi workflow tick\n").dropFirst().map { $0.components(separatedBy: "$ sinergi").first ?? "" }
        #expect(ticks.count == 3)
        #expect(ticks.dropFirst().first.map { !$0.contains("CONTOH/009/KSDD/2026") } == true)
        #expect(ticks.last?.contains("dprd_45  dianggap_disetujui  fired    penyusunan_pks") == true)
        let history = try CLI.run(["workflow", "history", "CONTOH/009/KSDD/2026", "--format", "csv"], in: workspace)
        let lines = history.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("2027-05-11T00:00:00+07:00,system,transition,dianggap_disetujui,persetujuan_dprd_pimpinan,penyusunan_pks,deemed_approved") })
        #expect(lines.contains { $0.hasPrefix("2027-02-18T08:00:00+07:00,system,transition,tanpa_tanggapan,penawaran_tanggapan,penawaran_permintaan_kedua") })
        #expect(lines.last?.contains(",laporan_semester_disampaikan,penatausahaan,pelaporan,") == true)
        let stages = lines.dropFirst().compactMap { $0.split(separator: ",", omittingEmptySubsequences: false).dropFirst(5).first.map(String.init) }
        for stage in ["persiapan_kajian", "penawaran", "penyusunan_kb", "penandatanganan_kb", "persetujuan_dprd", "penyusunan_pks",
                      "penandatanganan_pks", "pelaksanaan", "penatausahaan", "pelaporan"] {
            #expect(stages.contains(stage), "never entered \(stage)")
        }
        let show = try CLI.run(["agreement", "show", "CONTOH/009/KSDD/2026"], in: workspace)
        #expect(show.stdout.split(separator: "\n").contains { $0.hasPrefix("status ") && $0.hasSuffix(" active") })
        #expect(try CLI.run(["audit", "verify"], in: workspace).status == 0)
    }
}
