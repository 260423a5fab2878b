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

    func send(_ delivery: Delivery) throws {
        let payload: Data
        switch format {
        case .mail: payload = try delivery.mail()
        case .json: payload = try delivery.json + Data([0x0A])
        }
        let ending = try ProgramRun.run(try executable(), Array(arguments.dropFirst()), input: payload, timeout: spec.timeout,
                                        what: "\(spec.name): \(arguments[0])", timeoutText: spec.timeoutText)
        guard ending.exited, ending.status == 0 else {
            let how = ending.exited ? "exited with status \(ending.status)" : "was killed by signal \(ending.status)"
            throw DeliveryError.refused("\(spec.name): \(arguments[0]) \(how)\(ending.errors.isEmpty ? "" : ": \(ending.errors)")")
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
}
