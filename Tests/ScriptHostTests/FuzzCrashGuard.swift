import Foundation

/// Makes a crash or a hang of one fuzz program reproducible: before each program it prepares a
/// report (seed, index, source); a fatal signal prints it and hands the signal on to whoever
/// handled it before (AddressSanitizer, Swift's backtracer, the default action); a watchdog
/// thread prints it and ends the process when a program outlives `hangSeconds` — a run stuck in
/// one C call or a Swift host function cannot be stopped in-process (DESIGN.md, the sandbox's
/// watchdog). With a progress file, each program writes `begin I` and `end I CLASS`, a crash
/// `crash I`, a hang `hang I`, so tools/fuzz.sh can resume after the program that took the process
/// down.
final class FuzzCrashGuard: @unchecked Sendable {
    /// The exit status of a process ended by the hang watchdog.
    static let hangExitStatus: Int32 = 86
    static let signals = [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP]

    private let hangSeconds: Double
    private let lock = NSLock()
    private var current: (index: Int, started: UInt64, report: String)?
    private var stopped = false

    init(progressPath: String?, hangSeconds: Double) {
        self.hangSeconds = hangSeconds
        if let progressPath { fuzzProgressDescriptor = open(progressPath, O_WRONLY | O_CREAT | O_APPEND, 0o644) }
        for signal in Self.signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = fuzzCrashHandler
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(signal, &action, &fuzzPreviousActions[Int(signal)])
        }
        let thread = Thread { [self] in watch() }
        thread.name = "sinergi.fuzz.hang-watch"
        thread.start()
    }

    /// Program `index` is about to run.
    func begin(_ index: Int, report: String) {
        progress("begin \(index)\n")
        let crashText = "\nfuzz: a fatal signal while program \(index) was running (if another test was running at the same time, it may be that test's)\n\(report)\n"
        let crashLine = "crash \(index)\n"
        lock.lock()
        current = (index, DispatchTime.now().uptimeNanoseconds, report)
        // Swap in the texts the signal handler writes, then free the old ones.
        let (oldText, oldLine) = (fuzzCrashText, fuzzCrashLine)
        fuzzCrashText = strdup(crashText)
        fuzzCrashTextLength = fuzzCrashText.map { strlen($0) } ?? 0
        fuzzCrashLine = strdup(crashLine)
        fuzzCrashLineLength = fuzzCrashLine.map { strlen($0) } ?? 0
        lock.unlock()
        free(oldText)
        free(oldLine)
    }

    /// Program `index` has ended (its checks included) with `outcome`.
    func end(_ index: Int, outcome: String) {
        lock.lock()
        current = nil
        lock.unlock()
        progress("end \(index) \(outcome)\n")
    }

    /// The run is over: restores the previous signal handlers and stops the watchdog.
    func finish(summary: String) {
        lock.lock()
        stopped = true
        current = nil
        lock.unlock()
        for signal in Self.signals { sigaction(signal, &fuzzPreviousActions[Int(signal)], nil) }
        progress("done \(summary)\n")
        if fuzzProgressDescriptor >= 0 { close(fuzzProgressDescriptor) }
        fuzzProgressDescriptor = -1
    }

    private func progress(_ line: String) {
        guard fuzzProgressDescriptor >= 0 else { return }
        var line = line
        line.withUTF8 { _ = write(fuzzProgressDescriptor, $0.baseAddress, $0.count) }
    }

    private func watch() {
        while true {
            Thread.sleep(forTimeInterval: 0.25)
            lock.lock()
            if stopped { lock.unlock(); return }
            let stuck = current.flatMap { run -> (Int, String)? in
                Double(DispatchTime.now().uptimeNanoseconds - run.started) / 1e9 > hangSeconds ? (run.index, run.report) : nil
            }
            lock.unlock()
            if let (index, report) = stuck {
                FileHandle.standardError.write(Data("\nfuzz: HANG — program \(index) still running after \(hangSeconds) s; ending the process\n\(report)\n".utf8))
                progress("hang \(index)\n")
                _exit(Self.hangExitStatus)
            }
        }
    }
}

// What the signal handler reads: plain globals, written before each program, read with write(2) only.
nonisolated(unsafe) private var fuzzCrashText: UnsafeMutablePointer<CChar>?
nonisolated(unsafe) private var fuzzCrashTextLength = 0
nonisolated(unsafe) private var fuzzCrashLine: UnsafeMutablePointer<CChar>?
nonisolated(unsafe) private var fuzzCrashLineLength = 0
nonisolated(unsafe) private var fuzzProgressDescriptor: Int32 = -1
nonisolated(unsafe) private var fuzzPreviousActions = UnsafeMutablePointer<sigaction>.allocate(capacity: 65)

/// Prints the program that was running, restores the handler that was there before, and returns:
/// the faulting instruction runs again (or abort() raises again) and the previous handler reports it.
private let fuzzCrashHandler: @convention(c) (Int32) -> Void = { signal in
    if let text = fuzzCrashText { _ = write(2, text, fuzzCrashTextLength) }
    if fuzzProgressDescriptor >= 0, let line = fuzzCrashLine { _ = write(fuzzProgressDescriptor, line, fuzzCrashLineLength) }
    sigaction(signal, &fuzzPreviousActions[Int(signal)], nil)
}
