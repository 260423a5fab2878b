import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A real HTTP/1.1 receiver on 127.0.0.1 for the webhook tests: a listening POSIX socket on a
/// port the kernel picks, one thread accepting connections one at a time. Each request is
/// recorded (method, path, headers, body) and answered with the next status of `statuses`
/// (the last one repeats; status 0 never answers, holding the connection open until `stop`;
/// `endlessAnswer` answers 200 with a body that does not end).
/// It serves at most `maximumRequests` and stops when the test drops it.
final class HTTPReceiver: @unchecked Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [String: String]
        var body: Data
        func header(_ name: String) -> String? { headers[name.lowercased()] }
    }

    let port: UInt16
    private let socket: Int32
    private let lock = NSLock()
    private var statuses: [Int]
    private var recorded: [Request] = []
    private var held: [Int32] = []
    private var stopped = false
    private let maximumRequests: Int

    let url: URL
    var requests: [Request] { lock.withLock { recorded } }

    init(statuses: [Int] = [200], maximumRequests: Int = 200) throws {
        self.statuses = statuses
        self.maximumRequests = maximumRequests
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socket, 16) == 0 else { close(socket); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        self.socket = socket
        port = UInt16(bigEndian: address.sin_port)
        guard let url = URL(string: "http://127.0.0.1:\(port)/hook") else { close(socket); throw POSIXError(.EINVAL) }
        self.url = url
        // The thread holds the receiver only while it serves one connection: when the test drops
        // it, the loop ends within a poll interval and `deinit` closes the socket.
        let thread = Thread { [weak self] in
            while let receiver = self, receiver.serveOne() {}
        }
        thread.start()
    }

    deinit { stop() }

    /// Closes the listening socket (the accept loop ends) and any held connection; once only,
    /// so a descriptor number another test has since reused is never closed.
    func stop() {
        let connections = lock.withLock { () -> [Int32]? in
            guard !stopped else { return nil }
            stopped = true
            return held
        }
        guard let connections else { return }
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
        for connection in connections { close(connection) }
    }

    /// Waits up to 0.1 s for a connection and serves it; false once stopped or after
    /// `maximumRequests`.
    private func serveOne() -> Bool {
        guard lock.withLock({ !stopped && recorded.count < maximumRequests }) else { return false }
        var waiting = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        guard poll(&waiting, 1, 100) > 0 else { return true }
        let connection = accept(socket, nil, nil)
        guard connection >= 0 else { return false }
        if handle(connection) { close(connection) }
        return true
    }

    /// The status that answers 200 with a body without end: 1 MB chunks until the client leaves
    /// or 30 s pass (a receiver answering gigabytes).
    static let endlessAnswer = -1

    private func flood(_ connection: Int32) {
        let head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        _ = head.withCString { write(connection, $0, strlen($0)) }
        let chunk = Data("100000\r\n".utf8) + Data(repeating: UInt8(ascii: "A"), count: 1 << 20) + Data("\r\n".utf8)
        let end = Date().addingTimeInterval(30)
        while Date() < end, lock.withLock({ !stopped }) {
            let sent = chunk.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { break }
        }
    }

    /// Reads one request and answers it; false when the connection is held unanswered.
    private func handle(_ connection: Int32) -> Bool {
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Range<Data.Index>?
        var expected = Int.max
        while buffer.count < expected {
            let count = read(connection, &chunk, chunk.count)
            guard count > 0 else { return true }
            buffer.append(contentsOf: chunk[0..<count])
            if headerEnd == nil, let end = buffer.range(of: Data("\r\n\r\n".utf8)) {
                headerEnd = end
                let head = String(decoding: buffer[..<end.lowerBound], as: UTF8.self)
                let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                    .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                expected = end.upperBound - buffer.startIndex + length
            }
        }
        guard let headerEnd else { return true }
        let lines = String(decoding: buffer[..<headerEnd.lowerBound], as: UTF8.self).split(separator: "\r\n").map(String.init)
        let requestLine = lines.first?.split(separator: " ").map(String.init) ?? []
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let request = Request(method: requestLine.first ?? "", path: requestLine.count > 1 ? requestLine[1] : "",
                              headers: headers, body: Data(buffer[headerEnd.upperBound...]))
        let status = lock.withLock { () -> Int in
            recorded.append(request)
            return statuses.count > 1 ? statuses.removeFirst() : statuses.first ?? 200
        }
        if status == 0 {
            lock.withLock { held.append(connection) }
            return false
        }
        if status == HTTPReceiver.endlessAnswer {
            flood(connection)
            return true
        }
        let body = status < 300 ? "ok" : "gateway failed"
        // A 3xx points elsewhere on this receiver, to see whether the client follows it.
        let location = (300..<400).contains(status) ? "Location: /elsewhere\r\n" : ""
        let response = "HTTP/1.1 \(status) X\r\n\(location)Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        _ = response.withCString { write(connection, $0, strlen($0)) }
        return true
    }
}
