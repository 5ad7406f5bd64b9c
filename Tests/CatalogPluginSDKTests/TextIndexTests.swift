import CatalogJSON
@testable import CatalogPluginSDK
import Testing

/// A text index only narrows a `q` or a `LIKE`: it must keep every entity the query finds,
/// and (for a `q` on plain ASCII values, without a 0 byte) no other.
@Suite("Text indexes")
struct TextIndexTests {
    /// Characters at the edges of what the index reads byte by byte: the ends of A–Z and
    /// their neighbours, `\r\n` (one `Character`), a 0 byte (the index's separator), and
    /// text that lower-cases beyond ASCII (`é`; `K`, the Kelvin sign, lower-cases to `k`).
    static let characters = ["a", "A", "z", "Z", "k", "K", "@", "[", "`", "{", "0", " ", "\n", "\r\n", "\u{0}", "é", "É", "\u{212A}"]
    static let paths = [["name"], ["description"], ["tags"]]

    /// A seeded generator, so that a failure reproduces.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            return mixed ^ (mixed >> 31)
        }
    }

    static func text(_ length: Int, _ generator: inout Generator, from characters: [String] = characters) -> String {
        (0..<length).map { _ in characters.randomElement(using: &generator)! }.joined()
    }

    /// Entities with a name, most with a description, some with tags (texts and numbers).
    static func entities(_ count: Int, _ generator: inout Generator) -> [JSONValue] {
        (0..<count).map { index in
            var entity: [String: JSONValue] = ["name": .string("e\(index)" + text(Int.random(in: 0...4, using: &generator), &generator))]
            if Bool.random(using: &generator) { entity["description"] = .string(text(Int.random(in: 0...6, using: &generator), &generator)) }
            if index % 3 == 0 { entity["tags"] = [.string(text(2, &generator)), .integer(Int64(index)), true] }
            return .object(entity)
        }
    }

    /// Whether every value searched in `entity` is plain ASCII, which the index reads byte by byte.
    static func isPlain(_ entity: JSONValue) -> Bool {
        paths.allSatisfy { path in
            FieldValues.values(at: path, in: entity).allSatisfy { value in
                FieldValues.text(value).map { ASCIIText.isPlain(Array($0.utf8)) } ?? true
            }
        }
    }

    /// Whether the search finds its text in `entity`, as a list's `q` does.
    static func isFound(_ search: TextSearch, in entity: JSONValue) -> Bool {
        paths.contains { path in
            FieldValues.values(at: path, in: entity).contains { value in FieldValues.text(value).map(search.isFound) ?? false }
        }
    }

    @Test func anIndexKeepsEveryEntityTheSearchFinds() throws {
        var generator = Generator(state: 42)
        let entities = Self.entities(300, &generator)
        let index = TextIndex(entities: entities, paths: Self.paths)
        let plain = Self.characters.filter { ASCIIText.isPlain(Array($0.utf8)) }
        var needles = ["k", "e1", "E1", "true", "12", "a\u{0}", "\u{0}", "zz", "e299", "e300", "\n"]
        for length in 1...3 { for _ in 0..<40 { needles.append(Self.text(length, &generator, from: plain)) } }
        for needle in needles {
            let search = TextSearch(needle)
            guard search.ascii != nil else { continue }
            var stamps = [UInt16](repeating: 0, count: entities.count)
            let moved = index.stamp(search.ascii ?? [], in: &stamps, from: 0, to: 1)
            #expect(moved == stamps.filter { $0 == 1 }.count)
            for (position, entity) in entities.enumerated() {
                // Foundation's `contains` traps on text with a 0 byte in a value beyond ASCII
                // (`"éa".contains("a\0")`); no request carries one (the host refuses `%00`).
                if needle.contains("\u{0}") && !Self.isPlain(entity) {
                    #expect(stamps[position] == 1, "kept aside: \(entity)")
                    continue
                }
                let found = Self.isFound(search, in: entity)
                if found { #expect(stamps[position] == 1, "\(needle.debugDescription) in \(entity)") }
                if !needle.contains("\u{0}") && Self.isPlain(entity) {
                    #expect((stamps[position] == 1) == found, "\(needle.debugDescription) in \(entity)")
                }
            }
        }
    }

    /// Only entities that met every earlier condition move on, each once.
    @Test func aStampMovesOnlyWhatMetTheConditionsBefore() throws {
        let entities: [JSONValue] = (0..<10).map { ["name": .string("e\($0)"), "description": "Alpha alpha ALPHA"] }
        let index = TextIndex(entities: entities, paths: Self.paths)
        var stamps: [UInt16] = [1, 0, 1, 2, 1, 0, 0, 1, 1, 1]
        #expect(index.stamp(Array("alpha".utf8), in: &stamps, from: 1, to: 2) == 6)
        #expect(stamps == [2, 0, 2, 2, 2, 0, 0, 2, 2, 2])
        #expect(index.stamp(Array("e9".utf8), in: &stamps, from: 2, to: 3) == 1)
        #expect(stamps[9] == 3)
    }

    /// Entities with nothing searched, at the ends or everywhere, and text at the very end.
    @Test func entitiesWithoutTextAndTheEnds() throws {
        let entities: [JSONValue] = [["size": 1], ["name": "x"], ["name": "ab"], ["size": 2], ["name": "abc"], ["tags": []], ["name": nil]]
        let index = TextIndex(entities: entities, paths: Self.paths)
        for (needle, expected) in [("ab", [2, 4]), ("abc", [4]), ("x", [1]), ("c", [4]), ("abcd", []), ("b\u{0}a", [2])] {
            var stamps = [UInt16](repeating: 0, count: entities.count)
            _ = index.stamp(Array(needle.utf8), in: &stamps, from: 0, to: 1)
            #expect(entities.indices.filter { stamps[$0] == 1 } == expected, "\(needle.debugDescription)")
        }
        let nothing = TextIndex(entities: [["size": 1], ["size": 2]], paths: Self.paths)
        var stamps: [UInt16] = [0, 0]
        #expect(nothing.stamp(Array("a".utf8), in: &stamps, from: 0, to: 1) == 0)
        var none: [UInt16] = []
        #expect(TextIndex(entities: [], paths: Self.paths).stamp(Array("a".utf8), in: &none, from: 0, to: 1) == 0)
    }

    /// The C library's search is found, and agrees with the loop used without it.
    @Test func bytesAreFoundWithAndWithoutTheCLibrary() throws {
        #if canImport(Glibc)
        #expect(ByteSearch.usesMemoryFind)
        #endif
        var generator = Generator(state: 7)
        for _ in 0..<2_000 {
            let haystack = (0..<Int.random(in: 0...40, using: &generator)).map { _ in UInt8.random(in: 0...3, using: &generator) }
            let needle = (0..<Int.random(in: 0...5, using: &generator)).map { _ in UInt8.random(in: 0...3, using: &generator) }
            haystack.withUnsafeBytes { haystack in
                needle.withUnsafeBytes { needle in
                    let expected = needle.isEmpty || needle.count > haystack.count
                        ? nil : (0...(haystack.count - needle.count)).first { Array(haystack[$0..<($0 + needle.count)]) == Array(needle) }
                    #expect(ByteSearch.firstOffset(of: needle, in: haystack) == expected)
                    #expect(ByteSearch.firstOffsetByLoop(of: needle, in: haystack) == expected)
                }
            }
        }
    }

    static func search(_ text: String, _ paths: [[String]]) -> TextCondition? { TextCondition(TextSearch(text), in: paths) }

    /// A snapshot narrows a `q` through a text index made once and kept.
    @Test func aSnapshotNarrowsASearch() throws {
        let entities: [JSONValue] = (0..<100).map { ["name": .string("e\($0)"), "size": .integer(Int64($0 % 10))] }
        let snapshot = EntitySnapshot(entities: entities, sourceLabels: [:])
        let name = [["name"]]
        let narrowing = try #require(snapshot.narrowing(by: nil, searching: Self.search("e7", name), making: false))
        #expect(entities.indices.filter(narrowing.admits) == [7] + Array(70...79))
        #expect(narrowing.isComplete && snapshot.textIndexCount == 1)
        let both = try #require(snapshot.narrowing(by: try FilterQuery("size = 3"), searching: Self.search("e7", name), making: true))
        #expect(entities.indices.filter(both.admits) == [73])
        #expect(snapshot.textIndexCount == 1 && snapshot.fieldIndexCount == 1)
        // Four kept; a fifth set of fields drops the least recently used.
        _ = snapshot.narrowing(by: nil, searching: Self.search("x", [["a"]]), making: true)
        _ = snapshot.narrowing(by: nil, searching: Self.search("e7", name), making: true)
        for field in ["b", "c", "d"] { _ = snapshot.narrowing(by: nil, searching: Self.search("x", [[field]]), making: true) }
        #expect(snapshot.textIndexCount == EntitySnapshot.maximumTextIndexes)
        #expect(snapshot.narrowing(by: nil, searching: Self.search("e7", name), making: false)?.isComplete == true, "name's is kept")
        let remade = try #require(snapshot.narrowing(by: nil, searching: Self.search("x", [["a"]]), making: false))
        #expect(remade.isComplete && snapshot.textIndexCount == EntitySnapshot.maximumTextIndexes, "a's was dropped, and made again")
    }

    /// A LIKE's needle is its longest run of plain characters between wildcards, as the
    /// pattern is matched (lower-cased first for ILIKE), lower-cased.
    @Test func aLikeSearchesItsLongestPlainRun() throws {
        func needle(_ pattern: String, caseInsensitive: Bool = false) -> String? {
            TextCondition(like: pattern, in: [["name"]], caseInsensitive: caseInsensitive).map { String(decoding: $0.needle, as: UTF8.self) }
        }
        #expect(needle("%Llama-3%") == "llama-3")
        #expect(needle("a_bc%d") == "bc")
        #expect(needle("AB%", caseInsensitive: true) == "ab")
        #expect(needle("AB%") == "ab")
        #expect(needle("%%") == nil && needle("_") == nil && needle("") == nil)
        #expect(needle("é_É") == nil)
        #expect(needle("xy\r\nzw") == "xy", "a CR LF is one character, not plain")
        #expect(needle("\u{212A}ab") == "ab", "the Kelvin sign equals K: no byte of it is sought")
        #expect(needle("a\u{301}bc") == "bc", "a letter with a combining mark is one character")
        #expect(needle("caféines%", caseInsensitive: true) == "ines")
    }

    /// A LIKE or ILIKE narrowed by a text index keeps every entity the filter matches.
    @Test func anIndexKeepsEveryEntityALikeMatches() throws {
        var generator = Generator(state: 9)
        let entities = Self.entities(400, &generator)
        let index = TextIndex(entities: entities, paths: [["name"]])
        let characters = ["a", "A", "z", "Z", "k", "K", "@", "[", "`", "{", "0", " ", "é", "\u{212A}", "e", "1", "%", "_"]
        let written = ["%e1%", "e1_", "E1%", "%k%", "%K", "e%a%", "%\u{212A}%", "e1%\u{212A}", "%a\u{212A}z%", "%\u{212A}_%", "%ZA%", "e_%"]
        var patterns = written
        for length in 1...4 { for _ in 0..<60 { patterns.append(Self.text(length, &generator, from: characters)) } }
        for operation in ["LIKE", "ILIKE"] {
            for pattern in patterns {
                let filter = try FilterQuery("name \(operation) '\(pattern)'")
                let matched = entities.indices.filter { filter.matches(entities[$0]) }
                if written.contains(pattern) && operation == "ILIKE" { #expect(!matched.isEmpty, "\(pattern.debugDescription) matches something") }
                guard let condition = filter.textConditions.first else { continue }
                var stamps = [UInt16](repeating: 0, count: entities.count)
                _ = index.stamp(condition.needle, in: &stamps, from: 0, to: 1)
                for position in matched {
                    #expect(stamps[position] == 1, "\(pattern.debugDescription) \(operation) on \(entities[position])")
                }
            }
        }
        #expect(try FilterQuery("NOT name LIKE '%a%' AND name NOT LIKE '%b%'").textConditions.isEmpty, "a negated LIKE does not narrow")
        #expect(try FilterQuery("name LIKE '%a%' OR size = 1").textConditions.isEmpty, "nor one joined by OR")
        let fields = FilterFields(isField: { $0 == "name" }, scopes: ["artifacts"])
        #expect(try FilterQuery("artifacts.uri LIKE '%a%'", fields: fields).textConditions.isEmpty, "nor one on a list's elements")
        #expect(try FilterQuery("name LIKE '%ab%' AND name ILIKE '%CD%'").textConditions.map(\.needle) == [Array("ab".utf8), Array("cd".utf8)])
    }

    /// A field whose text would pass the limit gets no index: its conditions are left to the query.
    @Test func textPastTheLimitIsNotKept() throws {
        let entities: [JSONValue] = (0..<50).map { ["name": .string("entity-\($0)"), "description": .string("d\($0)")] }
        #expect(TextIndex(entities: entities, paths: [["name"]], maximumBytes: 100).isOverLimit)
        #expect(!TextIndex(entities: entities, paths: [["name"]], maximumBytes: 1_000).isOverLimit)
        // The names and their 0 bytes take 490 bytes: exactly the limit is kept.
        #expect(!TextIndex(entities: entities, paths: [["name"]], maximumBytes: 490).isOverLimit)
        #expect(TextIndex(entities: entities, paths: [["name"]], maximumBytes: 489).isOverLimit)
        let snapshot = EntitySnapshot(entities: entities, sourceLabels: [:], configuration: CatalogConfiguration(), maximumTextIndexBytes: 300)
        #expect(snapshot.narrowing(by: try FilterQuery("name LIKE '%entity-7%'"), making: true) == nil)
        #expect(snapshot.narrowing(by: try FilterQuery("name LIKE '%entity-7%'"), making: true) == nil)
        #expect(snapshot.textIndexCount == 0)
        let narrowed = try #require(snapshot.narrowing(by: try FilterQuery("name LIKE '%entity-7%' AND description LIKE 'd7%'"), making: true))
        #expect(entities.indices.filter(narrowed.admits) == [7] && narrowed.isComplete, "another field is narrowed")
    }
}
