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

---@class Party
---@field name string
---@field kind "provinsi"|"kabupaten"|"kota"|"kementerian"|"lembaga"|"perseorangan"|"badan_usaha"|"ormas"|"perguruan_tinggi"|"luar_negeri"
---@field form? "bumn"|"bumd"|"koperasi"|"swasta"

---@class Document
---@field kind string
---@field number? string
---@field date? Date
---@field signatories string[]
---@field file? string
---@field sha256? string
---@field recorded_at string

---@class Agreement
---@field id integer
---@field number string
---@field title string
---@field kind "ksdd"|"ksdpk"|"sinergi"|"ksdpl"|"ksdll"
---@field subkind? "wajib"|"sukarela"
---@field status "draft"|"active"|"expired"|"terminated"
---@field stage string
---@field lead_agency string
---@field object string
---@field scope string
---@field value? integer rupiah
---@field funding string
---@field starts_on? Date term of the Kesepakatan Bersama (or Nota Kesepakatan)
---@field ends_on? Date
---@field pks_starts_on? Date term of the PKS / kontrak
---@field pks_ends_on? Date
---@field membebani_masyarakat boolean
---@field belum_dianggarkan boolean
---@field needs_dprd_approval boolean PP 28/2018 Pasal 6(2)
---@field ending_ground? string
---@field pks_clauses string[]
---@field missing_pks_clauses string[]
---@field parties Party[]
---@field documents Document[]
local Agreement = {}

--- Changes fields (validated, audited, in the run's transaction). Returns the agreement.
---@param fields table
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

---@class AgreementFilter
---@field kind? string
---@field status? string
---@field stage? string
---@field party? string  case-insensitive; % for a pattern
---@field lead_agency? string
---@field expires_before? Date|string
---@field expires_after? Date|string

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

--- Creates an agreement (errors are `validation`).
---@param fields table
---@return Agreement
function agreements.create(fields) end

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

log = {}
function log.info(...) end
function log.warn(...) end
function log.error(...) end

--- The script's command-line arguments (arg[0] is the script).
---@type string[]
arg = {}
