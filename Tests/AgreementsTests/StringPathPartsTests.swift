import Testing
import Agreements

@Suite struct StringPathPartsTests {
    @Test func aSlashIsASeparatorWhateverFollowsIt() {
        #expect("../\u{301}x".pathParts() == ["..", "\u{301}x"])
        #expect("a//b/".pathParts() == ["a", "b"])
        #expect("a//b/".pathParts(omittingEmpty: false) == ["a", "", "b", ""])
        #expect("dokumen/ü.pdf".pathParts() == ["dokumen", "ü.pdf"])
    }
}
