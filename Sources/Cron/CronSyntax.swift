/// The grammar of man 5 crontab (Debian), turned into value sets, with errors that point at the
/// field and the character.
///
/// Each field is a comma list of elements `*`, `N` or `N-M`, the first and last optionally
/// followed by `/STEP`; `N` is a number or, in the month and day-of-week fields, a three-letter
/// name. Like Debian's cron, a step needs a range or `*` before it (`5/10` is refused), and a
/// step of 0 is refused; unlike its silence, reversed and out-of-range values are errors too.
enum CronSyntax {
    /// What the five fields allow, and Debian's star flags for the day rule.
    struct Fields {
        var minutes = CronValues(), hours = CronValues(), daysOfMonth = CronValues()
        var months = CronValues(), daysOfWeek = CronValues()
        var dayOfMonthStar = false, dayOfWeekStar = false
    }

    /// One field's name (as errors say it), its values, its names and what a value looks like.
    struct FieldSpec {
        let name: String
        let range: ClosedRange<Int>
        /// Three-letter names for `range.lowerBound`, `range.lowerBound + 1`, … (none for numbers only).
        let names: [String]
        let expected: String
        /// How to say a range that wraps past the end, for the error on a backwards one.
        let wrapAround: String
    }

    /// The five fields in order: the one list the parser, the messages and the tests read.
    static let specs: [FieldSpec] = [
        FieldSpec(name: "minute", range: 0...59, names: [], expected: "is not a minute (0–59)",
                  wrapAround: "use a list (e.g. 50-59,0-9)"),
        FieldSpec(name: "hour", range: 0...23, names: [], expected: "is not an hour (0–23)",
                  wrapAround: "use a list (e.g. 22-23,0-2)"),
        FieldSpec(name: "day-of-month", range: 1...31, names: [], expected: "is not a day of the month (1–31)",
                  wrapAround: "use a list (e.g. 28-31,1-3)"),
        FieldSpec(name: "month", range: 1...12,
                  names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
                  expected: "is not a month (jan–dec or 1–12)", wrapAround: "use a list (e.g. nov-dec,jan-feb)"),
        FieldSpec(name: "day-of-week", range: 0...7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
                  expected: "is not a day name (sun–sat or 0–7)", wrapAround: "note Sunday is also 7 (e.g. fri-7)"),
    ]

    /// Debian's `@` shorthands and the fields they stand for (`@reboot` has no time: refused).
    static let shorthands: [(name: String, fields: String)] = [
        ("@yearly", "0 0 1 1 *"), ("@annually", "0 0 1 1 *"), ("@monthly", "0 0 1 * *"),
        ("@weekly", "0 0 * * 0"), ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"), ("@hourly", "0 * * * *"),
    ]

    /// A run of characters and the 1-based position of its first one.
    struct Token {
        var text: ArraySlice<Character>
        var position: Int { text.startIndex + 1 }
        var string: String { String(text) }
    }

    static func fields(of source: String) throws -> Fields {
        let characters = Array(source)
        let tokens = split(characters[...], on: [" ", "\t"]).filter { !$0.text.isEmpty }
        if let first = tokens.first, first.text.first == "@" {
            return try shorthand(first, extra: tokens.dropFirst().first)
        }
        guard tokens.count == specs.count else {
            let position = tokens.count > specs.count ? tokens[specs.count].position : characters.count + 1
            throw CronParseError(field: CronParseError.wholeExpression, position: position, message:
                "expected \(specs.count) fields (\(specs.map(\.name).joined(separator: " "))) or an @ shorthand, found \(tokens.count)")
        }
        let sets = try zip(specs, tokens).map { try values(of: $1, in: $0) }
        var fields = Fields(minutes: sets[0], hours: sets[1], daysOfMonth: sets[2], months: sets[3], daysOfWeek: sets[4])
        if fields.daysOfWeek.contains(7) { fields.daysOfWeek.insert(0) }
        fields.daysOfWeek.bits &= ~(UInt64(1) << 7)
        fields.dayOfMonthStar = tokens[2].text.first == "*"
        fields.dayOfWeekStar = tokens[4].text.first == "*"
        return fields
    }

