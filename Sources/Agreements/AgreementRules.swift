import Foundation

/// The legal rules an agreement must satisfy, with their sources, and the workspace's choices
/// where the law is silent (UNCONFIRMED in domain.md: configuration, not code).
public struct AgreementRules: Sendable, Equatable {
    /// The workspace's limit on an agreement's term in years (`rules.kb_max_years`): the law's five
    /// unless the workspace is stricter. The law's limit itself is not a setting (`Kind.maximumTerm`),
    /// so this changes only through `limitTerm(toYears:)`, which refuses to loosen it.
    public private(set) var kbMaxYears: Int = AgreementRules.legalMaximumYears
    /// A maximum PKS/kontrak term: none in PP 28/2018 or Permendagri 22/2020 (domain.md 5.1), so nil
    /// by default; regions that follow the 5-year practice (Yogyakarta) set it in sinergi.lua.
    public var pksMaxYears: Int?
    /// Whether the PKS must lie within the KB term: practice, UNCONFIRMED as a rule (domain.md 9).
    public var pksWithinKb: Bool = false
    /// Whether a university may be a Sinergi partner (Satker/BLU PTN in Yogyakarta's practice,
    /// UNCONFIRMED nationally; domain.md 1.4). When false, universities are KSDPK partners only.
    public var universityAsSinergi: Bool = true

    public init() {}

    /// The shortest term limit among the kinds the law limits: five years (Permendagri 22/2020
    /// Pasal 9(3), 32(3); Permendagri 25/2020 Pasal 32).
    public static let legalMaximumYears: Int = {
        guard let years = Kind.allCases.compactMap({ $0.maximumTerm?.years }).min() else {
            preconditionFailure("KSDD, KSDPK and foreign cooperation have a maximum term")
        }
        return years
    }()

    /// Sets a stricter term limit than the law's; refuses a longer one, or one under a year.
    ///
    ///     try rules.limitTerm(toYears: 3)   // a region that renews every three years
    ///     try rules.limitTerm(toYears: 6)   // DomainError.validation: the law allows at most 5
    public mutating func limitTerm(toYears years: Int) throws {
        guard years <= Self.legalMaximumYears else {
            throw DomainError.validation("rules.kb_max_years: \(years) is longer than the law allows; a Kesepakatan Bersama "
                                         + "or foreign agreement runs at most \(Self.legalMaximumYears) years (Permendagri 22/2020 "
                                         + "Pasal 9(3), 32(3); Permendagri 25/2020 Pasal 32). A workspace may set a shorter limit, not a longer one")
        }
        guard years >= 1 else {
            throw DomainError.validation("rules.kb_max_years: \(years) is not a term; give a number of years from 1 to \(Self.legalMaximumYears)")
        }
        kbMaxYears = years
    }

    /// The dates Sinergi accepts in an agreement or document: 1900-01-01 through 2999-12-31.
    ///
    /// A Sinergi limit, not law: no agreement of a living region is older or runs longer, and a
    /// date far out is a typo or arithmetic gone wrong (`today() + 10300000` once stored a year
    /// its own parser could not read back; issue #7, finding 9). Documented in README.
    public static let dateRange: ClosedRange<LocalDate> = {
        guard let first = LocalDate(year: 1900, month: 1, day: 1), let last = LocalDate(year: 2999, month: 12, day: 31) else {
            preconditionFailure("the date range's bounds are real dates")
        }
        return first...last
    }()

    /// Sinergi's limit on the parties of one agreement (not law: the largest real ones have a
    /// handful). It keeps a hostile import row or script from making every later read of the
    /// agreement slow (issue #7, finding 11). Documented in README.
    public static let maximumParties = 100

    /// Refuses a list of `count` parties past `maximumParties`; readers call it before building the
    /// list, so a huge one costs no more than counting.
    public static func requirePartyCount(_ count: Int) throws {
        if count > maximumParties {
            throw DomainError.validation("parties: an agreement has at most \(maximumParties) parties (a Sinergi limit); this one has \(count)")
        }
    }

    /// Refuses `date` outside `dateRange`, naming `field`.
    public static func requireDateInRange(_ date: LocalDate?, field: String) throws {
        if let date, !dateRange.contains(date) {
            throw DomainError.validation("\(field): \(date) is outside the dates Sinergi accepts "
                                         + "(\(dateRange.lowerBound) to \(dateRange.upperBound))")
        }
    }

    /// Checks a document before it is recorded: its date must be in `dateRange`.
    public func validate(_ document: Document) throws {
        try Self.requireStorableText(document)
        try Self.requireDateInRange(document.date, field: "date")
    }

