import Agreements
import Foundation

extension AgreementExchange {
    /// The largest file `agreement import` reads: a register of 100,000 rows is about 30 MB as
    /// CSV and less as .xlsx. The file is read whole, and a CSV is held again as text, so the
    /// size is checked before a byte is read.
    public static let maximumImportBytes = 256 << 20

    /// The bytes of the file an import names; `notFound` when it is no regular file that can be
    /// read, `validation` past `maximumImportBytes`.
    public static func importData(atPath path: String) throws -> Data {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        guard attributes?[.type] as? FileAttributeType == .typeRegular else { throw DomainError.notFound("cannot read \(path)") }
        guard let size = attributes?[.size] as? Int, size <= maximumImportBytes else {
            throw DomainError.validation("\(path) is larger than \(maximumImportBytes >> 20) MB, more than a register holds; "
                                         + "split it and import the parts")
        }
        guard let data = FileManager.default.contents(atPath: path), data.count <= maximumImportBytes else {
            throw DomainError.notFound("cannot read \(path)")
        }
        return data
    }

    /// A CSV or JSON file's bytes as text. Bytes that are not UTF-8 are refused, naming the first
    /// line that holds one — read as U+FFFD they would be imported as damaged names: a file
    /// saved as "CSV (Comma delimited)" by an older Excel is in the Windows code page.
    public static func importText(_ data: Data) throws -> String {
        if let text = String(validating: data, as: UTF8.self) { return text }
        var line = 1
        for bytes in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            if String(validating: bytes, as: UTF8.self) == nil { break }
            line += 1
        }
        throw RowError(line: line, message: "holds bytes that are not UTF-8 text; save the file as UTF-8 "
                       + "(Excel: Save As, \"CSV UTF-8\") and import it again")
    }
}
