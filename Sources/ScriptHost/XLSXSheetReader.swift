/// Reads the shared strings, or the cells of a worksheet into rows of text.
///
/// A sheet is read as Excel writes it and refused where it contradicts itself, never guessed
/// at: rows and the cells of a row come in ascending order (ECMA-376 Part 1, §18.3.1.73 and
/// §18.3.1.4), a reference names a column from A to XFD and a row from 1 to 1,048,576, and a
/// shared-string cell names an entry the table has. What it keeps is counted against
/// `cellLimit`: each shared string, row and cell, and each empty cell a reference skips over
/// (`XFD1` alone is 16,384 cells), so that a few bytes of XML cannot claim gigabytes; an empty
/// cell at the end of a row (a formatted one, `<c r="Z1" s="3"/>`) adds nothing.
final class SheetReader: XMLPartParser {
    enum Mode {
        case sharedStrings
        case sheet([String])
    }

    /// Excel's last row (its last column, XFD, is `XLSXWorkbook.columnIndex`'s limit).
    static let lastRow = 1_048_576

    let mode: Mode
    var strings: [String] = []
    var records: [CSVTable.Record] = []
    /// What is left of the budget once the part is read (the sheet gets what shared strings left).
    private(set) var cellsLeft: Int
    private let cellLimit: Int
    private var text = ""
    private var inText = false
    private var inPhonetic = false
    private var row: [String] = []
    private var rowNumber = 0
    private var cellColumn = 0
    private var lastColumn = -1
    private var cellType = ""

    init(mode: Mode, cellLimit: Int) {
        self.mode = mode
        self.cellLimit = cellLimit
        cellsLeft = cellLimit
    }

    func start(_ elementName: String, attributes: [String: String]) throws {
        switch elementName {
        case "si", "is": text = ""
        case "rPh": inPhonetic = true
        case "t": inText = !inPhonetic
        case "v": inText = true; text = ""
        case "row":
            if let given = attributes["r"] {
                guard let number = Int(given), (1...Self.lastRow).contains(number) else {
                    throw XLSXWorkbook.ReadError(description: "row \(OfficeCells.shown(given)) is not a row number (1 to \(Self.lastRow))")
                }
                guard number > rowNumber else {
                    throw XLSXWorkbook.ReadError(description: "row \(number) comes after row \(rowNumber); rows are in order, each once")
                }
                rowNumber = number
            } else {
                rowNumber += 1
            }
            try spend(1, at: "row \(rowNumber)")
            row = []
            lastColumn = -1
        case "c":
            if let reference = attributes["r"] {
                guard let column = XLSXWorkbook.columnIndex(reference) else {
                    throw XLSXWorkbook.ReadError(description: "row \(rowNumber): \(OfficeCells.shown(reference)) is not a cell reference (A1 to XFD\(Self.lastRow))")
                }
                guard column > lastColumn else {
                    throw XLSXWorkbook.ReadError(description: "cell \(reference) comes after \(cellName(lastColumn)); the cells of a row are in order, each once")
                }
                cellColumn = column
            } else {
                guard lastColumn < 16_383 else {
                    throw XLSXWorkbook.ReadError(description: "row \(rowNumber) has a cell past column XFD, the last a sheet has")
                }
                cellColumn = lastColumn + 1
            }
            lastColumn = cellColumn
            cellType = attributes["t"] ?? "n"
            text = ""
        default: break
        }
    }

    func characters(_ string: String) {
        if inText { text += string }
    }

    func end(_ elementName: String) throws {
        switch elementName {
        case "t", "v": inText = false
        case "rPh": inPhonetic = false
        case "si":
            guard case .sharedStrings = mode else { return }
            try spend(1, at: "shared string \(strings.count)")
            strings.append(text)
        case "c":
            guard case let .sheet(shared) = mode, !text.isEmpty else { return }
            let value = try cellText(shared: shared)
            try spend(cellColumn + 1 - row.count, at: "cell \(cellName(cellColumn))")
            while row.count < cellColumn { row.append("") }
            row.append(value)
        case "row":
            if case .sheet = mode { records.append(CSVTable.Record(line: rowNumber, fields: row)) }
        default: break
        }
    }

    /// Takes `count` from the budget, or refuses the workbook naming where it ran out.
    private func spend(_ count: Int, at place: String) throws {
        guard count <= cellsLeft else {
            throw XLSXWorkbook.ReadError(description: "more than \(cellLimit) shared strings, rows and cells (at \(place)), "
                                         + "counting the empty cells a reference skips; a register is far smaller: "
                                         + "delete the rows and columns past its data, save it again and import that")
        }
        cellsLeft -= count
    }

    /// A cell's value as text: a shared string by its index, a number without Excel's exponent
    /// (`1.25E9` → `1250000000`), a boolean as `true`/`false`.
    private func cellText(shared: [String]) throws -> String {
        switch cellType {
        case "s":
            guard let index = Int(text), shared.indices.contains(index) else {
                throw XLSXWorkbook.ReadError(description: "cell \(cellName(cellColumn)) names shared string \(OfficeCells.shown(text)); "
                                             + "the workbook has \(shared.count) (0 to \(shared.count - 1))")
            }
            return shared[index]
        case "b": return text == "1" ? "true" : "false"
        case "n":
            if let number = Double(text), number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
            return text
        default: return text
        }
    }

    /// `B7`: a column of the current row.
    private func cellName(_ column: Int) -> String { XLSXWorkbook.columnName(column) + String(rowNumber) }
}
