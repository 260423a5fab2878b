---@meta sinergi
-- LuaLS definitions of Sinergi's script API, for completion and checking in an editor.
-- `sinergi init` writes this file and a .luarc.json that points the Lua language server at it.

---@class Date
---@field year integer
---@field month integer
---@field day integer
---@field weekday integer 1 = Monday … 7 = Sunday
---@operator sub(Date): integer     # days between two dates
---@operator sub(integer): Date
---@operator add(integer|Workdays): Date

---@class Workdays

---@class Document
---@field kind string
---@field number? string
---@field date? Date
---@field signatories string[]
---@field file? string
---@field sha256? string
---@field recorded_at string

-- Generated from AgreementField.all and AgreementFilter.parameters; LuaStubsTests checks it.
---@class Party
---@field name string
---@field kind "provinsi"|"kabupaten"|"kota"|"kementerian"|"lembaga"|"perseorangan"|"badan_usaha"|"ormas"|"perguruan_tinggi"|"luar_negeri"
---@field form? "bumn"|"bumd"|"koperasi"|"swasta" badan_usaha only

--- What agreements.create{…} and a:update{…} take; false clears an optional field.
---@class AgreementFields
---@field number? string register number (unique, case-insensitive), e.g. 180/12/425.012/2027
---@field title? string title
---@field kind? "ksdd"|"ksdpk"|"sinergi"|"ksdpl"|"ksdll" KSDD, KSDPK, Sinergi, KSDPL or KSDLL (PP 28/2018 Pasal 1); fixed once created
---@field subkind? "wajib"|"sukarela"|false KSDD only: wajib or sukarela (PP 28/2018 Pasal 3)
---@field lead_agency? string Perangkat Daerah pemrakarsa (Permendagri 22/2020 Pasal 7)
---@field object? string objek kerja sama
---@field scope? string ruang lingkup
---@field value? integer|false value in rupiah
---@field funding? string sources of funding (APBD, APBN, pihak ketiga, …)
---@field parties? Party[] the partners, each { name, kind, form } (form: badan_usaha only)
---@field membebani_masyarakat? boolean burdens the public and the region: needs DPRD approval (PP 28/2018 Pasal 6(2) huruf a)
---@field belum_dianggarkan? boolean funding not yet in this year's APBD: needs DPRD approval (PP 28/2018 Pasal 6(2) huruf b)
---@field starts_on? Date|string|false start of the Kesepakatan Bersama (or Nota Kesepakatan)
---@field ends_on? Date|string|false end of the Kesepakatan Bersama (or Nota Kesepakatan)
---@field pks_starts_on? Date|string|false start of the PKS / kontrak
---@field pks_ends_on? Date|string|false end of the PKS / kontrak
---@field status? "draft"|"active"|"expired"|"terminated" draft, active, expired or terminated
---@field stage? string the stage of its kind's track, e.g. pelaksanaan
---@field ending_ground? "jangka_waktu_berakhir"|"tujuan_tercapai"|"kesepakatan_para_pihak"|"perubahan_kebijakan"|"objek_musnah"|"putusan_pengadilan"|"pailit"|"diganti_perjanjian_baru"|false why it ended (PP 28/2018 Pasal 9(1), 22)
---@field pks_clauses? ("maksud_tujuan"|"objek"|"ruang_lingkup"|"pelaksanaan"|"hak_kewajiban"|"pembiayaan"|"jangka_waktu"|"penyelesaian_perselisihan"|"keadaan_kahar"|"pengakhiran"|"sanksi"|"latar_belakang"|"lokasi"|"tugas_tanggung_jawab"|"lain_lain")[] the minimum PKS clauses the signed PKS contains (Permendagri 22/2020 Pasal 41)
---@field notes? string keterangan: free remarks, as in the office's register
---@field third_parties? string[] Sinergi only: third parties involved in carrying it out, who do not sign it

