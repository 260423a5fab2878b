import Agreements
import Store

/// The API reference `help()` prints in the REPL, with an example for each function; the
/// agreement fields and the filters of `find` come from their tables (`AgreementField.all`,
/// `AgreementFilter.parameters`), and `help("a.ends_on")` explains one field.
public enum ApiDocs {
    public struct Entry: Sendable {
        public var name: String
        public var signature: String
        public var text: String
        public var example: String
    }

    public static let entries: [Entry] = [
        Entry(name: "agreements.get", signature: "agreements.get(id_or_number) --> agreement or nil",
              text: "One agreement by its register number (case-insensitive) or id.",
              example: #"a = agreements.get("CONTOH/003/KSDPK/2024")"#),
        Entry(name: "agreements.find", signature: "agreements.find{ \(AgreementFilter.parameters.map { $0.name + "=" }.joined(separator: ", ")) } --> list",
              text: "A lazy list of matching agreements, read 256 at a time: `for a in list do … end`, `#list`, `list[i]`. party matches a partner's name (case-insensitive; % for a pattern).",
              example: #"agreements.find{ kind = "ksdpk", expires_before = today() + 90 }"#),
        Entry(name: "agreements.count", signature: "agreements.count{ … } --> integer",
              text: "How many agreements match (the same filters as find).",
              example: #"agreements.count{ status = "active" }"#),
        Entry(name: "agreements.agency", signature: "agreements.agency(name) --> { short=, name= } or nil",
              text: "A Perangkat Daerah listed in sinergi.lua's perangkat_daerah{}, by short or full name (any case).",
              example: #"agreements.agency(a.lead_agency)"#),
        Entry(name: "workflows.settings", signature: "workflows.settings() --> { dprd_days=, dprd_first_day=, … }",
              text: "The scalar settings of sinergi.lua's workflows = { … } (text), as workflow definitions see them in ctx.settings.",
              example: #"workflows.settings().dprd_days or "days""#),
        Entry(name: "agreements.create", signature: "agreements.create{ number=, title=, kind=, lead_agency=, … } --> agreement",
              text: "Creates an agreement, validated against PP 28/2018 and Permendagri 22/2020 (needs --write).",
              example: #"agreements.create{ number = "180/1/2027", title = "Sampah", kind = "ksdd", subkind = "sukarela", lead_agency = "Dinas Lingkungan Hidup", parties = { { name = "Pemerintah Kabupaten Probolinggo", kind = "kabupaten" } } }"#),
        Entry(name: "a:update", signature: "a:update{ field = value, … } --> a",
              text: "Changes fields of an agreement; validated and audited (needs --write).",
              example: #"a:update{ title = "Pengelolaan sampah terpadu" }"#),
        Entry(name: "a:document", signature: "a:document(kind) --> document or nil",
              text: "The latest recorded document of a kind (kak, kesepakatan_bersama, pks, laporan_semester, …).",
              example: #"a:document("pks")"#),
        Entry(name: "a:attach", signature: "a:attach{ \(Document.inputNames.map { $0 + "=" }.joined(separator: ", ")) } --> document",
              text: "Records a document; a file's SHA-256 is stored — only a regular file inside the workspace, at most 512 MB (needs --write).",
              example: #"a:attach{ kind = "laporan_semester", number = "LS/1/2027", date = today() }"#),
        Entry(name: "a:fire", signature: "a:fire(event, { note = }) --> state",
              text: "Fires a workflow event as the acting user: role check, guard, required documents, actions, state, tasks, timers — all in this run's transaction (needs --write). While a workflow runs an agreement, stage and status change only this way.",
              example: #"a:fire("kajian_disetujui", { note = "KAK sesuai RPJMD" })"#),
        Entry(name: "a:workflow", signature: "a:workflow() --> { name=, version=, state=, since= } or nil",
              text: "The workflow the agreement runs on, the version it is pinned to, and where it stands.", example: "a:workflow().state"),
        Entry(name: "a:events", signature: "a:events() --> { { name=, to=, roles={…}, allowed= }, … }",
              text: "The events possible in the agreement's state, and whether you may fire each.", example: "a:events()"),
        Entry(name: "a:history", signature: "a:history() --> { { at=, actor=, kind=, event=, from=, to=, outcome=, note= }, … }",
              text: "The workflow history: who fired what, when; outcome approved, rejected or deemed_approved.", example: "#a:history()"),
        Entry(name: "tasks.pending", signature: "tasks.pending{ role=, user= } --> { { id=, agreement=, state=, role=, events={…} }, … }",
              text: "Open human tasks, of a role or of what a user may act on (all when neither is given).", example: #"tasks.pending{ role = "sekda" }"#),
        Entry(name: "workflows.get", signature: "workflows.get(name) --> { name=, version=, initial=, states={…} }",
              text: "A read-only view of a workflow definition as workflows/NAME.lua is now.", example: #"workflows.get("ksdd").initial"#),
        Entry(name: "today", signature: "today() --> date", text: "Today in the workspace's time zone.", example: "a.ends_on - today()"),
        Entry(name: "now", signature: "now() --> string", text: "The current time, ISO 8601 with the workspace's offset.", example: "now()"),
        Entry(name: "date", signature: #"date("YYYY-MM-DD") --> date"#, text: "A date; dates compare, subtract to days, and add days or workdays.",
              example: #"date("2027-03-01") - today()"#),
        Entry(name: "days", signature: "days(n) --> n", text: "n calendar days (hari), to add to a date.", example: "today() + days(30)"),
        Entry(name: "workdays", signature: "workdays(n) --> span", text: "n working days (hari kerja): skips weekends and the holidays in sinergi.lua.",
              example: "today() + workdays(10)"),
        Entry(name: "notify", signature: "notify{ to=, subject=, body=, key=, agreement= } --> boolean",
              text: "Queues a message in the outbox, in this run's transaction; to is \"role:NAME\" or \"user:ID\"; the same key is queued once (false after that) (needs --write).",
              example: #"notify{ to = "role:sekretariat", subject = "KB berakhir", body = "…", key = "expiry:12:30" }"#),
        Entry(name: "log.info", signature: "log.info(...), log.warn(...), log.error(...)", text: "Writes to the log (standard error).", example: #"log.info("checked", n)"#),
        Entry(name: "fmt", signature: #"fmt("table" | "json" | "csv")"#, text: "How the REPL prints results (also `:format json`).", example: #"fmt("csv")"#),
        Entry(name: "begin", signature: "begin(), commit(), rollback()", text: "With --write, group several inputs into one transaction; otherwise each input is its own.",
              example: "begin()"),
    ]

    /// The overview `help()` prints.
    public static var overview: String {
        var lines = ["Sinergi API — help(agreements.find) or help(\"a:update\") for one function.", ""]
        let width = entries.map(\.name.count).max() ?? 0
        for entry in entries {
            lines.append("  " + entry.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + entry.text.prefix(72)
                         + (entry.text.count > 72 ? "…" : ""))
        }
        lines += [""] + fieldLines
        lines += ["", "An expression line prints its value (`=expr` works too); `local` variables last for one input only,",
                  "so use globals (x = …) to keep values between lines. Ctrl-C stops a long input; Ctrl-D leaves."]
        return lines.joined(separator: "\n")
    }

    /// The names of an agreement's fields, wrapped, for the overview.
    static var fieldLines: [String] {
        var lines = ["Agreement fields (help(\"a.ends_on\") for one):"]
        for name in AgreementField.all.map(\.name) + ["documents"] {
            if lines[lines.count - 1].count + name.count + 1 > 96 { lines.append(" ") }
            lines[lines.count - 1] += " " + name
        }
        return lines
    }

    /// The text for one function, or for one field as `a.NAME`.
    public static func entry(named name: String) -> String? {
        if name.hasPrefix("a."), let field = AgreementField.named(String(name.dropFirst(2))) {
            let access = field.isEditable ? (field.isClearable ? "editable, clearable with false" : "editable") : "read-only"
            return "\(name): \(LuaStubs.luaType(field.type))\(field.isOptional ? " or nil" : "") (\(access))\n\n\(field.doc)"
        }
        if name == "a.documents" { return "a.documents: Document[] (read-only)\n\n\(AgreementClass.documentsDoc)" }
        guard let entry = entries.first(where: { $0.name == name }) else { return nil }
        return "\(entry.signature)\n\n\(entry.text)\n\nExample:\n  \(entry.example)"
    }
}
