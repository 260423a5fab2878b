import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program for a channel (the `command` channel's program, the `webhook` channel's
/// curl): from its argument list, never through a shell; `input` on its standard input; stopped
/// past `timeout` (SIGTERM, then SIGKILL, to its whole process group), which is
/// `DeliveryError.timedOut`.
///
/// Spawned with `posix_spawn` and reaped with `waitpid`, not Foundation's `Process`: `Process`
/// learns of an exit through a socket the child inherits, so a program that left a process in
/// the background (a mailer's queue runner) was "still running" for as long as that process
/// lived — a send that had succeeded timed out, was sent again, and the wait after SIGKILL had
/// no end. `swift-subprocess` does this too, but only as `async`, and delivery is synchronous.
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

    /// The descriptor on which a program reads `privateInput` (`/dev/fd/3`).
    static let privateInputDescriptor: Int32 = 3

    /// Runs `executable`; with `privateInput`, the program reads it on descriptor 3, a pipe —
    /// for what must be neither on its command line (`ps` shows it) nor in a file a kill would
    /// leave behind (curl's URL and headers, tokens among them).
    static func run(_ executable: URL, _ arguments: [String], input: Data, privateInput: Data? = nil, timeout: TimeInterval,
                    what: String, timeoutText: String) throws -> Ending {
        func cannotStart(_ why: String) -> DeliveryError { .failed("\(what): cannot start \(executable.path): \(why)") }
        var inputPipe: [Int32] = [-1, -1], outputPipe: [Int32] = [-1, -1], errorPipe: [Int32] = [-1, -1]
        guard makePipe(&inputPipe) else { throw cannotStart(String(cString: strerror(errno))) }
        guard makePipe(&outputPipe) else {
            inputPipe.forEach { close($0) }
            throw cannotStart(String(cString: strerror(errno)))
        }
        guard makePipe(&errorPipe) else {
            (inputPipe + outputPipe).forEach { close($0) }
            throw cannotStart(String(cString: strerror(errno)))
        }
        var privatePipe: [Int32] = [-1, -1]
        if privateInput != nil, !makePipe(&privatePipe) {
            (inputPipe + outputPipe + errorPipe).forEach { close($0) }
            throw cannotStart(String(cString: strerror(errno)))
        }
        let pid: pid_t
        do {
            pid = try spawn(executable.path, arguments, stdin: inputPipe[0], stdout: outputPipe[1], stderr: errorPipe[1],
                            privateInput: privateInput == nil ? nil : privatePipe[0])
        } catch let error as SpawnError {
            (inputPipe + outputPipe + errorPipe + privatePipe).filter { $0 >= 0 }.forEach { close($0) }
            throw cannotStart(error.reason)
        }
        // The child's ends are the child's now.
        [inputPipe[0], outputPipe[1], errorPipe[1], privatePipe[0]].filter { $0 >= 0 }.forEach { close($0) }
        if let privateInput {
            let writer = FileHandle(fileDescriptor: privatePipe[1], closeOnDealloc: true)
            DispatchQueue.global().async {
                try? writer.write(contentsOf: privateInput)
                try? writer.close()
            }
        }
        let exited = DispatchSemaphore(value: 0)
        let status = ExitStatus()
        DispatchQueue.global().async {
            var raw: Int32 = 0
            while waitpid(pid, &raw, 0) == -1 && errno == EINTR {}
            status.raw = raw
            exited.signal()
        }
        // A program that exits without reading its input makes the write fail with EPIPE (SIGPIPE
        // is ignored), which ends the writer.
        signal(SIGPIPE, SIG_IGN)
        let writer = FileHandle(fileDescriptor: inputPipe[1], closeOnDealloc: true)
        DispatchQueue.global().async {
            try? writer.write(contentsOf: input)
            try? writer.close()
        }
        let output = Excerpt(FileHandle(fileDescriptor: outputPipe[0], closeOnDealloc: true))
        let errors = Excerpt(FileHandle(fileDescriptor: errorPipe[0], closeOnDealloc: true))
        guard exited.wait(timeout: .now() + timeout) == .success else {
            // The program leads its own process group: what it started goes with it.
            kill(-pid, SIGTERM)
            if exited.wait(timeout: .now() + killGrace) != .success {
                kill(-pid, SIGKILL)
                exited.wait()
            }
            kill(-pid, SIGKILL)
            throw DeliveryError.timedOut("\(what) did not finish within \(timeoutText) and was stopped")
        }
        let raw = status.raw
        let signalled = raw & 0x7f != 0
        return Ending(exited: !signalled, status: signalled ? raw & 0x7f : (raw >> 8) & 0xff,
                      output: output.text, errors: errors.text, outputEnd: output.end)
    }

    /// The raw `waitpid` status, written by the thread that reaps the child.
    private final class ExitStatus: @unchecked Sendable {
        var raw: Int32 = 0
    }

    struct SpawnError: Error { var reason: String }

    /// Starts `path` with `arguments` in a process group of its own, with the three descriptors
    /// as its standard input, output and error (and `privateInput` as descriptor 3), default signal handling and no signal blocked
    /// (this process ignores SIGPIPE and its threads block signals), and no other descriptor of
    /// this process (they are opened close-on-exec, and any that is not is closed).
    private static func spawn(_ path: String, _ arguments: [String], stdin: Int32, stdout: Int32, stderr: Int32,
                              privateInput: Int32?) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        if let privateInput { posix_spawn_file_actions_adddup2(&actions, privateInput, privateInputDescriptor) }
        if let closeFrom = closeFrom { _ = closeFrom(&actions, privateInput == nil ? 3 : privateInputDescriptor + 1) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, &actions, &attributes, argv, environ)
        guard status == 0 else { throw SpawnError(reason: String(cString: strerror(status))) }
        return pid
    }

    /// A pipe whose two ends are close-on-exec from the start (`pipe2`), so no program another
    /// thread starts meanwhile inherits them.
    private static func makePipe(_ ends: inout [Int32]) -> Bool {
        ends.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            if let pipe2 { return pipe2(base, O_CLOEXEC) == 0 }
            guard pipe(base) == 0 else { return false }
            _ = fcntl(base[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(base[1], F_SETFD, FD_CLOEXEC)
            return true
        }
    }

    /// glibc's `pipe2` and (2.34) `posix_spawn_file_actions_addclosefrom_np`, which its headers
    /// show Swift only with `_GNU_SOURCE`; nil where the libc lacks them.
    private static let pipe2: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pipe2") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32).self)
    }()
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

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
