import Agreements
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends one JSON object per line to a file inside the workspace, for another system to read.
///
/// Each message is one `write` on a descriptor opened with `O_APPEND`, so lines from several
/// deliverers never interleave, and it is flushed (`fsync`) before the message is marked sent.
/// The path is walked from the workspace folder one component at a time with `O_NOFOLLOW`
/// (missing folders are made), so a symbolic link planted in a shared workspace cannot send the
/// lines to another file; the file must be a regular one (a FIFO would block the deliverer).
struct FileChannel: NotifyChannel {
    let spec: ChannelSpec
    let root: URL
    let path: String

    func send(_ delivery: Delivery) throws {
        let descriptor = try openForAppend()
        defer { close(descriptor) }
        var line = try delivery.json
        line.append(0x0A)
        let written = line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == line.count else {
            throw DeliveryError.failed("\(path): wrote \(max(written, 0)) of \(line.count) bytes (\(Self.reason()))")
        }
        guard fsync(descriptor) == 0 else { throw DeliveryError.failed("\(path): cannot flush (\(Self.reason()))") }
    }

    /// The file's descriptor, opened for appending without following any link on the way.
    private func openForAppend() throws -> Int32 {
        var folder = open(root.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { throw DeliveryError.failed("cannot open the workspace folder \(root.path) (\(Self.reason()))") }
        defer { close(folder) }
        let parts = path.pathParts()
        for part in parts.dropLast() {
            if mkdirat(folder, part, 0o750) != 0 && errno != EEXIST {
                throw DeliveryError.failed("\(path): cannot make the folder \(part) (\(Self.reason()))")
            }
            let next = openat(folder, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard next >= 0 else {
                throw DeliveryError.failed("\(path): \(part) is not a folder inside the workspace (a symbolic link is refused) (\(Self.reason()))")
            }
            close(folder)
            folder = next
        }
        let descriptor = openat(folder, parts.last ?? path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else {
            let why: String
            switch errno {
            case ELOOP: why = "it is a symbolic link (a symbolic link is refused)"
            case ENXIO: why = "it is a FIFO no program is reading"
            default: why = Self.reason()
            }
            throw DeliveryError.failed("\(path): cannot open for appending: \(why)")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw DeliveryError.failed("\(path) is not a regular file")
        }
        return descriptor
    }

    static func reason() -> String { String(cString: strerror(errno)) }
}

