import Agreements
import Foundation
import LuaKit
import Store

/// A failure as the contract reports it (DESIGN.md, "Errors and exit codes"): its class, exit
/// code, where and what — `error[CLASS]: WHERE: MESSAGE` — and any traceback.
///
/// Here, beside the Lua API, because the classes are mostly Lua's (syntax, timeout, memory,
/// forbidden) and a host function's error arrives wrapped in Lua's; the CLI only prints `text`
/// and exits with `exitCode`, for every command.
///
///     let failure = FailureReport(error, fallbackLocation: "stdin:3")   // failure.exitCode == 7
public struct FailureReport: Sendable {
    public var errorClass: String
    public var exitCode: Int32
    public var location: String?
    public var message: String
    /// The traceback, if any, without the sandbox's own frames.
    public var detail: String

    public init(_ error: any Error, fallbackLocation: String?) {
        self = FailureReport.classify(error, fallbackLocation: fallbackLocation)
    }

    /// The longest message a failure says (then `…`): `error(s)` may carry a string of many
    /// megabytes, and the message is printed, escaped, on one line.
    static let maximumMessageBytes = 64 << 10

    init(errorClass: String, exitCode: Int32, location: String?, message: String, detail: String) {
        self.errorClass = errorClass
        self.exitCode = exitCode
        self.location = location
        self.message = message.bounded(toBytes: Self.maximumMessageBytes)
        self.detail = detail
    }

    /// The class of `error`: a host function's error that reached Lua is classified as itself,
    /// at the script's line.
    static func classify(_ error: any Error, fallbackLocation: String?) -> FailureReport {
        switch error {
        case let error as LuaError:
            let location = error.location?.description ?? fallbackLocation
            switch error {
            case let .syntax(message, _, _):
                return FailureReport(errorClass: "syntax", exitCode: 3, location: location, message: message, detail: "")
            case let .runtime(message, _, traceback):
                return FailureReport(errorClass: "runtime", exitCode: 1, location: location, message: message,
                                     detail: cleanTraceback(traceback))
            case .timeout:
                return FailureReport(errorClass: "timeout", exitCode: 4, location: location, message: error.message, detail: "")
            case .memory:
                return FailureReport(errorClass: "memory", exitCode: 4, location: location, message: error.message, detail: "")
            case .interrupted:
                return FailureReport(errorClass: "timeout", exitCode: 4, location: location, message: error.message, detail: "")
            case let .forbidden(message, _):
                return FailureReport(errorClass: "forbidden", exitCode: 5, location: location, message: message, detail: "")
            case .badArgument:
                return FailureReport(errorClass: "runtime", exitCode: 1, location: location, message: error.message, detail: "")
            case let .callback(host, _):
                var inner = classify(host.error, fallbackLocation: location)
                inner.location = location
                return inner
            }
        case let error as DomainError:
            switch error {
            case let .validation(message):
                return FailureReport(errorClass: "validation", exitCode: 7, location: fallbackLocation, message: message, detail: "")
            case let .permission(message):
                return FailureReport(errorClass: "permission", exitCode: 6, location: fallbackLocation, message: message, detail: "")
            case let .notFound(message):
                return FailureReport(errorClass: "not-found", exitCode: 8, location: fallbackLocation, message: message, detail: "")
            }
        case let error as StoreError:
            switch error {
            case .locked:
                // It waited out its time for the lock (`SinergiDatabase.busyTimeout`): `timeout`.
                return FailureReport(errorClass: "timeout", exitCode: 4, location: fallbackLocation, message: error.description, detail: "")
            case .readOnly:
                return FailureReport(errorClass: "permission", exitCode: 6, location: fallbackLocation, message: error.description, detail: "")
            case .corrupt, .database, .misuse:
                return FailureReport(errorClass: "runtime", exitCode: 1, location: fallbackLocation, message: error.description, detail: "")
            }
        case let error as ScriptError:
            return FailureReport(errorClass: "not-found", exitCode: 8, location: fallbackLocation, message: error.description, detail: "")
        default:
            // Anything unforeseen: its own description.
            return FailureReport(errorClass: "runtime", exitCode: 1, location: fallbackLocation,
                                 message: String(describing: error), detail: "")
        }
    }

    /// The report for standard error.
    ///
    /// Scripts choose much of this text (error messages, chunk names), so it is escaped: the first
    /// line is one line whatever the message holds, and every traceback line is indented, so no
    /// line can pass for another `error[…]` line or rewrite the terminal.
    public var text: String {
        var line = "error[\(errorClass)]: "
        if let location { line += "\(TerminalText.line(location)): " }
        line += TerminalText.line(message)
        var text = line + "\n"
        if !detail.isEmpty {
            for detail in detail.split(separator: "\n", omittingEmptySubsequences: false) {
                let escaped = TerminalText.line(String(detail))
                text += (detail.hasPrefix("\t") ? "\t" + TerminalText.line(String(detail.dropFirst()))
                         : detail == "stack traceback:" ? escaped : "\t" + escaped) + "\n"
            }
        }
        return text
    }

    /// Lua's traceback without the sandbox's own frames.
    static func cleanTraceback(_ traceback: String) -> String {
        traceback.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains(LuaSandbox.preludeChunk) && !$0.contains("[C]: in ?") }
            .joined(separator: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
