import Agreements
import Foundation
import Store

extension AgreementExchange {
    /// One record read for import: its input values by field name, its documents (JSON only),
    /// and the line it came from (the row of a sheet, the record number of a JSON array).
    public struct ImportRow: Equatable {
        public var line: Int
        public var values: [String: FieldValue]
        public var documents: [Document] = []
    }

    /// What a file holds for import: the rows that read cleanly, every error of every other row,
    /// and notes on what was left out (a `No` column, a blank one).
    public struct ImportPlan {
        public var rows: [ImportRow] = []
        public var errors: [RowError] = []
        public var notes: [String] = []

        /// The most errors a file's rows are read for: each is kept with its message (a file of
        /// five million bad one-cell lines held a gigabyte of them), and a file with more is no
        /// register to correct row by row.
        public static let maximumErrors = 10_000

        /// True, with an error saying so, once `maximumErrors` are reached at `line`: the rest
        /// is not read.
        mutating func stopsAfterTooManyErrors(at line: Int) -> Bool {
            guard errors.count >= Self.maximumErrors else { return false }
            errors.append(RowError(line: line, message: "more than \(Self.maximumErrors) errors: the rest of the file is not read; "
                                   + "fix these, or check that it is the register you meant"))
            return true
        }
    }

    /// Reads a CSV file as Excel or Sinergi writes it: a byte-order mark is skipped and the
    /// separator (`,`, `;` or tab) detected, or taken from Excel's `sep=;` first line. `map` names
    /// a field for headers import does not know (`["Nama OPD": "lead_agency"]`); `requireKind`
    /// reports a row without a kind with the row's other errors (an `--update` row need not have one).
    public static func readCSV(_ text: String, map: [String: String] = [:], requireKind: Bool = true) -> ImportPlan {
        var text = CSVTable.withoutByteOrderMark(text)
        var separator: Unicode.Scalar?
        var skipped = 0
        let scalars = text.unicodeScalars
        if text.hasPrefix("sep="), let end = scalars.firstIndex(of: "\n") {
            // Scalars, not characters: "\r\n" is one Character, and Excel ends its lines so.
            let hint = scalars[scalars.index(scalars.startIndex, offsetBy: 4)..<end].filter { $0 != "\r" }
            if hint.count == 1, let scalar = hint.first { separator = scalar }
            text = String(scalars[scalars.index(after: end)...])
            skipped = 1
        }
        do {
            let records = try CSVTable.parse(text, separator: separator ?? CSVTable.detectSeparator(text)).map { CSVTable.Record(line: $0.line + skipped, fields: $0.fields) }
            return readTable(records, map: map, requireKind: requireKind)
        } catch CSVTable.ParseError.unterminatedQuote(let line) {
            return ImportPlan(errors: [RowError(line: line + skipped, message: "a quoted field is never closed")])
        } catch CSVTable.ParseError.tooManyCells(let line, let limit) {
            return ImportPlan(errors: [RowError(line: line + skipped, message: "more than \(limit) fields and rows by this line, "
                                                + "far more than a register holds: delete the rows and columns past its data and save it again")])
        } catch {
            return ImportPlan(errors: [RowError(line: 1, message: String(describing: error))])
        }
    }

    /// Reads the rows of a sheet, its header first (after any title rows).
    ///
    /// Headers match a field's name, Indonesian header or alias without regard to case, spaces
    /// and punctuation (`Nilai (Rp)`, `OPD`); columns that match none are left out with a note,
    /// blank rows are skipped, and cells are read in the office's forms (`OfficeCells`). Every
    /// error of every row is reported, each naming its line and column. A register's title rows
    /// above its header (`DAFTAR KERJA SAMA DAERAH TAHUN 2025`) are left out with a note: the
    /// header is the first of the first ten rows that names two fields or more.
    public static func readTable(_ records: [CSVTable.Record], map: [String: String], requireKind: Bool = true) -> ImportPlan {
        var plan = ImportPlan()
        guard !records.isEmpty else {
            plan.errors.append(RowError(line: 1, message: "the file is empty; expected a header row"))
            return plan
        }
        let start = records.prefix(10).firstIndex { ColumnLayout(header: $0, map: map).fields.compactMap { $0 }.count >= 2 } ?? 0
        let header = records[start]
        let layout = ColumnLayout(header: header, map: map)
        if start > 0 {
            plan.notes.append("the header is on line \(header.line); the lines above it are left out")
        }
        plan.notes += layout.notes
        if !layout.errors.isEmpty {
            plan.errors = layout.errors.map { RowError(line: header.line, message: $0) }
            return plan
        }
        var stageless: [Int] = []
        for record in records.dropFirst(start + 1) {
            if plan.stopsAfterTooManyErrors(at: record.line) { break }
            if record.fields.allSatisfy({ $0.trimmingBlanks().isEmpty }) { continue }
            let (values, given, problems) = layout.values(of: record.fields)
            var messages = problems
            if requireKind && !given.contains("kind") {
                messages.append("kind: required (one of: \(Kind.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if messages.isEmpty {
                if given.contains("status") && !given.contains("stage") && values["status"] != .text(Status.draft.rawValue) {
                    stageless.append(record.line)
                }
                plan.rows.append(ImportRow(line: record.line, values: values))
            } else {
                plan.errors += messages.map { RowError(line: record.line, message: $0) }
            }
        }
        if let first = stageless.first {
            // Not silent: an agreement under way whose stage is not given starts at its kind's first.
            plan.notes.append("\(stageless.count == 1 ? "line \(first) gives" : "\(stageless.count) rows (from line \(first)) give") "
                              + "a status but no stage: the stage is the kind's first (persiapan); a Tahap column keeps it")
        }
        return plan
    }
}

/// Which field each column of a sheet gives, from its header row.
struct ColumnLayout {
    /// The field of each column, by position; nil for a column left out.
    var fields: [AgreementField?] = []
    /// The column of `Jenis Mitra`, the partners' kinds.
    var partyKinds: Int?
    var headers: [String] = []
    var notes: [String] = []
    var errors: [String] = []

