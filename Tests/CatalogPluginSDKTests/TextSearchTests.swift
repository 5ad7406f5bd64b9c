@testable import CatalogPluginSDK
import Testing

/// `q` finds its text case ignored: ASCII byte by byte, anything else as lower-cased strings.
@Suite("q text search")
struct TextSearchTests {
    @Test(arguments: [
        // (searched, value, found)
        ("llama", "Meta-LLAMA-3", true), ("LLAMA", "meta-llama-3", true), ("llama", "lama", false),
        ("3", "Meta-Llama-3", true), ("meta-llama-3", "Meta-Llama-3", true), ("meta-llama-3-8b", "Meta-Llama-3", false),
        ("a-b", "xa-bx", true), ("@", "A@B", true), ("[", "AZ", false), ("`", "@", false),
        // Outside ASCII: lower-cased as strings are.
        ("café", "CAFÉ au lait", true), ("CAFÉ", "un café", true), ("cafe", "café", false), ("é", "E", false),
        ("line", "first\r\nLINE", true), ("ß", "STRASSE", false),
        // The ends of A–Z, and what lies just beyond them.
        ("z", "xZy", true), ("[", "[", true), ("{", "[", false), ("a", "A", true),
        // Values a byte-by-byte reading would misread (combining marks, the Kelvin sign) and CR LF,
        // in which `String.contains` finds the `\n`.
        ("e", "e\u{301}", false), ("k", "\u{212A}", true), ("\n", "a\r\nb", true),
    ])
    func findsTheTextCaseIgnored(_ searched: String, _ value: String, _ found: Bool) {
        #expect(TextSearch(searched).isFound(in: value) == found, "\(searched) in \(value)")
    }

    /// Every pair of short texts over characters at the edges of the fast path finds what
    /// lower-casing both and searching with `String.contains` finds. (A searched text never
    /// holds NUL: the host refuses `%00` in a query.)
    @Test func findsWhatLowerCasedContainsFinds() {
        let pieces = ["a", "A", "z", "Z", "@", "[", "`", "{", "\u{7F}", "\0", "\r", "\n", "\r\n", "é", "e\u{301}", "\u{212A}", "ß"]
        let texts = pieces + pieces.flatMap { first in pieces.map { first + $0 } }
        var differ: [String] = []
        for searched in texts where !searched.contains("\0") {
            let search = TextSearch(searched)
            for value in texts where search.isFound(in: value) != value.lowercased().contains(searched.lowercased()) {
                differ.append("\(searched.debugDescription) in \(value.debugDescription)")
            }
        }
        #expect(differ.isEmpty, "\(differ.count) differ: \(differ.prefix(20).joined(separator: ", "))")
    }
}
