import ArgumentParser
import Foundation
import ScriptHost

/// The CLI's one error path: prints a failure as the contract's first line,
/// `error[CLASS]: WHERE: MESSAGE`, then any traceback (`FailureReport`), and gives the exit code
/// of its class.
enum ErrorReport {
    /// Errors swift-argument-parser reports itself: usage mistakes, --help, --version.
    static func isCommandLineError(_ error: any Error) -> Bool {
        error is ValidationError || error is CleanExit || String(reflecting: type(of: error)).hasPrefix("ArgumentParser.")
    }

    /// Writes the report and returns the exit code to leave with.
    static func report(_ error: any Error, fallbackLocation: String?) -> ExitCode {
        let failure = FailureReport(error, fallbackLocation: fallbackLocation)
        StandardOutput.writeError(failure.text)
        return ExitCode(failure.exitCode)
    }
}