--- What agreements.find{…} and agreements.count{…} take.
---@class AgreementFilter
---@field kind? "ksdd"|"ksdpk"|"sinergi"|"ksdpl"|"ksdll" ksdd, ksdpk, sinergi, ksdpl or ksdll
---@field status? "draft"|"active"|"expired"|"terminated" draft, active, expired or terminated
---@field stage? string a stage name, e.g. pelaksanaan
---@field party? string a part of a party's name, any case; % for a pattern (Universitas%)
---@field lead_agency? string the lead Perangkat Daerah, case-insensitive
---@field expires_before? Date|string ending before this date
---@field expires_after? Date|string ending after this date
---@field needs_dprd? boolean true: only those needing DPRD approval; false: only those not

---@class Agreement
---@field id integer the database id
---@field number string register number (unique, case-insensitive), e.g. 180/12/425.012/2027
---@field title string title
---@field kind "ksdd"|"ksdpk"|"sinergi"|"ksdpl"|"ksdll" KSDD, KSDPK, Sinergi, KSDPL or KSDLL (PP 28/2018 Pasal 1); fixed once created
---@field subkind? "wajib"|"sukarela" KSDD only: wajib or sukarela (PP 28/2018 Pasal 3)
---@field lead_agency string Perangkat Daerah pemrakarsa (Permendagri 22/2020 Pasal 7)
---@field object string objek kerja sama
---@field scope string ruang lingkup
---@field value? integer value in rupiah
---@field funding string sources of funding (APBD, APBN, pihak ketiga, …)
---@field parties Party[] the partners, each { name, kind, form } (form: badan_usaha only)
---@field membebani_masyarakat boolean burdens the public and the region: needs DPRD approval (PP 28/2018 Pasal 6(2) huruf a)
---@field belum_dianggarkan boolean funding not yet in this year's APBD: needs DPRD approval (PP 28/2018 Pasal 6(2) huruf b)
---@field starts_on? Date start of the Kesepakatan Bersama (or Nota Kesepakatan)
---@field ends_on? Date end of the Kesepakatan Bersama (or Nota Kesepakatan)
---@field pks_starts_on? Date start of the PKS / kontrak
---@field pks_ends_on? Date end of the PKS / kontrak
---@field status "draft"|"active"|"expired"|"terminated" draft, active, expired or terminated
---@field stage string the stage of its kind's track, e.g. pelaksanaan
---@field ending_ground? "jangka_waktu_berakhir"|"tujuan_tercapai"|"kesepakatan_para_pihak"|"perubahan_kebijakan"|"objek_musnah"|"putusan_pengadilan"|"pailit"|"diganti_perjanjian_baru" why it ended (PP 28/2018 Pasal 9(1), 22)
---@field pks_clauses ("maksud_tujuan"|"objek"|"ruang_lingkup"|"pelaksanaan"|"hak_kewajiban"|"pembiayaan"|"jangka_waktu"|"penyelesaian_perselisihan"|"keadaan_kahar"|"pengakhiran"|"sanksi"|"latar_belakang"|"lokasi"|"tugas_tanggung_jawab"|"lain_lain")[] the minimum PKS clauses the signed PKS contains (Permendagri 22/2020 Pasal 41)
---@field notes string keterangan: free remarks, as in the office's register
---@field third_parties string[] Sinergi only: third parties involved in carrying it out, who do not sign it
---@field needs_dprd_approval boolean membebani_masyarakat or belum_dianggarkan, or foreign (PP 28/2018 Pasal 6(2), 30(1))
---@field missing_pks_clauses ("maksud_tujuan"|"objek"|"ruang_lingkup"|"pelaksanaan"|"hak_kewajiban"|"pembiayaan"|"jangka_waktu"|"penyelesaian_perselisihan"|"keadaan_kahar"|"pengakhiran"|"sanksi"|"latar_belakang"|"lokasi"|"tugas_tanggung_jawab"|"lain_lain")[] the minimum PKS clauses not recorded
---@field documents Document[] the documents recorded (a:attach), oldest first
local Agreement = {}
-- End of the generated part.

