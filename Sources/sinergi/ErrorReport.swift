import Agreements
import ArgumentParser
import Foundation
import LuaKit
import ScriptHost

/// Prints a failure as the contract's first line, `error[CLASS]: WHERE: MESSAGE`, then any
/// traceback, and returns the exit code of its class.
enum ErrorReport {
    struct Classified {
        var errorClass: String
        var exitCode: Int32
        var location: String?
        var message: String
        var detail: String
    }

    static func classify(_ error: any Error, fallbackLocation: String?) -> Classified {
        switch error {
        case let error as LuaError:
            let location = error.location?.description ?? fallbackLocation
            switch error {
            case let .syntax(message, _, _):
                return Classified(errorClass: "syntax", exitCode: 3, location: location, message: message, detail: "")
            case let .runtime(message, _, traceback):
                return Classified(errorClass: "runtime", exitCode: 1, location: location, message: message,
                                  detail: cleanTraceback(traceback))
            case .timeout:
                return Classified(errorClass: "timeout", exitCode: 4, location: location, message: error.message, detail: "")
            case .memory:
                return Classified(errorClass: "memory", exitCode: 4, location: location, message: error.message, detail: "")
            case .interrupted:
                return Classified(errorClass: "timeout", exitCode: 4, location: location, message: error.message, detail: "")
            case let .forbidden(message, _):
                return Classified(errorClass: "forbidden", exitCode: 5, location: location, message: message, detail: "")
            case .badArgument:
                return Classified(errorClass: "runtime", exitCode: 1, location: location, message: error.message, detail: "")
            case let .callback(host, _):
                var inner = classify(host.error, fallbackLocation: location)
                inner.location = location
                return inner
            }
        case let error as DomainError:
            switch error {
            case let .validation(message):
                return Classified(errorClass: "validation", exitCode: 7, location: fallbackLocation, message: message, detail: "")
            case let .permission(message):
                return Classified(errorClass: "permission", exitCode: 6, location: fallbackLocation, message: message, detail: "")
            case let .notFound(message):
                return Classified(errorClass: "not-found", exitCode: 8, location: fallbackLocation, message: message, detail: "")
            }
        case let error as ScriptError:
            return Classified(errorClass: "not-found", exitCode: 8, location: fallbackLocation, message: error.description, detail: "")
        default:
            return Classified(errorClass: "runtime", exitCode: 1, location: fallbackLocation,
                              message: String(describing: error), detail: "")
        }
    }

    /// Writes the report and returns the exit code to leave with.
    ///
    /// Scripts choose much of this text (error messages, chunk names), so it is escaped: the first
    /// line is one line whatever the message holds, and every traceback line is indented, so no
    /// line can pass for another `error[…]` line or rewrite the terminal.
    static func report(_ error: any Error, fallbackLocation: String?) -> ExitCode {
        let classified = classify(error, fallbackLocation: fallbackLocation)
        var line = "error[\(classified.errorClass)]: "
        if let location = classified.location { line += "\(TerminalText.line(location)): " }
        line += TerminalText.line(classified.message)
        var text = line + "\n"
        if !classified.detail.isEmpty {
            for detail in classified.detail.split(separator: "\n", omittingEmptySubsequences: false) {
                let escaped = TerminalText.line(String(detail))
                text += (detail.hasPrefix("\t") ? "\t" + TerminalText.line(String(detail.dropFirst()))
                         : detail == "stack traceback:" ? escaped : "\t" + escaped) + "\n"
            }
        }
        FileHandle.standardError.write(Data(text.utf8))
        return ExitCode(classified.exitCode)
    }

    /// Lua's traceback without the sandbox's own frames.
    static func cleanTraceback(_ traceback: String) -> String {
        traceback.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains(LuaSandbox.preludeChunk) && !$0.contains("[C]: in ?") }
            .joined(separator: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