    init(header: CSVTable.Record, map: [String: String]) {
        let exchanged = AgreementExchange.exchanged
        var mapped: [String: String] = [:]
        for (from, to) in map { mapped[OfficeCells.key(from)] = to }
        var used: Set<String> = []
        var given: [String: String] = [:]
        for (index, raw) in header.fields.enumerated() {
            let name = raw.trimmingBlanks()
            let key = OfficeCells.key(name)
            headers.append(name)
            var field: AgreementField?
            if let target = mapped[key] {
                used.insert(key)
                if OfficeCells.key(target) == OfficeCells.key(OfficeCells.partyKindsHeader) {
                    partyKinds = index
                } else if let named = exchanged.first(where: { $0.name == target }) {
                    field = named
                } else {
                    errors.append("--map '\(name)=\(target)': '\(target)' is not a field (\(AgreementExchange.columns.joined(separator: ", ")))")
                }
            } else if key == "id" {
                field = nil
            } else if key == OfficeCells.key(OfficeCells.partyKindsHeader) {
                partyKinds = index
            } else {
                field = exchanged.first { candidate in
                    ([candidate.name, candidate.header] + candidate.aliases).contains { OfficeCells.key($0) == key }
                }
                if field == nil {
                    notes.append(name.isEmpty ? "column \(index + 1) has no header: left out"
                                 : "column '\(name)' is not a field: left out (--map '\(name)=FIELD' reads it)")
                }
            }
            if let field {
                if let earlier = given[field.name] {
                    errors.append("'\(earlier)' and '\(name)' both give \(field.name)")
                }
                given[field.name] = name
            }
            fields.append(field)
        }
        for (from, _) in map where !used.contains(OfficeCells.key(from)) {
            errors.append("--map '\(from)=…': no column '\(from)' in the header")
        }
    }

    /// The input values of a row, the fields its non-blank cells give, and a message for each
    /// of its errors.
    func values(of cells: [String]) -> (values: [String: FieldValue], given: Set<String>, messages: [String]) {
        var values: [String: FieldValue] = [:]
        var messages: [String] = []
        var columnOf: [String: String] = [:]
        if cells.count > fields.count, cells[fields.count...].contains(where: { !$0.isBlank }) {
            messages.append("has \(cells.count) fields; the header has \(fields.count)")
        }
        for (index, field) in fields.enumerated() {
            guard let field, index < cells.count else { continue }
            let text = cells[index]
            if text.trimmingBlanks().isEmpty { continue }
            columnOf[field.name] = headers[index]
            do {
                let canonical = field.type == .list(.party)
                    ? try OfficeCells.parties(names: text, kinds: partyKinds.flatMap { $0 < cells.count ? cells[$0] : nil },
                                              field: field.name)
                    : try OfficeCells.canonical(text, type: field.type, field: field.name)
                if canonical.isEmpty { continue }
                values[field.name] = try field.value(fromCell: canonical)
            } catch {
                messages.append(label(headers[index], field.name) + String(describing: error))
            }
        }
        // A stage as the office writes it (`Penyusunan KB`) is the kind's stage of that name.
        if case let .text(stage)? = values["stage"], case let .text(kindName)? = values["kind"], let kind = Kind(rawValue: kindName),
           let name = kind.stages.first(where: { OfficeCells.key($0) == OfficeCells.key(stage) }) {
            values["stage"] = .text(name)
        }
        for problem in AgreementField.problems(in: values) {
            messages.append(label(columnOf[problem.field] ?? problem.field, problem.field) + String(describing: problem.error))
        }
        return (values, Set(columnOf.keys), messages)
    }

    /// `column 'Tanggal Berakhir': ` before a message about `ends_on`; nothing when the header
    /// is the field's own name (the message names it already).
    private func label(_ header: String, _ field: String) -> String {
        header == field ? "" : "column '\(header)': "
    }
}
