import Foundation

extension XLSXWorkbook {
    /// The rows of the workbook's first sheet as text, each with its row number in the sheet
    /// (what an import error names as the line). Shared strings, inline strings, numbers and
    /// booleans are read; a missing cell is empty text. A part that inflates past `limit` bytes
    /// is refused (`maximumPartSize`; tests give a small one).
    public static func firstSheet(of data: Data, limit: Int = maximumPartSize) throws -> [CSVTable.Record] {
        let archive = try ZIPReader(data)
        let workbook = try elements(of: try part("xl/workbook.xml", in: archive, limit: limit))
        let relationships = try elements(of: try part("xl/_rels/workbook.xml.rels", in: archive, limit: limit))
        guard let firstSheet = workbook.first(where: { $0.name == "sheet" }),
              let id = firstSheet.attributes["r:id"],
              let target = relationships.first(where: { $0.name == "Relationship" && $0.attributes["Id"] == id })?.attributes["Target"] else {
            throw ReadError(description: "the workbook names no sheet")
        }
        let sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        let shared = archive.entries["xl/sharedStrings.xml"] == nil ? [] : try sharedStrings(try part("xl/sharedStrings.xml", in: archive, limit: limit))
        return try rows(of: try part(sheetPath, in: archive, limit: limit), shared: shared)
    }

    /// The inflated bytes of one part, refused past `limit` — by its declared size, and again
    /// while inflating, for an archive whose directory lies.
    private static func part(_ path: String, in archive: ZIPReader, limit: Int) throws -> Data {
        let tooLarge = ReadError(description: "\(path) inflates to more than \(limit) bytes")
        guard let data = try archive.contents(of: path, limit: limit, tooLarge: tooLarge) else {
            throw ReadError(description: "the workbook has no \(path)")
        }
        return data
    }

    /// One element of a part, flat: its name and attributes.
    struct Element {
        var name: String
        var attributes: [String: String]
    }

    private static func elements(of data: Data) throws -> [Element] {
        let collector = ElementCollector()
        try collector.parse(data)
        return collector.elements
    }

    /// `<si>` entries: each the text of its `<t>` runs, without phonetic guides (`<rPh>`).
    private static func sharedStrings(_ data: Data) throws -> [String] {
        let reader = SheetReader(mode: .sharedStrings)
        try reader.parse(data)
        return reader.strings
    }

    private static func rows(of data: Data, shared: [String]) throws -> [CSVTable.Record] {
        let reader = SheetReader(mode: .sheet(shared))
        try reader.parse(data)
        return reader.records
    }
}

/// A handler that runs the scan of a part (`XMLPartScanner`).
protocol XMLPartParser: XMLPartHandler {}

extension XMLPartParser {
    func parse(_ data: Data) throws {
        var scanner = XMLPartScanner(data)
        try scanner.scan(into: self)
    }

    func characters(_ text: String) {}
    func end(_ name: String) {}
}

/// Collects every element's name and attributes (workbook.xml, its relationships).
final class ElementCollector: XMLPartParser {
    var elements: [XLSXWorkbook.Element] = []

    func start(_ name: String, attributes: [String: String]) {
        elements.append(XLSXWorkbook.Element(name: name, attributes: attributes))
    }
}

/// Reads the shared strings, or the cells of a worksheet into rows of text.
final class SheetReader: XMLPartParser {
    enum Mode {
        case sharedStrings
        case sheet([String])
    }

    let mode: Mode
    var strings: [String] = []
    var records: [CSVTable.Record] = []
    private var text = ""
    private var inText = false
    private var inPhonetic = false
    private var row: [String] = []
    private var rowNumber = 0
    private var cellColumn = 0
    private var cellType = ""

    init(mode: Mode) { self.mode = mode }

    func start(_ elementName: String, attributes: [String: String]) {
        switch elementName {
        case "si", "is": text = ""
        case "rPh": inPhonetic = true
        case "t": inText = !inPhonetic
        case "v": inText = true; text = ""
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            row = []
        case "c":
            cellColumn = attributes["r"].flatMap(XLSXWorkbook.columnIndex) ?? row.count
            cellType = attributes["t"] ?? "n"
            text = ""
        default: break
        }
    }

    func characters(_ string: String) {
        if inText { text += string }
    }

    func end(_ elementName: String) {
        switch elementName {
        case "t", "v": inText = false
        case "rPh": inPhonetic = false
        case "si": if case .sharedStrings = mode { strings.append(text) }
        case "c":
            guard case let .sheet(shared) = mode, cellColumn < 16_384 else { return }
            while row.count < cellColumn { row.append("") }
            row.append(cellText(shared: shared))
        case "row":
            if case .sheet = mode { records.append(CSVTable.Record(line: rowNumber, fields: row)) }
        default: break
        }
    }

    /// A cell's value as text: a shared string by its index, a number without Excel's exponent
    /// (`1.25E9` → `1250000000`), a boolean as `true`/`false`.
    private func cellText(shared: [String]) -> String {
        switch cellType {
        case "s": return Int(text).flatMap { shared.indices.contains($0) ? shared[$0] : nil } ?? ""
        case "b": return text == "1" ? "true" : "false"
        case "n":
            if let number = Double(text), number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
            return text
        default: return text
        }
    }
}
