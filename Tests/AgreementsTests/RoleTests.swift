import Testing
@testable import Agreements

/// Which role names a user or a workflow may use: built-in, declared, or `pd:NAME` with a name.
@Suite struct RoleTests {
    @Test func builtInDeclaredAndNamedPerangkatDaerahRolesAreKnown() {
        #expect(Role.isKnown("tkksd", declared: []))
        #expect(Role.isKnown("bappeda", declared: ["bappeda"]))
        #expect(Role.isKnown("pd:DLH", declared: []))
        #expect(Role.isKnown("pd: Dinas Lingkungan Hidup ", declared: []))
        #expect(!Role.isKnown("sekertariat", declared: ["bappeda"]))
    }

    /// `pd:` needs a name: blank is spaces and tabs of any script (Unicode Zs and U+0009).
    @Test(arguments: ["pd:", "pd: ", "pd:\t \t", "pd:\u{00A0}", "pd:\u{3000}", "pd: \u{2003} "])
    func aPerangkatDaerahRoleWithABlankNameIsUnknown(role: String) {
        #expect(!Role.isKnown(role, declared: []))
    }
}
