import Cron
import Foundation
import Store

/// Which fires of one job to record at `now`: the cron's instants after the job's anchor (its
/// last recorded fire, or when it was first seen), sorted into on-time and missed, and the
/// job's misfire policy applied. Pure: no database, no clock.
///
/// An instant is on time when it is at most `grace` old (a tick or a wake-up a little late is
/// not a misfire); older ones were missed while no scheduler ran.
struct FirePlan: Equatable {
    struct Entry: Equatable {
        var instant: Date
        var state: ScheduledFire.State
        var message: String?
    }

    var entries: [Entry] = []
    /// Set when the anchor lay beyond the catch-up horizon: the new `since` of the job, so the
    /// next plan starts from there instead of re-reading instants it can never record.
    var advancedSince: Date?

    /// - Parameters:
    ///   - limit: the most instants `misfire = all` records (the newest; older ones are dropped
    ///     and said so in the first recorded fire's message).
    ///   - horizon: how far back instants are looked at, at most (bounds the work after a long
    ///     downtime: a minutely job down a month reads 44,640 instants once, not more).
    static func make(job: ScheduledJob, anchor: Date, now: Date, zone: TimeZone, grace: TimeInterval,
                     limit: Int, horizon: TimeInterval) -> FirePlan {
        var plan = FirePlan()
        var cursor = anchor
        if cursor < now.addingTimeInterval(-horizon) {
            cursor = now.addingTimeInterval(-horizon)
            plan.advancedSince = cursor
        }
        var kept: [Date] = []
        var total = 0
        while let next = job.cron.next(after: cursor, in: zone), next <= now {
            total += 1
            kept.append(next)
            if kept.count > max(limit, 1) { kept.removeFirst(kept.count - max(limit, 1)) }
            cursor = next
        }
        guard let latest = kept.last else { return plan }
        let onTime = kept.filter { $0 >= now.addingTimeInterval(-grace) }
        let missed = total - onTime.count
        plan.entries = onTime.map { Entry(instant: $0, state: .pending) }
        guard missed > 0 else { return plan }
        switch job.misfire {
        case .skip:
            if onTime.isEmpty {
                plan.entries = [Entry(instant: latest, state: .skipped,
                                      message: "\(missed) fire(s) missed while no scheduler ran (misfire = skip)")]
            }
        case .once:
            if onTime.isEmpty {
                plan.entries = [Entry(instant: latest, state: .pending,
                                      message: "late: stands for \(missed) fire(s) missed while no scheduler ran (misfire = once)")]
            }
        case .all:
            let late = kept.filter { $0 < now.addingTimeInterval(-grace) }
            var entries = late.map { Entry(instant: $0, state: .pending, message: "late: missed while no scheduler ran (misfire = all)") }
            if missed > late.count, !entries.isEmpty {
                entries[0].message = "late: missed while no scheduler ran; \(missed - late.count) older missed fire(s) dropped "
                    + "(misfire = all runs at most the newest \(limit))"
            }
            plan.entries = entries + plan.entries
        }
        return plan
    }
}
