import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Pipes each message to a program on standard input — `/usr/sbin/sendmail -t -i` for e-mail
/// through the local MTA (`format = "mail"`), or any program that reads the JSON object
/// (`format = "json"`). The program is run from its argument list, never through a shell, so
/// nothing in a message or an address is ever interpreted as a command. Exit status 0 is
/// success; another status (with the start of its standard error) is a failure, and a program
/// that outlives the channel's timeout is stopped (SIGTERM, then SIGKILL) and counts as failed.
struct CommandChannel: NotifyChannel {
    let spec: ChannelSpec
    let arguments: [String]
    let format: ChannelSpec.CommandFormat

    /// After SIGTERM, how long a program has to exit before SIGKILL.
    static let killGrace: TimeInterval = 2

    func send(_ delivery: Delivery) throws {
        let payload: Data
        switch format {
        case .mail: payload = try delivery.mail()
        case .json: payload = try delivery.json + Data([0x0A])
        }
        let process = Process()
        process.executableURL = try executable()
        process.arguments = Array(arguments.dropFirst())
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        // A program that exits without reading its input would make our write raise SIGPIPE,
        // which ends the process by default; ignored, the write fails with EPIPE instead.
        signal(SIGPIPE, SIG_IGN)
        do {
            try process.run()
        } catch {
            throw DeliveryError.failed("\(spec.name): cannot start \(arguments[0]): \(error.localizedDescription)")
        }
        let writer = input.fileHandleForWriting
        DispatchQueue.global().async {
            try? writer.write(contentsOf: payload)
            try? writer.close()
        }
        let standardError = ErrorExcerpt(errors.fileHandleForReading)
        guard exited.wait(timeout: .now() + spec.timeout) == .success else {
            process.terminate()
            if exited.wait(timeout: .now() + Self.killGrace) != .success {
                kill(process.processIdentifier, SIGKILL)
                exited.wait()
            }
            throw DeliveryError.timedOut("\(spec.name): \(arguments[0]) did not finish within \(spec.timeoutText) and was stopped")
        }
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let how = process.terminationReason == .exit ? "exited with status \(process.terminationStatus)"
                : "was killed by signal \(process.terminationStatus)"
            let excerpt = standardError.text
            throw DeliveryError.refused("\(spec.name): \(arguments[0]) \(how)\(excerpt.isEmpty ? "" : ": \(excerpt)")")
        }
    }

    /// The program: a path as given, or the first match on `PATH` for a bare name.
    private func executable() throws -> URL {
        let program = arguments[0]
        if program.contains("/") { return URL(fileURLWithPath: program) }
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
        for folder in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(program)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw DeliveryError.failed("\(spec.name): no program \(program) on PATH (give its full path, e.g. /usr/sbin/sendmail)")
    }

    /// The first 500 bytes a program wrote to standard error, read as it writes (so a chatty
    /// program never blocks on a full pipe); what comes later is read and dropped.
    final class ErrorExcerpt: @unchecked Sendable {
        private let lock = NSLock()
        private var bytes = Data()
        private let finished = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            DispatchQueue.global().async { [self] in
                while case let chunk = handle.availableData, !chunk.isEmpty {
                    lock.withLock { if bytes.count < 500 { bytes.append(chunk.prefix(500 - bytes.count)) } }
                }
                finished.signal()
            }
        }

        /// The excerpt, once the pipe closed (or after a moment, if a child of the program keeps it open).
        var text: String {
            _ = finished.wait(timeout: .now() + 1)
            return lock.withLock { Delivery.printable(String(decoding: bytes, as: UTF8.self)).trimmingCharacters(in: .whitespacesAndNewlines) }
        }
    }
}