    /// Checks `agreement`; throws the first broken rule as `DomainError.validation`.
    public func validate(_ agreement: Agreement) throws {
        func fail(_ message: String) throws -> Never { throw DomainError.validation(message) }
        if agreement.number.isBlank { try fail("number: an agreement needs a register number") }
        if agreement.title.isBlank { try fail("title: an agreement needs a title") }
        if agreement.leadAgency.isBlank {
            try fail("lead_agency: name the Perangkat Daerah pemrakarsa (Permendagri 22/2020 Pasal 7)")
        }
        switch (agreement.kind, agreement.subkind) {
        case (.ksdd, nil):
            try fail("subkind: a KSDD is either wajib or sukarela (PP 28/2018 Pasal 3)")
        case (.ksdd, _):
            break
        case (_, .some):
            try fail("subkind: only a KSDD has a subkind (wajib/sukarela) (PP 28/2018 Pasal 3)")
        default:
            break
        }
        if let value = agreement.value, value < 0 { try fail("value: must not be negative (got \(value))") }
        try Self.requirePartyCount(agreement.parties.count)
        var allowed = agreement.kind.partnerKinds
        if agreement.kind == .sinergi && !universityAsSinergi { allowed.remove(.perguruan_tinggi) }
        // Each partner signs once: a name given twice (in any case, as the database compares
        // them) is a slip of the hand — a pasted line, a cell repeated in a register — that would
        // count one partner twice in every list and report. Third parties follow the same rule.
        var names: Set<String> = []
        for party in agreement.parties {
            if party.name.isBlank { try fail("parties: a party needs a name") }
            if agreement.parties.count > 1, !names.insert(party.name.lowercased()).inserted {
                try fail("parties: \(party.name) is listed twice; give each partner once")
            }
            // A byte scan: `String.contains(_: String)` goes through Foundation's search, and
            // this check runs on every write of an agreement, a workflow transition's included.
            if party.name.utf8.contains(where: { $0 == UInt8(ascii: ";") || $0 == UInt8(ascii: "\n") }) {
                try fail("parties: a party name may not contain ';' or a line break (\(party.name))")
            }
            if !allowed.contains(party.kind) {
                try fail("parties: a \(party.kind.rawValue) cannot be a partner in a \(agreement.kind.rawValue) "
                         + "(allowed: \(allowed.map(\.rawValue).sorted().joined(separator: ", "))) (\(agreement.kind.partnerSource))")
            }
            if party.form != nil && party.kind != .badan_usaha {
                try fail("parties: only a badan_usaha has a form (bumn/bumd/koperasi/swasta) (PP 28/2018 Pasal 14)")
            }
        }
        for (date, field) in [(agreement.startsOn, "starts_on"), (agreement.endsOn, "ends_on"),
                              (agreement.pksStartsOn, "pks_starts_on"), (agreement.pksEndsOn, "pks_ends_on")] {
            try Self.requireDateInRange(date, field: field)
        }
        try validateTerm(start: agreement.startsOn, end: agreement.endsOn, field: "ends_on")
        try validateTerm(start: agreement.pksStartsOn, end: agreement.pksEndsOn, field: "pks_ends_on")
        if let law = agreement.kind.maximumTerm, let start = agreement.startsOn, let end = agreement.endsOn {
            let what = agreement.kind == .ksdd || agreement.kind == .ksdpk ? "a Kesepakatan Bersama" : "a \(agreement.kind.rawValue)"
            if end > start.adding(years: law.years).adding(days: -1) {
                try fail("ends_on: \(what) runs at most \(law.years) years; \(start) to \(end) is longer (\(law.source))")
            }
            if end > start.adding(years: kbMaxYears).adding(days: -1) {
                try fail("ends_on: this workspace limits \(what) to \(kbMaxYears) years (sinergi.lua rules.kb_max_years); "
                         + "\(start) to \(end) is longer")
            }
        }
        if let maximum = pksMaxYears, let start = agreement.pksStartsOn, let end = agreement.pksEndsOn,
           end > start.adding(years: maximum).adding(days: -1) {
            try fail("pks_ends_on: this workspace limits a PKS to \(maximum) years (sinergi.lua rules.pks_max_years); "
                     + "\(start) to \(end) is longer")
        }
        if pksWithinKb, let pksEnd = agreement.pksEndsOn, let kbEnd = agreement.endsOn, pksEnd > kbEnd {
            try fail("pks_ends_on: the PKS must end by the KB's end (\(kbEnd)) in this workspace (sinergi.lua rules.pks_within_kb)")
        }
        // Spelled out only for a refusal: a valid agreement, the common case, builds no message.
        var grounds: String { EndingGround.grounds(for: agreement.kind).map(\.rawValue).joined(separator: ", ") }
        var groundSource: String { EndingGround.source(for: agreement.kind) }
        if let ground = agreement.endingGround {
            if !ground.applies(to: agreement.kind) {
                try fail("ending_ground: \(ground.rawValue) does not end a \(agreement.kind.rawValue); it ends on \(grounds) (\(groundSource))")
            }
            if agreement.status != .terminated && agreement.status != .expired {
                try fail("ending_ground: only an expired or terminated agreement has an ending ground (\(groundSource))")
            }
        }
        if agreement.status == .terminated && agreement.endingGround == nil {
            try fail("ending_ground: say why it ended (\(groundSource)): \(grounds)")
        }
        if !agreement.kind.stages.contains(agreement.stage) {
            try fail("stage: '\(agreement.stage)' is not a stage of a \(agreement.kind.rawValue) "
                     + "(\(agreement.kind.stages.joined(separator: ", ")))")
        }
    }

    private func validateTerm(start: LocalDate?, end: LocalDate?, field: String) throws {
        if let start, let end, end < start {
            throw DomainError.validation("\(field): the end (\(end)) is before the start (\(start))")
        }
    }
}
