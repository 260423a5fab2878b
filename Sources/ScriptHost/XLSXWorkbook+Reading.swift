import Foundation

extension XLSXWorkbook {
    /// The rows of the workbook's first sheet as text, each with its row number in the sheet
    /// (what an import error names as the line). Shared strings, inline strings, numbers and
    /// booleans are read; a missing cell is empty text. A part that inflates past `limit` bytes
    /// is refused (`maximumPartSize`; tests give a small one), and so is a workbook whose shared
    /// strings, rows and cells — the gaps a cell reference skips included — pass `cellLimit`
    /// (`CSVTable.maximumCells`): what is read stays a bounded multiple of that, whatever the
    /// references claim.
    public static func firstSheet(of data: Data, limit: Int = maximumPartSize,
                                  cellLimit: Int = CSVTable.maximumCells) throws -> [CSVTable.Record] {
        let archive = try ZIPReader(data)
        let workbook = "xl/workbook.xml", relationships = "xl/_rels/workbook.xml.rels", sharedPart = "xl/sharedStrings.xml"
        let sheet = try FirstElement(named: "sheet") { _ in true }.read(try part(workbook, in: archive, limit: limit), part: workbook)
        guard let id = sheet?["r:id"],
              let relationship = try FirstElement(named: "Relationship", where: { $0["Id"] == id })
                .read(try part(relationships, in: archive, limit: limit), part: relationships),
              let target = relationship["Target"] else {
            throw ReadError(description: "the workbook names no sheet")
        }
        let sheetPath = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        let shared = SheetReader(mode: .sharedStrings, cellLimit: cellLimit)
        if archive.entries[sharedPart] != nil {
            try shared.parse(try part(sharedPart, in: archive, limit: limit), part: sharedPart)
        }
        let reader = SheetReader(mode: .sheet(shared.strings), cellLimit: shared.cellsLeft)
        try reader.parse(try part(sheetPath, in: archive, limit: limit), part: sheetPath)
        return reader.records
    }

    /// The inflated bytes of one part, refused past `limit` — by its declared size, and again
    /// while inflating, for an archive whose directory lies.
    private static func part(_ path: String, in archive: ZIPReader, limit: Int) throws -> [UInt8] {
        let tooLarge = ReadError(description: "\(path) inflates to more than \(limit) bytes")
        guard let data = try archive.contents(of: path, limit: limit, tooLarge: tooLarge) else {
            throw ReadError(description: "the workbook has no \(path)")
        }
        return data
    }
}

/// A handler that runs the scan of a part (`XMLPartScanner`).
protocol XMLPartParser: XMLPartHandler {}

extension XMLPartParser {
    /// Scans `bytes`; a refusal names `part` (the scanner's and the handler's alike).
    func parse(_ bytes: [UInt8], part: String) throws {
        var scanner = XMLPartScanner(bytes)
        do {
            try scanner.scan(into: self)
        } catch let error as XLSXWorkbook.ReadError {
            throw XLSXWorkbook.ReadError(description: "\(part): \(error.description)")
        }
    }

    func characters(_ text: String) {}
    func end(_ name: String) {}
}

/// The attributes of the first element named `name` that `matches` (the first sheet of
/// workbook.xml, one relationship of its rels). Only that one is kept: a part of millions of
/// elements costs no more than one.
final class FirstElement: XMLPartParser {
    private let name: String
    private let matches: ([String: String]) -> Bool
    private var found: [String: String]?

    init(named name: String, where matches: @escaping ([String: String]) -> Bool) {
        self.name = name
        self.matches = matches
    }

    func read(_ bytes: [UInt8], part: String) throws -> [String: String]? {
        try parse(bytes, part: part)
        return found
    }

    func start(_ element: String, attributes: [String: String]) {
        if found == nil, element == name, matches(attributes) { found = attributes }
    }
}
