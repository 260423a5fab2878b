import Foundation
import Testing

/// Options whose value is one of a few words (`--format`, `notify list --status`) list those
/// words, and their default, in help and in the usage error for a word that is not one of them.
@Suite struct WordArgumentTests {
    @Test func helpAndUsageErrorsListTheWords() throws {
        let help = try CLI.run(["notify", "list", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Which messages: pending, sent, dead or all. (values:\n                          pending, sent, dead, all; default: all)"))
        let status = try CLI.run(["notify", "list", "--status", "nope"])
        #expect(status.status == 64)
        #expect(status.firstErrorLine == "Error: The value 'nope' is invalid for '--status <status>'. Please provide one of 'pending', 'sent', 'dead' or 'all'.")
        let format = try CLI.run(["eval", "--format", "bogus", "1"])
        #expect(format.status == 64)
        #expect(format.stderr.hasPrefix("""
            Error: The value 'bogus' is invalid for '--format <format>'. Please provide one of the following:
              - table
              - json
              - csv
              - xlsx
              - mermaid
              - dot

            """))
    }
}
