import Agreements
import Foundation
import Store

/// Agreements as an office's register: Indonesian headers, `dd/mm/yyyy`, `Ya`/`Tidak`, `Aktif`,
/// the partners' names and kinds in two columns (`agreement export --excel`, `--format xlsx`,
/// `agreement template`).
///
/// The columns follow the field table (`AgreementField.header`); what is written here `import`
/// reads back unchanged, through the same office readings (`OfficeCells`).
extension AgreementExchange {
    /// The header row of an office register.
    public static var officeHeader: [String] {
        exchanged.flatMap { field in field.type == .list(.party) ? [field.header, OfficeCells.partyKindsHeader] : [field.header] }
    }

    /// One agreement as the cells of an office register's row.
    static func officeCells(_ agreement: Agreement) -> [XLSXWorkbook.Cell] {
        exchanged.flatMap { field -> [XLSXWorkbook.Cell] in
            let statuses = Status.allCases.map(\.rawValue)
            switch (field.type, field.value(of: agreement)) {
            case (.list(.party), _):
                return [.text(agreement.parties.map(\.name).joined(separator: "; ")),
                        .text(agreement.parties.map(OfficeCells.name(of:)).joined(separator: "; "))]
            case let (.date, .date(date)):
                return [.date(date)]
            case let (.boolean, .boolean(flag)):
                return [.text(flag ? "Ya" : "Tidak")]
            case let (.integer, .integer(number)):
                return [.number(String(number))]
            case let (.choice(names), .text(name)) where names == statuses:
                return [.text(OfficeCells.statusNames.first { $0.status.rawValue == name }?.name ?? name)]
            default:
                return [.text(field.cell(of: agreement))]
            }
        }
    }

    /// CSV as Excel opens it in an Indonesian locale: a byte-order mark, `;` between cells, CRLF
    /// line ends, the office's forms; formula-like cells neutralised as in every CSV Sinergi writes.
    public static func excelCSV(_ agreements: [Agreement]) -> String {
        var lines = [CSVTable.line(officeHeader, separator: ";")]
        for agreement in agreements {
            lines.append(CSVTable.line(officeCells(agreement).map { cell in
                switch cell {
                case let .text(text): return text
                case let .number(number): return number
                case let .date(date):
                    let (year, month, day) = date.components
                    return String(format: "%02d/%02d/%04d", day, month, year)
                }
            }, separator: ";"))
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
    }

    /// An `.xlsx` register of `agreements`; with `allowedValues`, a second sheet lists what each
    /// column takes (`agreement template`).
    public static func xlsx(_ agreements: [Agreement], allowedValues: Bool = false) throws -> Data {
        var sheets = [XLSXWorkbook.Sheet(name: "Register", rows: [officeHeader.map { .text($0) }] + agreements.map(officeCells))]
        if allowedValues {
            sheets.append(XLSXWorkbook.Sheet(name: "Pilihan", rows: allowedValueRows.map { $0.map { .text($0) } }))
        }
        return try XLSXWorkbook.write(sheets)
    }

    /// What each column of an office register takes: header, field, allowed values, meaning.
    public static var allowedValueRows: [[String]] {
        var rows = [["Kolom", "Field", "Nilai yang diterima", "Keterangan"]]
        for field in exchanged {
            rows.append([field.header, field.name, allowed(field.type), field.doc])
            if field.type == .list(.party) {
                rows.append([OfficeCells.partyKindsHeader, field.name, OfficeCells.partyKindNames.map(\.name).joined(separator: ", "),
                             "the kind of each partner in Mitra, in the same order (or one kind for all)"])
            }
        }
        return rows
    }

    private static func allowed(_ type: FieldType) -> String {
        switch type {
        case .date: return OfficeCells.dateForms
        case .boolean: return "Ya, Tidak"
        case .integer: return "1250000000, 1.250.000.000, Rp 1.250.000.000,00"
        case let .choice(names) where names == Status.allCases.map(\.rawValue):
            return (names + OfficeCells.statusNames.map(\.name)).joined(separator: ", ")
        case let .choice(names): return names.joined(separator: ", ")
        case let .list(.choice(names)): return "several of: " + names.joined(separator: ", ") + " (separated by ;)"
        case .list(.party): return "names separated by ; or a line break"
        case .list: return "names separated by ; or a line break"
        default: return "text"
        }
    }
}
