import Agreements

/// The clocks' defects: a timer firing an event no state has, and a period in hari kerja that can
/// run into a year whose holidays are not (all) listed.
extension WorkflowChecker {
    /// What the timers in `lines` (a definition's source, or a `lib` module's) get wrong: the
    /// literal `fire = "EVENT"` and `workdays = N` of `ctx.timer{…}` calls, or N and `"workdays"`
    /// passed to a helper that sets one (deadlines are the states', checked with them).
    func timerProblems(of definition: WorkflowDefinition, lines: SourceLines) -> [WorkflowProblem] {
        var found: [WorkflowProblem] = []
        let events = Set(definition.states.values.flatMap(\.events.keys))
        // A deadline's `fire` is checked against its own state's events (`structureProblems`).
        for fire in lines.strings(of: "fire") where !WorkflowChecker.isDeadline(fire) && !events.contains(fire.text) {
            found.append(WorkflowProblem(line: fire.line, message: "a timer fires \(fire.text), which is not an event of any state of "
                                         + "\(definition.name) (events: \(events.sorted().joined(separator: ", ")))"))
        }
        for workdays in lines.numbers(of: "workdays").filter({ !WorkflowChecker.isDeadline($0) }) + lines.workdaysArguments {
            guard let count = Int(workdays.text), count > 0 else { continue }
            if let warning = holidayWarning(count, line: workdays.line, what: "a timer") { found.append(warning) }
        }
        return found
    }

    /// Whether a field's value sits in a `deadline = { … }`.
    private static func isDeadline(_ entry: SourceLines.Entry) -> Bool {
        entry.path.dropLast().last == "deadline"
    }

    /// The calendar days `count` working days can take, holidays and long cuti bersama included:
    /// five working days a week, and a month to spare.
    static func calendarSpan(ofWorkdays count: Int) -> Int { count * 7 / 5 + 30 }

    /// The fewest days a year's list must hold to count as that year's holidays. A year's national
    /// holidays alone are 17 (the 2026 SKB's count); its fixed and Easter-based ones, which a
    /// list made before the year's SKB can already give, are 8. Fewer than 12 listed means the
    /// lunar and Saka holidays are missing — leaving a margin for an office that lists only the
    /// holidays falling on weekdays.
    static let fewestDaysOfAListedYear = 12

    /// A warning when a period of `count` hari kerja starting between today and its own span from
    /// now can reach a year for which `holidays{…}` lists no day, or too few for a whole year
    /// (`fewestDaysOfAListedYear`): that year's missing holidays would count as working days, and
    /// the period would end early — a DPRD's 45 hari kerja deemed approved days too soon.
    func holidayWarning(_ count: Int, line: Int?, what: String) -> WorkflowProblem? {
        let last = today.adding(days: WorkflowChecker.calendarSpan(ofWorkdays: count))
        var listed: [Int: Int] = [:]
        for day in holidays { listed[day.components.year, default: 0] += 1 }
        let years = today.components.year...last.components.year
        let none = years.filter { listed[$0] == nil }
        let partial = years.filter { (1..<WorkflowChecker.fewestDaysOfAListedYear).contains(listed[$0] ?? 0) }
        guard !none.isEmpty || !partial.isEmpty else { return nil }
        var lists: [String] = []
        if !none.isEmpty { lists.append("none for " + none.map(String.init).joined(separator: " and ")) }
        if !partial.isEmpty {
            let counts = partial.map { year in listed[year] == 1 ? "1 day for \(year)" : "\(listed[year] ?? 0) days for \(year)" }
            lists.append("only " + counts.joined(separator: " and ") + " (a whole year has 17 national holidays alone)")
        }
        return WorkflowProblem(line: line, message: "\(what) counts \(count) hari kerja, which from \(today) can run until \(last); "
                               + "sinergi.lua's holidays { … } lists \(lists.joined(separator: " and ")), so its holidays would count as working days "
                               + "(add that year's national holidays and cuti bersama)", isWarning: true)
    }
}
