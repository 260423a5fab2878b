import Agreements
import LuaKit
import Testing
@testable import ScriptHost

/// The sample set (`sinergi init --sample`) agrees with the law it demonstrates (issue #8 §6).
///
/// Each test runs a Lua check over the loaded sample and expects no line of complaint, so a
/// failure names the agreement at fault.
@Suite struct SampleDataTests {
    func complaints(_ check: String) throws -> [LuaValue] {
        try ScriptHostFixture(sample: true).eval("""
            local out = {}
            local function complain(a, why) out[#out + 1] = a.number .. ": " .. why end
            for a in agreements.find{} do
            \(check)
            end
            return table.concat(out, "\\n")
            """)
    }

    /// Kota Probolinggo borders only Kabupaten Probolinggo on land; a kerja sama wajib is with a
    /// bordering region or the city's own province (PP 28/2018 Pasal 3(2); Permendagri 22/2020 Pasal 3(2)).
    @Test func aKerjaSamaWajibIsWithABorderingRegionOrTheOwnProvince() throws {
        #expect(try complaints("""
            if a.kind == "ksdd" and a.subkind == "wajib" then
              for _, p in ipairs(a.parties) do
                if p.name ~= "Pemerintah Kabupaten Probolinggo" and p.name ~= "Pemerintah Provinsi Jawa Timur" then
                  complain(a, p.name .. " does not border Kota Probolinggo")
                end
              end
            end
            """) == [.text("")])
    }

    /// PP 28/2018 Pasal 6(2); Permendagri 22/2020 Pasal 12 (KSDD), 34 (KSDPK): the request goes with
    /// the signed KB, and the approval comes before the PKS is signed.
    @Test func anActiveAgreementThatNeededTheDPRDCarriesItsDPRDDocuments() throws {
        #expect(try complaints("""
            if a.status == "active" and a.needs_dprd_approval and a.kind ~= "sinergi" then
              local kb, request, approval, pks = a:document("kesepakatan_bersama"), a:document("surat_permohonan_dprd"),
                a:document("surat_persetujuan_dprd"), a:document("pks")
              if not (kb and request and approval and pks) then
                complain(a, "lacks its KB, DPRD request, DPRD approval or PKS")
              elseif not (kb.date <= request.date and request.date < approval.date and approval.date <= pks.date) then
                complain(a, "its DPRD documents are out of order")
              end
            end
            """) == [.text("")])
        #expect(try ScriptHostFixture(sample: true).eval("""
            local n = 0
            for a in agreements.find{ status = "active" } do if a.needs_dprd_approval then n = n + 1 end end
            return n
            """) == [.integer(2)])
    }

    /// Every partner but a real region is plainly invented: marked as such, and echoing no real
    /// Probolinggo name (Bayuangga is the city's water company and its terminal).
    @Test func everyPartnerButARegionIsPlainlyInvented() throws {
        #expect(try complaints("""
            for _, p in ipairs(a.parties) do
              local region = p.kind == "provinsi" or p.kind == "kabupaten" or p.kind == "kota"
              if not region and not (p.name:find("Contoh") or p.name:find("Rekaan")) then complain(a, p.name .. " may be real") end
              if p.name:lower():find("bayuangga") then complain(a, p.name .. " resembles a real Probolinggo name") end
            end
            """) == [.text("")])
    }

    /// A type B terminal is the province's, type C the city's (UU 23/2014 Lampiran, perhubungan):
    /// neither is a central programme to join in a Sinergi.
    @Test func aSinergisObjectIsTheCentralGovernments() throws {
        #expect(try complaints("""
            if a.kind == "sinergi" and (a.object:find("tipe B") or a.object:find("tipe C")) then
              complain(a, a.object .. " is not a central government's object")
            end
            """) == [.text("")])
    }

    @Test func aDocumentsNumberCarriesTheYearOfItsDate() throws {
        #expect(try complaints("""
            for _, d in ipairs(a.documents) do
              if d.number and d.date and not d.number:find("/" .. d.date.year .. "$") then
                complain(a, d.number .. " is dated " .. tostring(d.date))
              end
            end
            """) == [.text("")])
    }
}
