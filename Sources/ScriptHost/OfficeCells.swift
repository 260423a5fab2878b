import Agreements
import Foundation
import Store

/// Cells as an office's spreadsheet writes them, read into the forms the field codecs take, and
/// the model's values written back in the office's forms (`agreement export --excel`, xlsx).
///
/// A register kept in Excel by a Bagian Pemerintahan says `31/12/2027`, `Rp 1.250.000.000`,
/// `Aktif` and `BUMD`; the codecs take `2027-12-31`, `1250000000`, `active` and
/// `badan_usaha/bumd`. Which reading applies follows the field's `FieldType` in the field table,
/// so no field is named here: only the office's words for the model's values.
enum OfficeCells {
    /// The office's names for statuses, beside the model's own (which are always accepted).
    /// The first name of a status is what an office export writes.
    static let statusNames: [(name: String, status: Status)] = [
        ("Draft", .draft), ("Draf", .draft), ("Konsep", .draft), ("Proses", .draft),
        ("Aktif", .active), ("Berlaku", .active),
        ("Berakhir", .expired), ("Kedaluwarsa", .expired), ("Habis", .expired),
        ("Diakhiri", .terminated), ("Dihentikan", .terminated), ("Diputus", .terminated), ("Batal", .terminated),
    ]

    /// The office's names for kinds of partner; the first name of a (kind, form) is what an
    /// office export writes in the `Jenis Mitra` column.
    static let partyKindNames: [(name: String, kind: PartyKind, form: BusinessForm?)] = [
        ("Provinsi", .provinsi, nil), ("Pemerintah Provinsi", .provinsi, nil), ("Pemprov", .provinsi, nil),
        ("Kabupaten", .kabupaten, nil), ("Pemerintah Kabupaten", .kabupaten, nil), ("Pemkab", .kabupaten, nil),
        ("Kota", .kota, nil), ("Pemerintah Kota", .kota, nil), ("Pemkot", .kota, nil),
        ("Kementerian", .kementerian, nil),
        ("Lembaga", .lembaga, nil), ("Lembaga Pemerintah Nonkementerian", .lembaga, nil),
        ("Perseorangan", .perseorangan, nil), ("Perorangan", .perseorangan, nil),
        ("Badan Usaha", .badan_usaha, nil),
        ("BUMN", .badan_usaha, .bumn), ("BUMD", .badan_usaha, .bumd), ("Koperasi", .badan_usaha, .koperasi),
        ("Badan Usaha Swasta", .badan_usaha, .swasta), ("Swasta", .badan_usaha, .swasta),
        ("Perusahaan Swasta", .badan_usaha, .swasta),
        ("Ormas", .ormas, nil), ("Organisasi Kemasyarakatan", .ormas, nil),
        ("Perguruan Tinggi", .perguruan_tinggi, nil), ("Universitas", .perguruan_tinggi, nil),
        ("Luar Negeri", .luar_negeri, nil),
    ]

    /// The column beside `Mitra` that gives each partner's kind: part of the parties field in an
    /// office register, so it has no entry of its own in the field table.
    static let partyKindsHeader = "Jenis Mitra"

