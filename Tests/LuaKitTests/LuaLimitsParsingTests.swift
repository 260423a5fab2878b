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

    /// A deadline is kept as Int64 nanoseconds (`1e300h` trapped converting it) and a cap of 0
    /// means no cap (`0.5b` rounded to it): both ends are refused, not run.
    @Test func durationsAndSizesOutsideWhatARunCanUseAreRefused() {
        for refused in ["1e300h", "1e10s", "8d", "169h", "1e-300s", "0.0001ms", "nan", "inf", "1e999"] {
            #expect(LuaLimits.parseDuration(refused) == nil, "\(refused)")
        }
        for refused in ["0.5b", "1000", "0.0001KB", "1e300GB", "1025GB", "nan", "-1KB"] { #expect(LuaLimits.parseSize(refused) == nil, "\(refused)") }
        #expect(LuaLimits.parseDuration("1ms") == 0.001)
        #expect(LuaLimits.parseDuration("168h") == Double(7 * 24 * 3600))
        #expect(LuaLimits.parseSize("1KB") == 1024)
        #expect(LuaLimits.parseSize("1024GB") == 1 << 40)
    }

    @Test func trimmingBlanksKeepsWhatIsBetween() {
        #expect(LuaLimits.trimmingBlanks(" \t a b \u{3000}") == "a b")
        #expect(LuaLimits.trimmingBlanks("\u{00A0}\u{00A0}") == "")
        #expect(LuaLimits.trimmingBlanks("x\n") == "x\n")
    }
}
