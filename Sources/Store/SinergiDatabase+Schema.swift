import GRDB

extension SinergiDatabase {
    /// Named, append-only migrations: never edit one that has shipped; add the next. Column names
    /// are the names of `AgreementField.all` (`AgreementFieldTests` checks every field has one).
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("2026-11-30 agreements") { db in
            try db.create(table: "agreement") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("number", .text).notNull().unique(onConflict: .abort).collate(.nocase)
                t.column("title", .text).notNull()
                t.column("kind", .text).notNull()
                    .check(sql: "kind IN ('ksdd','ksdpk','sinergi','ksdpl','ksdll')")
                t.column("subkind", .text).check(sql: "subkind IS NULL OR subkind IN ('wajib','sukarela')")
                t.column("lead_agency", .text).notNull().collate(.nocase)
                t.column("object", .text).notNull().defaults(to: "")
                t.column("scope", .text).notNull().defaults(to: "")
                t.column("value", .integer).check(sql: "value IS NULL OR value >= 0")
                t.column("funding", .text).notNull().defaults(to: "")
                t.column("membebani_masyarakat", .boolean).notNull().defaults(to: false)
                t.column("belum_dianggarkan", .boolean).notNull().defaults(to: false)
                t.column("starts_on", .text)
                t.column("ends_on", .text)
                t.column("pks_starts_on", .text)
                t.column("pks_ends_on", .text)
                t.column("status", .text).notNull()
                    .check(sql: "status IN ('draft','active','expired','terminated')")
                t.column("stage", .text).notNull()
                t.column("ending_ground", .text)
                t.column("pks_clauses", .text).notNull().defaults(to: "")
                t.column("created_at", .text).notNull()
                t.column("updated_at", .text).notNull()
                t.check(sql: "ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on")
                t.check(sql: "pks_ends_on IS NULL OR pks_starts_on IS NULL OR pks_ends_on >= pks_starts_on")
            }
            try db.create(index: "agreement_by_kind_ends_on", on: "agreement", columns: ["kind", "ends_on"])
            try db.create(index: "agreement_by_status_ends_on", on: "agreement", columns: ["status", "ends_on"])
            try db.create(index: "agreement_by_stage", on: "agreement", columns: ["stage"])
            try db.create(index: "agreement_by_lead_agency", on: "agreement", columns: ["lead_agency"])
            try db.create(index: "agreement_by_ends_on", on: "agreement", columns: ["ends_on"])

            try db.create(table: "party") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("agreement_id", .integer).notNull().references("agreement", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("name", .text).notNull().collate(.nocase)
                t.column("kind", .text).notNull()
                t.column("form", .text)
                t.uniqueKey(["agreement_id", "position"])
            }
            try db.create(index: "party_by_name", on: "party", columns: ["name", "agreement_id"])

            try db.create(table: "document") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("agreement_id", .integer).notNull().references("agreement", onDelete: .cascade)
                t.column("kind", .text).notNull()
                t.column("number", .text)
                t.column("date", .text)
                t.column("signatories", .text).notNull().defaults(to: "[]")
                t.column("file", .text)
                t.column("sha256", .text)
                t.column("recorded_at", .text).notNull()
            }
            try db.create(index: "document_by_agreement_kind", on: "document", columns: ["agreement_id", "kind"])
        }
        migrator.registerMigration("2026-11-30 audit log") { db in
            try db.create(table: "audit_log") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at", .text).notNull()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("entity", .text).notNull()
                t.column("entity_id", .integer)
                t.column("before", .text)
                t.column("after", .text)
                t.column("prev_hash", .text).notNull()
                t.column("hash", .text).notNull()
            }
            try db.create(index: "audit_by_entity", on: "audit_log", columns: ["entity", "entity_id"])
        }
        migrator.registerMigration("2026-11-30 composite query indexes") { db in
            // agreements.find{ lead_agency=, expires_before= } and { kind=, status= } combine
            // filters; an index per pair answers them without reading the rows they exclude.
            try db.create(index: "agreement_by_lead_agency_ends_on", on: "agreement", columns: ["lead_agency", "ends_on"])
            try db.create(index: "agreement_by_kind_status_ends_on", on: "agreement", columns: ["kind", "status", "ends_on"])
            try db.drop(index: "agreement_by_lead_agency")
            try db.execute(sql: "ANALYZE")
        }
        migrator.registerMigration("2026-12-01 configuration seen") { db in
            // One row: the users, roles and rules of sinergi.lua as last loaded (ConfigurationLog).
            try db.create(table: "configuration_seen") { t in
                t.column("id", .integer).primaryKey().check(sql: "id = 1")
                t.column("summary", .text).notNull()
                t.column("file_sha256", .text).notNull()
                t.column("seen_at", .text).notNull()
            }
        }
        migrator.registerMigration("2026-12-01 third parties") { db in
            // AgreementField "third_parties": a JSON list of names, empty unless the agreement is
            // a Sinergi (AgreementRules.validateThirdParties; Pemkot Probolinggo briefing on
            // Permendagri 22/2020).
            try db.alter(table: "agreement") { t in
                t.add(column: "third_parties", .text).notNull().defaults(to: "[]")
                    .check(sql: "json_valid(third_parties) AND json_type(third_parties) = 'array' "
                           + "AND (third_parties = '[]' OR kind = 'sinergi')")
            }
        }
        migrator.registerMigration("2026-12-02 voided records") { db in
            // Correcting a mistake never deletes (issue #9 §3): a voided agreement or document
            // keeps its row and gets one here, with who, when and why; lists leave it out.
            try db.create(table: "voided") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("entity", .text).notNull().check(sql: "entity IN ('agreement', 'document')")
                t.column("entity_id", .integer).notNull()
                t.column("at", .text).notNull()
                t.column("actor", .text).notNull()
                t.column("reason", .text).notNull().check(sql: "length(trim(reason)) > 0")
                t.uniqueKey(["entity", "entity_id"])
            }
        }
        migrator.registerMigration("2026-12-02 notes") { db in
            // AgreementField "notes": the register's Keterangan column (issue #9).
            try db.alter(table: "agreement") { t in
                t.add(column: "notes", .text).notNull().defaults(to: "")
            }
        }
        registerWorkflowMigrations(&migrator)
        registerOutboxMigrations(&migrator)
        registerSchedulerMigrations(&migrator)
        registerTimerAttemptMigrations(&migrator)
        registerValueCheckMigrations(&migrator)
        registerOpenTaskIndexMigrations(&migrator)
        return migrator
    }
}
