#if canImport(Glibc)
// @preconcurrency, and before Foundation (which imports Glibc too): Swift 6 refuses to read the
// C global `stdout` otherwise; it is only read here.
@preconcurrency import Glibc
#endif
import Agreements
import Foundation

/// Standard output and standard error as a command writes them, failures included.
///
/// Foundation's `FileHandle.write(_:)` ends the process with a trap when the write fails (it is
/// a `try!` inside), so `agreement export > /dev/full` crashed; and `print` goes through stdio,
/// which keeps a failed write's error to itself, so `agreement list > /dev/full` exited 0 with
/// its output lost. Here a failure of standard output is an error the CLI reports like any other
/// (`cannot write standard output: No space left on device`, not-found as for `--output`); one of
/// standard error, where nothing more can be said, is dropped.
///
///     try StandardOutput.write(data)      // an export's bytes
///     try StandardOutput.flush()          // once a command has run: what `print` buffered
enum StandardOutput {
    /// Writes `data` to standard output after what `print` buffered, whole, or throws.
    static func write(_ data: Data) throws {
        try flush()
        if let code = writeAll(data, to: STDOUT_FILENO) { throw failure(code) }
    }

    /// Pushes out what `print` buffered; throws when that or an earlier buffered write failed.
    static func flush() throws {
        // A write that failed when the buffer filled left only the stream's error flag behind.
        errno = 0
        if fflush(stdout) != 0 || ferror(stdout) != 0 {
            let code = errno
            clearerr(stdout)
            throw failure(code == 0 ? EIO : code)
        }
    }

    /// Writes text to standard error; a failure there is dropped (there is nowhere to report it).
    static func writeError(_ text: String) {
        _ = writeAll(Data(text.utf8), to: STDERR_FILENO)
    }

    /// Writes all of `data` to `descriptor` (again after an interrupted call); the errno of a
    /// failed write, or nil.
    private static func writeAll(_ data: Data, to descriptor: Int32) -> Int32? {
        data.withUnsafeBytes { bytes in
            var written = 0
            while written < bytes.count {
                let count = Glibc.write(descriptor, bytes.baseAddress.map { $0 + written }, bytes.count - written)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { return count < 0 ? errno : EIO }
                written += count
            }
            return nil
        }
    }

    static func failure(_ code: Int32) -> DomainError {
        .notFound("cannot write standard output: \(String(cString: strerror(code)))")
    }
}
