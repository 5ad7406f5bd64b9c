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
    ])
    func findsTheTextCaseIgnored(_ searched: String, _ value: String, _ found: Bool) {
        #expect(TextSearch(searched).isFound(in: value) == found, "\(searched) in \(value)")
    }
}
