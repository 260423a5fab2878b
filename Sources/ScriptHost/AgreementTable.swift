import Agreements

/// A list of agreements as an aligned text table: number, title, kind, stage, ends_on.
enum AgreementTable {
    static func render(_ agreements: [Agreement], total: Int, width: Int = 100) -> String {
        let header = ["number", "title", "kind", "stage", "ends_on"]
        let rows = agreements.map { agreement -> [String] in
            return [agreement.number, agreement.title, agreement.kind.rawValue, agreement.stage,
                    agreement.endsOn?.description ?? "-"]
        }
        var widths = header.map(\.count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        let fixed = widths.enumerated().filter { $0.offset != 1 }.map(\.element).reduce(0, +) + 2 * (header.count - 1)
        widths[1] = max(10, min(widths[1], width - fixed))
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                var text = cell
                if text.count > widths[index] { text = String(text.prefix(widths[index] - 1)) + "…" }
                return text.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        var lines = [line(header)] + rows.map(line)
        lines.append(agreements.count < total ? "(\(agreements.count) of \(total) agreements)" : "(\(total) agreements)")
        return lines.joined(separator: "\n")
    }
}
