import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// POSTs the message's JSON to a URL — a WhatsApp/Telegram gateway, a chat system's hook —
/// with `Idempotency-Key` so a receiver that sees a message twice (delivery is at least once)
/// can drop the second. A 2xx status is success; any other status, a network error or the
/// channel's timeout is a failure, retried later. Redirects are not followed: a gateway that
/// moves says so with a status, and a POST is not silently turned into a GET elsewhere.
struct WebhookChannel: NotifyChannel {
    let spec: ChannelSpec
    let url: URL
    let headers: [String: String]

    func send(_ delivery: Delivery) throws {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: spec.timeout)
        request.httpMethod = "POST"
        request.httpBody = try delivery.json
        for (field, value) in headers { request.setValue(value, forHTTPHeaderField: field) }
        request.setValue("application/json; charset=utf-8", forHTTPHeaderField: "Content-Type")
        request.setValue(delivery.idempotencyKey, forHTTPHeaderField: "Idempotency-Key")

        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = spec.timeout
        configuration.timeoutIntervalForResource = spec.timeout
        let refuser = RedirectRefuser()
        let session = URLSession(configuration: configuration, delegate: refuser, delegateQueue: nil)
        defer { session.invalidateAndCancel() }
        let outcome = Outcome()
        let task = session.dataTask(with: request) { data, response, error in
            outcome.finish(data: data, response: response, error: error)
        }
        task.resume()
        // The session's own timeout ends the task; this wait is the backstop should it not.
        guard outcome.wait(seconds: spec.timeout + 5) else {
            task.cancel()
            throw DeliveryError.timedOut("\(spec.name): no answer from \(url.absoluteString) within \(spec.timeoutText)")
        }
        let (data, response, error) = outcome.result
        if let error {
            if (error as NSError).code == NSURLErrorTimedOut {
                throw DeliveryError.timedOut("\(spec.name): no answer from \(url.absoluteString) within \(spec.timeoutText)")
            }
            throw DeliveryError.failed("\(spec.name): \(url.absoluteString): \(error.localizedDescription)")
        }
        guard let status = (response as? HTTPURLResponse)?.statusCode else {
            throw DeliveryError.failed("\(spec.name): \(url.absoluteString) gave no HTTP response")
        }
        guard (200..<300).contains(status) else {
            let excerpt = Delivery.printable(String(decoding: (data ?? Data()).prefix(200), as: UTF8.self))
            throw DeliveryError.refused("\(spec.name): \(url.absoluteString) answered \(status)\(excerpt.isEmpty ? "" : ": \(excerpt)")")
        }
    }

    /// The completion handler's result, handed to the waiting thread.
    final class Outcome: @unchecked Sendable {
        private let lock = NSLock()
        private let done = DispatchSemaphore(value: 0)
        private var stored: (Data?, URLResponse?, (any Error)?) = (nil, nil, nil)

        func finish(data: Data?, response: URLResponse?, error: (any Error)?) {
            lock.withLock { stored = (data, response, error) }
            done.signal()
        }

        func wait(seconds: TimeInterval) -> Bool { done.wait(timeout: .now() + seconds) == .success }

        var result: (Data?, URLResponse?, (any Error)?) { lock.withLock { stored } }
    }

    /// Answers every redirect with "do not follow": the 3xx becomes the response, a failure.
    final class RedirectRefuser: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void) {
            completionHandler(nil)
        }
    }
}
