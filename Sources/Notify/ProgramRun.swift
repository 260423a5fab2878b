import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program for a channel (the `command` channel's program, the `webhook` channel's
/// curl): from its argument list, never through a shell; `input` on its standard input; stopped
/// past `timeout` (SIGTERM, then SIGKILL), which is `DeliveryError.timedOut`.
enum ProgramRun {
    /// After SIGTERM, how long a program has to exit before SIGKILL.
    static let killGrace: TimeInterval = 2

    struct Ending {
        /// Whether it exited (else a signal ended it).
        var exited: Bool
        var status: Int32
        /// The start of what it wrote on standard output and standard error (printable).
        var output: String
        var errors: String
        /// The last bytes it wrote on standard output, as written (what curl's `--write-out` says
        /// after an answer of any length).
        var outputEnd: Data = Data()
    }

    static func run(_ executable: URL, _ arguments: [String], input: Data, timeout: TimeInterval,
                    what: String, timeoutText: String) throws -> Ending {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let inputPipe = Pipe(), outputPipe = Pipe(), errorPipe = Pipe()
        process.standardInput = inputPipe
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        // A program that exits without reading its input would make our write raise SIGPIPE,
        // which ends the process by default; ignored, the write fails with EPIPE instead.
        signal(SIGPIPE, SIG_IGN)
        do {
            try process.run()
        } catch {
            throw DeliveryError.failed("\(what): cannot start \(executable.path): \(error.localizedDescription)")
        }
        let writer = inputPipe.fileHandleForWriting
        DispatchQueue.global().async {
            try? writer.write(contentsOf: input)
            try? writer.close()
        }
        let output = Excerpt(outputPipe.fileHandleForReading)
        let errors = Excerpt(errorPipe.fileHandleForReading)
        guard exited.wait(timeout: .now() + timeout) == .success else {
            process.terminate()
            if exited.wait(timeout: .now() + killGrace) != .success {
                kill(process.processIdentifier, SIGKILL)
                exited.wait()
            }
            throw DeliveryError.timedOut("\(what) did not finish within \(timeoutText) and was stopped")
        }
        return Ending(exited: process.terminationReason == .exit, status: process.terminationStatus,
                      output: output.text, errors: errors.text, outputEnd: output.end)
    }

    /// The first 500 bytes a program wrote to a pipe, and its last 128, read as it writes (so a
    /// chatty program never blocks on a full pipe); what lies between is read and dropped.
    final class Excerpt: @unchecked Sendable {
        static let endBytes = 128
        private let lock = NSLock()
        private var bytes = Data()
        private var last = Data()
        private let finished = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            DispatchQueue.global().async { [self] in
                while case let chunk = handle.availableData, !chunk.isEmpty {
                    lock.withLock {
                        if bytes.count < 500 { bytes.append(chunk.prefix(500 - bytes.count)) }
                        last = Data((last + chunk.suffix(Self.endBytes)).suffix(Self.endBytes))
                    }
                }
                finished.signal()
            }
        }

        /// The last bytes written, as written, once the pipe closed (or after a moment).
        var end: Data {
            waitForEnd()
            return lock.withLock { last }
        }

        /// Waits up to a second for the pipe to close; the signal is given back, so each reader
        /// of the excerpt waits at most once.
        private func waitForEnd() {
            if finished.wait(timeout: .now() + 1) == .success { finished.signal() }
        }

        /// The excerpt, once the pipe closed (or after a moment, if a child of the program keeps it open).
        var text: String {
            waitForEnd()
            return lock.withLock { Delivery.printable(String(decoding: bytes, as: UTF8.self)).trimmingCharacters(in: .whitespacesAndNewlines) }
        }
    }
}
