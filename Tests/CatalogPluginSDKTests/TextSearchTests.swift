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
        // Values a byte-by-byte reading would misread: combining marks, the Kelvin sign, and
        // CR LF, one character, in which a `\n` alone is not found.
        ("e", "e\u{301}", false), ("k", "\u{212A}", true), ("\n", "a\r\nb", false), ("\r\n", "a\r\nb", true),
        // A NUL (a plugin may search for one) in a value beyond ASCII, where Foundation's `contains` traps.
        ("a\0", "éa", false), ("a\0b", "éa\0B", true),
    ])
    func findsTheTextCaseIgnored(_ searched: String, _ value: String, _ found: Bool) {
        #expect(TextSearch(searched).isFound(in: value) == found, "\(searched) in \(value)")
    }

    /// Every pair of short texts over characters at the edges of the fast path finds what
    /// lower-casing both and searching character by character finds (the slow path's search,
    /// so the byte-by-byte path answers as it would).
    @Test func findsWhatACharacterSearchFinds() {
        let pieces = ["a", "A", "z", "Z", "@", "[", "`", "{", "\u{7F}", "\0", "\r", "\n", "\r\n", "é", "e\u{301}", "\u{212A}", "ß"]
        let texts = pieces + pieces.flatMap { first in pieces.map { first + $0 } }
        var differ: [String] = []
        for searched in texts {
            let search = TextSearch(searched)
            for value in texts where search.isFound(in: value) != (value.lowercased().firstRange(of: searched.lowercased()) != nil) {
                differ.append("\(searched.debugDescription) in \(value.debugDescription)")
            }
        }
        #expect(differ.isEmpty, "\(differ.count) differ: \(differ.prefix(20).joined(separator: ", "))")
    }
}
