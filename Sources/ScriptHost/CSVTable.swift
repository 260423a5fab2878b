/// RFC 4180 CSV, read with the physical line on which each record starts.
///
/// Written here rather than taken from a package because import errors must name the line of
/// the file (`data.csv:7:`), and a quoted field may span lines; the CSV packages available
/// report record indexes, not lines.
///
/// Cells are safe to open in a spreadsheet: a cell that a spreadsheet would run as a formula
/// (it begins with `=`, `+`, `-`, `@`, a tab or a carriage return) is written with a leading `'`,
/// as is a cell that begins with `'` itself, and `parse` drops one leading `'` — so
/// `parse(line(fields))` gives `fields` back exactly (OWASP "CSV injection"; issue #7, finding 10).
/// A plain number such as `-5` is left as it is: it is no formula, and a spreadsheet should see
/// a number.
public enum CSVTable {
    public struct Record: Equatable {
        public var line: Int
        public var fields: [String]
    }

    public enum ParseError: Error, Equatable {
        case unterminatedQuote(line: Int)
        /// More than `limit` fields and records, the line where the limit was passed.
        case tooManyCells(line: Int, limit: Int)
    }

    /// The most fields and records (rows) a table read for import may hold — a CSV file's, or
    /// an .xlsx sheet's with its shared strings and the empty cells its references skip. A
    /// register of 100,000 rows of 30 columns is 3 million; an empty field costs 16 bytes kept
    /// however few bytes it took (`,` alone), so this bounds what a file of tiny or skipped
    /// cells makes the reader hold (about 160 MB of empty text at most).
    public static let maximumCells = 10_000_000

    /// Parses `text`, its fields split at `separator`; a trailing newline does not make an empty
    /// record. A line ends at LF, CR LF or a lone CR (Excel for Mac's "CSV (Macintosh)").
    /// Past `cellLimit` fields and records it throws `tooManyCells`.
    public static func parse(_ text: String, separator: Unicode.Scalar = ",", cellLimit: Int = maximumCells) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var quoted = false
        var line = 1
        var recordLine = 1
        var atFieldStart = true
        var cells = 0
        func count(_ added: Int) throws {
            cells += added
            if cells > cellLimit { throw ParseError.tooManyCells(line: line, limit: cellLimit) }
        }
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let scalar = pending { pending = nil; return scalar }
            return iterator.next()
        }
        while let scalar = next() {
            if quoted {
                if scalar == "\"" {
                    if let following = next() {
                        if following == "\"" { field.unicodeScalars.append("\"") } else { quoted = false; pending = following }
                    } else {
                        quoted = false
                    }
                } else {
                    if scalar == "\n" { line += 1 }
                    if scalar == "\r" {
                        pending = next()
                        if pending != "\n" { line += 1 }
                    }
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where atFieldStart:
                quoted = true
                atFieldStart = false
            case separator:
                try count(1)
                fields.append(restored(field))
                field = ""
                atFieldStart = true
            case "\r", "\n":
                if scalar == "\r" {
                    // CR LF is one line end; a lone CR is one too.
                    if let following = next(), following != "\n" { pending = following }
                }
                fields.append(restored(field))
                if !(fields.count == 1 && fields[0].isEmpty) {
                    try count(2)
                    records.append(Record(line: recordLine, fields: fields))
                }
                fields = []
                field = ""
                atFieldStart = true
                line += 1
                recordLine = line
            default:
                field.unicodeScalars.append(scalar)
                atFieldStart = false
            }
        }
        if quoted { throw ParseError.unterminatedQuote(line: recordLine) }
        if !field.isEmpty || !fields.isEmpty {
            try count(2)
            fields.append(restored(field))
            records.append(Record(line: recordLine, fields: fields))
        }
        return records
    }

    /// One CSV line: fields neutralised (see the type's summary), and quoted when they hold a
    /// comma, a quote or a line break.
    public static func line(_ fields: [String]) -> String { line(fields, separator: ",") }

    /// One line with another separator (`;` for Excel in an Indonesian locale), quoted likewise.
    ///
    /// Written scalar by scalar, as `parse` reads: compared as Characters, `"\r\n"` is one
    /// Character that is neither `"\r"` nor `"\n"`, and a separator or quote followed by a
    /// combining mark is none of them either — such a field went out unquoted and split its row.
    public static func line(_ fields: [String], separator: Unicode.Scalar) -> String {
        var line = String.UnicodeScalarView()
        for (index, field) in fields.enumerated() {
            if index > 0 { line.append(separator) }
            let scalars = neutralised(field).unicodeScalars
            guard scalars.contains(where: { $0 == separator || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
                line.append(contentsOf: scalars)
                continue
            }
            line.append("\"")
            for scalar in scalars {
                if scalar == "\"" { line.append("\"") }
                line.append(scalar)
            }
            line.append("\"")
        }
        return String(line)
    }

    /// The separator of a file as a spreadsheet saved it: `;` (Excel in an Indonesian or other
    /// comma-decimal locale), tab, or `,` — whichever occurs most in the first line outside quotes.
    public static func detectSeparator(_ text: String) -> Unicode.Scalar {
        var counts: [Unicode.Scalar: Int] = [",": 0, ";": 0, "\t": 0]
        var quoted = false
        for scalar in text.unicodeScalars {
            if scalar == "\"" { quoted.toggle() }
            if !quoted && (scalar == "\n" || scalar == "\r") { break }
            if !quoted, let count = counts[scalar] { counts[scalar] = count + 1 }
        }
        let order: [Unicode.Scalar] = [",", ";", "\t"]
        let best = order.max { (counts[$0] ?? 0) < (counts[$1] ?? 0) } ?? ","
        return (counts[best] ?? 0) > 0 ? best : ","
    }

    /// `text` without the byte-order mark Excel puts before "CSV UTF-8".
    public static func withoutByteOrderMark(_ text: String) -> String {
        text.unicodeScalars.first == "\u{FEFF}" ? String(text.unicodeScalars.dropFirst()) : text
    }

    /// What starts a formula in a spreadsheet, and the escape character itself.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r", "'"]

    /// `field` with a `'` in front when a spreadsheet would take it as a formula.
    static func neutralised(_ field: String) -> String {
        guard let first = field.unicodeScalars.first, formulaStarts.contains(first), !isPlainNumber(field) else { return field }
        return "'" + field
    }

    /// `field` without the `'` that `neutralised` may have added.
    static func restored(_ field: String) -> String {
        field.unicodeScalars.first == "'" ? String(field.unicodeScalars.dropFirst()) : field
    }

    /// `-12` or `-1.5`: a number, which no spreadsheet runs as a formula.
    private static func isPlainNumber(_ field: String) -> Bool {
        let body = field.unicodeScalars.dropFirst()
        var digits = 0, points = 0
        for scalar in body {
            if ("0"..."9").contains(scalar) { digits += 1 } else if scalar == "." { points += 1 } else { return false }
        }
        return field.unicodeScalars.first == "-" && digits > 0 && points <= 1 && body.last != "." && body.first != "."
    }
}
