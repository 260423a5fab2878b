import Testing

/// Random hostile programs against the sandbox and the agreements API (see SandboxFuzzer).
///
/// `make test` runs a small fixed set (seed 20261130, 200 programs, 0.2 s / 16 MB each); `make fuzz`
/// runs many more through tools/fuzz.sh, which resumes after a program that crashed or hung the
/// process. Every finding is reported with its program and the command that regenerates it.
@Suite(.serialized) struct SandboxFuzzTests {
    @Test func randomProgramsEndInAContractClassAndLeaveDataAndHostIntact() throws {
        let settings = FuzzSettings.fromEnvironment()
        if settings.listOnly {
            for index in settings.start..<(settings.start + settings.programs) {
                print("--- program \(index) ---\n" + LuaProgramGenerator.program(seed: settings.seed, index: index, avoid: settings.avoid))
            }
            return
        }
        #expect(settings.unknownAvoid.isEmpty,
                "SINERGI_FUZZ_AVOID names no feature: \(settings.unknownAvoid) (known: \(LuaProgramGenerator.Feature.allCases.map(\.rawValue)))")
        let crashGuard = FuzzCrashGuard(progressPath: settings.progressPath, hangSeconds: settings.hangSeconds)
        let fuzzer = try SandboxFuzzer(settings: settings)
        let memoryBefore = HostMemory.current()
        defer { crashGuard.finish(summary: fuzzer.summary) }
        try fuzzer.run(guard: crashGuard)
        let memoryAfter = HostMemory.current()
        print(fuzzer.summary)
        print("fuzz: host memory: resident \(memoryBefore.resident >> 20) → \(memoryAfter.resident >> 20) MB, peak \(memoryAfter.peak >> 20) MB")
        for finding in fuzzer.findings.prefix(50) { Issue.record(Comment(rawValue: finding.description)) }
        if fuzzer.findings.count > 50 { Issue.record("… and \(fuzzer.findings.count - 50) more findings") }
    }
}