--- Changes fields (validated, audited, in the run's transaction). Returns the agreement.
---@param fields AgreementFields
---@return Agreement
function Agreement:update(fields) end

--- The latest document of a kind, or nil.
---@param kind string
---@return Document?
function Agreement:document(kind) end

--- Records a document; a `file` (a regular file inside the workspace, at most 512 MB) is hashed (SHA-256).
---@param fields { kind: string, number?: string, date?: Date|string, signatories?: string[], file?: string }
---@return Document
function Agreement:attach(fields) end

--- Fires a workflow event as the acting user, in this run's transaction (role check, guard,
--- required documents, actions, state, tasks, timers). Returns the state entered.
---@param event string
---@param options? { note?: string }
---@return string state
function Agreement:fire(event, options) end

--- The workflow the agreement runs on, or nil.
---@return { name: string, version: string, state: string, since: string }?
function Agreement:workflow() end

--- The events possible now, and whether the acting user may fire each.
---@return { name: string, to: string, roles: string[], allowed: boolean }[]
function Agreement:events() end

--- The workflow history; outcome is approved, rejected, deemed_approved, ….
---@return { at: string, actor: string, kind: string, event?: string, from?: string, to?: string, outcome?: string, note?: string }[]
function Agreement:history() end

---@class AgreementList: { [integer]: Agreement }
---@operator len: integer
---@operator call: Agreement?

agreements = {}

---@param id_or_number integer|string
---@return Agreement?
function agreements.get(id_or_number) end

--- A lazy list: `for a in agreements.find{ kind = "ksdpk" } do … end`, `#list`, `list[i]`.
---@param filter? AgreementFilter
---@return AgreementList
function agreements.find(filter) end

---@param filter? AgreementFilter
---@return integer
function agreements.count(filter) end

--- A Perangkat Daerah listed in sinergi.lua's perangkat_daerah{}, by short or full name (any case), or nil.
---@param name string
---@return { short: string, name: string }?
function agreements.agency(name) end

--- Creates an agreement (errors are `validation`).
---@param fields AgreementFields
---@return Agreement
function agreements.create(fields) end

workflows = {}

--- The scalar settings of sinergi.lua's `workflows = { … }` (as text), as definitions see them in `ctx.settings`.
---@return { dprd_days?: "days"|"workdays", dprd_first_day?: "after_receipt"|"receipt", [string]: string }
function workflows.settings() end

---@return Date
function today() end

---@return string ISO 8601 with the workspace's offset
function now() end

---@param text string YYYY-MM-DD
---@return Date
function date(text) end

---@param n integer
---@return integer
function days(n) end

--- Working days (hari kerja): skips weekends and the workspace's holidays when added to a date.
---@param n integer
---@return Workdays
function workdays(n) end

--- Queues a message in the outbox, in this run's transaction (kept only if the run is).
--- to: "role:NAME" (everyone with the role) or "user:ID"; subject: one line, at most 1 KB;
--- body: at most 64 KB; key: queueing the same key again does nothing (returns false).
---@param message { to: string, subject: string, body?: string, key?: string, agreement?: Agreement|integer }
---@return boolean queued
function notify(message) end

tasks = {}

--- Open human tasks of a role, or those a user may act on (all when neither is given).
---@param filter? { role?: string, user?: string }
---@return { id: integer, agreement: string, state: string, role: string, events: string[], opened_at: string }[]
function tasks.pending(filter) end

workflows = {}

--- A read-only view of workflows/NAME.lua as it is now.
---@param name string
---@return { name: string, title: string, version: string, initial: string, states: table<string, { on: table<string, { to: string|string[], roles: string[] }>, stage: string, final: boolean, deadline?: table }> }
function workflows.get(name) end

log = {}
function log.info(...) end
function log.warn(...) end
function log.error(...) end

--- The script's command-line arguments (arg[0] is the script).
---@type string[]
arg = {}