    static func shorthand(_ token: Token, extra: Token?) throws -> Fields {
        let name = token.string.lowercased()
        if name == "@reboot" {
            throw CronParseError(field: CronParseError.wholeExpression, position: token.position, message:
                "@reboot has no fire time (it means \"at boot\"); give a time, e.g. @daily or 0 8 * * *")
        }
        guard let expansion = shorthands.first(where: { $0.name == name })?.fields else {
            throw CronParseError(field: CronParseError.wholeExpression, position: token.position, message:
                "'\(token.string)' is not a shorthand (\(shorthands.map(\.name).joined(separator: ", ")))")
        }
        if let extra {
            throw CronParseError(field: CronParseError.wholeExpression, position: extra.position, message:
                "\(name) stands alone; nothing may follow it")
        }
        return try fields(of: expansion)
    }

    /// The values one field allows (day-of-week still with 7 as itself).
    static func values(of field: Token, in spec: FieldSpec) throws -> CronValues {
        var values = CronValues()
        for element in split(field.text, on: [","]) {
            guard !element.text.isEmpty else {
                throw error(spec, at: element.position, "empty list element (two commas, or a comma at an end)")
            }
            let parts = split(element.text, on: ["/"])
            let base = parts[0]
            var bounds: (low: Int, high: Int)
            if base.string == "*" {
                bounds = (spec.range.lowerBound, spec.range.upperBound)
            } else {
                let ends = split(base.text, on: ["-"])
                guard ends.count <= 2 else { throw error(spec, at: ends[2].position - 1, "'\(base.string)' has more than one '-'") }
                bounds.low = try value(ends[0], in: spec)
                bounds.high = ends.count == 2 ? try value(ends[1], in: spec) : bounds.low
                guard bounds.low <= bounds.high else {
                    throw error(spec, at: base.position, "range '\(base.string)' runs backwards; write the smaller value first, or \(spec.wrapAround)")
                }
                if ends.count == 1 && parts.count > 1 {
                    throw error(spec, at: parts[1].position - 1, "a step needs a range or * before it (e.g. \(base.string)-\(spec.range.upperBound)/\(parts[1].string) or */\(parts[1].string))")
                }
            }
            guard parts.count <= 2 else { throw error(spec, at: parts[2].position - 1, "'\(element.string)' has more than one '/'") }
            let step = parts.count == 2 ? try self.step(parts[1], in: spec) : 1
            for value in stride(from: bounds.low, through: bounds.high, by: step) { values.insert(value) }
        }
        return values
    }

    /// A number or (in the named fields) a three-letter name, any case.
    static func value(_ token: Token, in spec: FieldSpec) throws -> Int {
        guard !token.text.isEmpty else { throw error(spec, at: token.position, "a value is missing") }
        let text = token.string
        if text.allSatisfy(\.isASCIIDigit), let number = Int(text), spec.range.contains(number) { return number }
        if let index = spec.names.firstIndex(of: text.lowercased()) { return spec.range.lowerBound + index }
        throw error(spec, at: token.position, "'\(text)' \(spec.expected)")
    }

    static func step(_ token: Token, in spec: FieldSpec) throws -> Int {
        let text = token.string
        guard !text.isEmpty else { throw error(spec, at: token.position, "a step is missing after '/'") }
        guard text.allSatisfy(\.isASCIIDigit), let step = Int(text), step <= spec.range.count else {
            throw error(spec, at: token.position, "step '\(text)' is not a number from 1 to \(spec.range.count)")
        }
        guard step > 0 else { throw error(spec, at: token.position, "step 0 never advances; use 1 or more") }
        return step
    }

    static func error(_ spec: FieldSpec, at position: Int, _ message: String) -> CronParseError {
        CronParseError(field: spec.name, position: position, message: message)
    }

    /// Splits at each separator, keeping empty pieces and every piece's place in the source.
    static func split(_ text: ArraySlice<Character>, on separators: Set<Character>) -> [Token] {
        var tokens: [Token] = []
        var start = text.startIndex
        for index in text.indices where separators.contains(text[index]) {
            tokens.append(Token(text: text[start..<index]))
            start = index + 1
        }
        tokens.append(Token(text: text[start..<text.endIndex]))
        return tokens
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
