import Testing
@testable import LuaKit

/// Durations and sizes as `sinergi.lua`, `--timeout` and `--memory` write them; spaces and tabs
/// of any script around them are ignored (Unicode Zs and U+0009), anything else is refused.
@Suite struct LuaLimitsParsingTests {
    @Test func durationsAndSizesParseWithTheirBlanksIgnored() {
        #expect(LuaLimits.parseDuration("500ms") == 0.5)
        #expect(LuaLimits.parseDuration(" 2S\t") == 2)
        #expect(LuaLimits.parseDuration("\u{3000}5m\u{00A0}") == 300)
        #expect(LuaLimits.parseDuration("1h") == 3600)
        #expect(LuaLimits.parseSize(" 64MB ") == 64 << 20)
        #expect(LuaLimits.parseSize("\t1gb") == 1 << 30)
        #expect(LuaLimits.parseSize("4096") == 4096)
        for refused in ["", " \t ", "2 s x", "-1s", "\n2s", "ms"] { #expect(LuaLimits.parseDuration(refused) == nil, "\(refused)") }
        for refused in ["", "\u{2003}", "64 M B", "0MB", "\n64MB"] { #expect(LuaLimits.parseSize(refused) == nil, "\(refused)") }
    }

    @Test func trimmingBlanksKeepsWhatIsBetween() {
        #expect(LuaLimits.trimmingBlanks(" \t a b \u{3000}") == "a b")
        #expect(LuaLimits.trimmingBlanks("\u{00A0}\u{00A0}") == "")
        #expect(LuaLimits.trimmingBlanks("x\n") == "x\n")
    }
}
