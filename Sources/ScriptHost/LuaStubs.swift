import Agreements
import Store

/// The part of the LuaLS stubs (`types/sinergi.lua`) derived from the field tables: the
/// `Party`, `AgreementFields`, `AgreementFilter` and `Agreement` classes.
///
/// `types/sinergi.lua` holds this text verbatim between its generated-part comments;
/// `LuaStubsTests` fails (printing the expected text) when a field changes and the file does not.
enum LuaStubs {
    static let begin = "-- Generated from AgreementField.all and AgreementFilter.parameters; LuaStubsTests checks it."
    static let end = "-- End of the generated part."

    /// The generated classes, `begin` and `end` lines included.
    static var generated: String {
        var lines = [begin, "---@class Party", "---@field name string",
                     "---@field kind \(luaType(.choice(PartyKind.allCases.map(\.rawValue))))",
                     "---@field form? \(luaType(.choice(BusinessForm.allCases.map(\.rawValue)))) badan_usaha only", ""]
        lines += ["--- What agreements.create{…} and a:update{…} take; false clears an optional field.", "---@class AgreementFields"]
        for field in AgreementField.all where field.isEditable {
            lines.append("---@field \(field.name)? \(inputType(field)) \(field.doc)")
        }
        lines += ["", "--- What agreements.find{…} and agreements.count{…} take.", "---@class AgreementFilter"]
        for parameter in AgreementFilter.parameters {
            lines.append("---@field \(parameter.name)? \(inputType(parameter.type, optional: false)) \(parameter.doc)")
        }
        lines += ["", "---@class Agreement"]
        for field in AgreementField.all {
            lines.append("---@field \(field.name)\(field.isOptional ? "?" : "") \(luaType(field.type)) \(field.doc)")
        }
        lines += ["---@field documents Document[] \(AgreementClass.documentsDoc)", "local Agreement = {}", end]
        return lines.joined(separator: "\n")
    }

    /// The LuaLS type of a value as scripts read it.
    static func luaType(_ type: FieldType) -> String {
        switch type {
        case .text: return "string"
        case .integer: return "integer"
        case .boolean: return "boolean"
        case .date: return "Date"
        case let .choice(names): return names.map { "\"\($0)\"" }.joined(separator: "|")
        case let .list(element):
            if case .choice = element { return "(\(luaType(element)))[]" }
            return luaType(element) + "[]"
        case .party: return "Party"
        }
    }

    /// The LuaLS type of a field as scripts may give it: dates also as text, `false` to clear.
    static func inputType(_ field: AgreementField) -> String { inputType(field.type, optional: field.isOptional) }

    static func inputType(_ type: FieldType, optional: Bool) -> String {
        let base = type == .date ? "Date|string" : luaType(type)
        return optional ? base + "|false" : base
    }
}
