import Cron
import Foundation
import Testing

/// Fire times as people read them: ISO 8601 with the zone's offset.
enum Fires {
    static func zone(_ identifier: String) throws -> TimeZone {
        try #require(TimeZone(identifier: identifier))
    }

    static func instant(_ text: String) throws -> Date {
        try #require(ISO8601DateFormatter().date(from: text), "not an ISO 8601 time: \(text)")
    }

    static func text(_ date: Date, in zone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        return formatter.string(from: date)
    }

    /// The first `count` fire times of `expression` after `from`, each found from the one before.
    static func list(_ expression: String, from: String, count: Int, zone identifier: String = "Asia/Jakarta") throws -> [String] {
        let cron = try CronExpression(expression)
        let zone = try zone(identifier)
        var times: [String] = []
        var after = try instant(from)
        for _ in 0..<count {
            guard let next = cron.next(after: after, in: zone) else { break }
            times.append(text(next, in: zone))
            after = next
        }
        return times
    }

    /// The error `expression` throws, if any.
    static func parseError(_ expression: String) -> CronParseError? {
        do {
            _ = try CronExpression(expression)
            return nil
        } catch let error as CronParseError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }
}
