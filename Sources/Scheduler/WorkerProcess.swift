import Foundation

/// Runs one fire's worker as a child process with a deadline.
///
/// A job stuck inside one C call cannot be stopped from within its own process without ending
/// it, so each fire runs in its own process: the scheduler keeps running, and past the kill
/// deadline the child gets SIGKILL. Its standard output goes to the parent's standard error (the
/// scheduler's log; the parent's own output stays machine-readable), and its standard error is
/// kept for the fire's message and passed on.
public enum WorkerProcess {
    /// How a worker ended.
    public struct Ending: Sendable, Equatable {
        /// The exit status, or the signal number when `signalled`.
        public var status: Int32
        public var signalled: Bool
        /// The parent killed it past its deadline.
        public var killed: Bool
        public var standardError: String

        /// The first line the worker wrote on standard error (the contract's `error[CLASS]: …`).
        public var firstErrorLine: String {
            standardError.split(separator: "\n").first.map(String.init) ?? ""
        }
    }

    /// The most of a worker's standard error kept (the rest is passed on, not stored).
    static let keptErrorBytes = 16 * 1024

    /// Starts `executable` with `arguments` and waits for it, killing it after `killAfter` seconds.
    public static func run(executable: URL, arguments: [String], killAfter: TimeInterval) throws -> Ending {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardOutput = FileHandle.standardError
        process.standardInput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        let ended = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in ended.signal() }
        let collected = ErrorText()
        let reader = DispatchGroup()
        try process.run()
        DispatchQueue.global().async(group: reader) {
            let handle = errors.fileHandleForReading
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                try? FileHandle.standardError.write(contentsOf: chunk)
                collected.append(chunk, limit: keptErrorBytes)
            }
        }
        var killed = false
        if ended.wait(timeout: .now() + killAfter) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            killed = true
            ended.wait()
        }
        reader.wait()
        return Ending(status: process.terminationStatus, signalled: process.terminationReason == .uncaughtSignal,
                      killed: killed, standardError: collected.text)
    }

    /// What a worker's ending means for its fire, for a worker that finishes its fire itself
    /// (`done`, in its own unit of work) and exits 0.
    public static func outcome(of ending: Ending, killAfter: TimeInterval, stopping: Bool) -> FireOutcome {
        if ending.killed {
            return .failed("error[timeout]: the worker did not end within \(Int(killAfter.rounded(.up))) s and was killed "
                           + "(stuck in one C call?); nothing it did was kept")
        }
        if !ending.signalled && ending.status == 0 { return .completed }
        if stopping { return .interrupted }
        if ending.signalled { return .crashed("the worker died of signal \(ending.status)") }
        let line = ending.firstErrorLine
        return .failed(line.isEmpty ? "the worker exited with status \(ending.status)" : line)
    }
}

/// Standard error collected from a worker's pipe on the reader's thread.
private final class ErrorText: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ chunk: Data, limit: Int) {
        lock.lock()
        defer { lock.unlock() }
        if data.count < limit { data.append(chunk.prefix(limit - data.count)) }
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}