    /// Indonesian month names and their short forms, for `31 Desember 2027` (English ones too).
    static let months: [String: Int] = {
        let indonesian = ["januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september",
                          "oktober", "november", "desember"]
        let english = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                       "october", "november", "december"]
        var table: [String: Int] = [:]
        for (index, name) in indonesian.enumerated() { table[name] = index + 1; table[String(name.prefix(3))] = index + 1 }
        for (index, name) in english.enumerated() { table[name] = index + 1; table[String(name.prefix(3))] = index + 1 }
        table["agu"] = 8
        table["okt"] = 10
        table["des"] = 12
        return table
    }()

    /// A cell quoted in a message, cut after 80 bytes (`String.bounded`, at a scalar boundary: a
    /// hostile cell may be megabytes, even in one grapheme of combining marks), and every error
    /// of every row is printed.
    static func shown(_ text: String) -> String { "'" + text.bounded(toBytes: 83) + "'" }

    /// The forms of a date an import reads, for messages.
    static let dateForms = "31/12/2027, 31-12-2027, 2027-12-31 or 31 Desember 2027"

    /// Letters and digits only, lower case: how headers and names are matched (`Nilai (Rp)` → `nilairp`).
    static func key(_ text: String) -> String {
        var kept = String.UnicodeScalarView()
        for scalar in text.lowercased().unicodeScalars where isAlphanumeric(scalar) { kept.append(scalar) }
        return String(kept)
    }

    /// Unicode's letters, marks and numbers (L*, M*, N*) — what Foundation's
    /// `CharacterSet.alphanumerics` means (and holds, across the Basic Multilingual Plane) — read
    /// from the scalar's own properties: the static `alphanumerics` builds a set at each use, and
    /// matching one choice cell keys some thirty names (a 100,000-row import spent a fifth of its
    /// time there).
    static func isAlphanumeric(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// An office's cell as the codec of a field of type `type` reads it; throws naming `field`,
    /// the cell, and the forms allowed.
    static func canonical(_ text: String, type: FieldType, field: String) throws -> String {
        let trimmed = text.trimmingBlanks()
        switch type {
        case .date:
            if trimmed.isEmpty || trimmed == "-" { return "" }
            guard let date = date(trimmed) else {
                throw DomainError.validation("\(field): \(shown(text)) is not a date (\(dateForms))")
            }
            return date.description
        case .integer:
            if trimmed.isEmpty || trimmed == "-" { return "" }
            guard let amount = rupiah(trimmed) else {
                throw DomainError.validation("\(field): \(shown(text)) is not a whole number of rupiah (1250000000, 1.250.000.000, Rp 1.250.000.000,00)")
            }
            return amount
        case let .choice(names):
            if trimmed.isEmpty { return "" }
            guard let name = choice(trimmed, names: names) else {
                let office = statusNames.filter { names.contains($0.status.rawValue) }.map(\.name)
                throw DomainError.validation("\(field): \(shown(text)) is not one of: \((names + office).joined(separator: ", "))")
            }
            return name
        case let .list(.choice(names)):
            return items(trimmed).map { choice($0, names: names) ?? $0 }.joined(separator: "; ")
        case .list:
            return items(trimmed).joined(separator: "; ")
        default:
            return text
        }
    }

    /// The cells of a list: split at `;` or a line break (Alt+Enter in a cell).
    static func items(_ text: String) -> [String] {
        // Scalars, not characters: a cell may be megabytes (see `parties`), and "\r\n" is one Character.
        text.unicodeScalars.split(whereSeparator: { $0 == ";" || $0 == "\n" || $0 == "\r" })
            .map { String($0).trimmingBlanks(newlines: false) }.filter { !$0.isEmpty }
    }

    /// A model name for an office's word: the name itself in any case, a kind's full title
    /// (`Kerja Sama Daerah dengan Pihak Ketiga`), or a status's Indonesian name.
    static func choice(_ text: String, names: [String]) -> String? {
        let wanted = key(text)
        if let name = names.first(where: { key($0) == wanted }) { return name }
        if let kind = Kind.allCases.first(where: { key($0.title) == wanted }), names.contains(kind.rawValue) { return kind.rawValue }
        if let status = statusNames.first(where: { key($0.name) == wanted })?.status, names.contains(status.rawValue) {
            return status.rawValue
        }
        return nil
    }

    /// `31/12/2027`, `31-12-2027`, `31.12.2027`, `2027-12-31`, `2027-12-31 00:00:00`, `31 Desember 2027`,
    /// and the serial number an .xlsx keeps a date cell as (days since 1899-12-30: 46752 is 2027-12-31;
    /// from 10000, 1927, so that a year typed alone is refused rather than read as a day of 1905).
    static func date(_ text: String) -> LocalDate? {
        if let serial = Int(text), (10_000...2_958_465).contains(serial) {
            return LocalDate(dayNumber: serial - XLSXWorkbook.serialOfLocalDateZero)
        }
        var text = text
        // Excel's date-time: a time of day after the date (`00:00:00` as a date column writes it).
        if let space = text.firstIndex(of: " "), text[text.index(after: space)...].allSatisfy({ $0.isNumber || $0 == ":" }),
           text[..<space].contains(where: { $0 == "-" || $0 == "/" }) {
            guard isTimeOfDay(text[text.index(after: space)...]) else { return nil }
            text = String(text[..<space])
        }
        let parts = text.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." || $0 == " " }).map(String.init)
        guard parts.count == 3 else { return nil }
        if parts[0].count == 4, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]) {
            return LocalDate(year: year, month: month, day: day)
        }
        guard let day = Int(parts[0]), let year = Int(parts[2]), parts[2].count == 4 else { return nil }
        guard let month = Int(parts[1]) ?? months[parts[1].lowercased()] else { return nil }
        return LocalDate(year: year, month: month, day: day)
    }

    /// `H:MM` or `H:MM:SS` within a day: `99:99:99` is no time.
    private static func isTimeOfDay(_ text: Substring) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ (1...2).contains($0.count) }),
              let hour = Int(parts[0]), hour < 24 else { return false }
        return parts.dropFirst().allSatisfy { Int($0).map { $0 < 60 } ?? false }
    }

    /// Whole rupiah as digits: `Rp 1.250.000.000`, `1.250.000.000,00`, `Rp 1.250.000.000,-`, `1250000000`; nil for
    /// anything else, a fraction of a rupiah included.
    static func rupiah(_ text: String) -> String? {
        var body = text.replacingOccurrences(of: "\u{00A0}", with: "").replacingOccurrences(of: " ", with: "")
        for prefix in ["Rp.", "Rp", "RP.", "RP", "rp.", "rp"] where body.hasPrefix(prefix) {
            body.removeFirst(prefix.count)
            break
        }
        // `Rp 1.250.000,-`: the office's way of saying "no sen".
        if body.hasSuffix(",-") { body.removeLast(2) }
        let negative = body.hasPrefix("-")
        if negative { body.removeFirst() }
        if let comma = body.lastIndex(of: ",") {
            // Indonesian decimals: ",00" is whole; any other fraction is not a whole rupiah.
            guard body[body.index(after: comma)...].allSatisfy({ $0 == "0" }) else { return nil }
            body = String(body[..<comma])
        }
        let groups = body.split(separator: ".", omittingEmptySubsequences: false)
        if groups.count > 1 {
            guard let first = groups.first, (1...3).contains(first.count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
            body = groups.joined()
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isNumber }), Int64(body) != nil else { return nil }
        return (negative ? "-" : "") + body
    }
}
