import CatalogJSON
import CatalogPluginSDK
import Testing

@Suite("List query cursors")
struct ListQueryTests {
    static let definition = EntityDefinition(
        kind: "Thing", plural: "things", displayName: "Thing", description: "", catalogDisplayName: "Things", icon: "",
        listKey: "things", fields: [FieldDefinition("name", "Name"), FieldDefinition("size", "Size", type: .integer)])

    static func things(_ names: [String]) -> [JSONValue] {
        names.map { ["name": .string($0), "size": .integer(Int64($0.count))] }
    }

    static func query(_ items: [(String, String)]) throws -> ListQuery {
        try ListQuery(PluginRequest(queryItems: items.map { (name: $0.0, value: $0.1) }), definition: definition)
    }

    @Test func tokensSurviveAReloadBetweenPages() async throws {
        let before = Self.things(["a", "b", "c", "d", "e", "f", "g"])
        let first = try Self.query([("pageSize", "3")]).run(on: before, sourceLabels: [:])
        #expect(first.items.compactMap { $0["name"]?.stringValue } == ["a", "b", "c"])
        let token = try #require(first.nextPageToken)

        // Reloaded: "b" (already seen) and "e" (not yet seen) are gone, "bb" and "dd" are new.
        let after = Self.things(["a", "bb", "c", "d", "dd", "f", "g"])
        let second = try Self.query([("pageSize", "3"), ("pageToken", token)]).run(on: after, sourceLabels: [:])
        #expect(second.items.compactMap { $0["name"]?.stringValue } == ["d", "dd", "f"], "continues after the last entity seen")
    }

    @Test func numericOrderWithTiesBrokenByName() async throws {
        let entities = Self.things(["ccc", "a", "bb", "dd", "e"])
        let page = try Self.query([("orderBy", "size"), ("sortOrder", "desc")]).run(on: entities, sourceLabels: [:])
        #expect(page.items.compactMap { $0["name"]?.stringValue } == ["ccc", "bb", "dd", "a", "e"])
    }

    /// `orderBy` takes a field's name or its path (the name filterQuery uses).
    @Test func orderByNameOrPath() async throws {
        let definition = EntityDefinition(
            kind: "Thing", plural: "things", displayName: "Thing", description: "", catalogDisplayName: "Things", icon: "",
            listKey: "things", fields: [FieldDefinition("name", "Name"), FieldDefinition("weight", "Weight", type: .integer, path: "spec.weight")])
        let entities: [JSONValue] = [["name": "a", "spec": ["weight": 3]], ["name": "b", "spec": ["weight": 1]], ["name": "c", "spec": ["weight": 2]]]
        for order in ["weight", "spec.weight"] {
            let query = try ListQuery(PluginRequest(queryItems: [(name: "orderBy", value: order)]), definition: definition)
            #expect(query.run(on: entities, sourceLabels: [:]).items.compactMap { $0["name"]?.stringValue } == ["b", "c", "a"], "\(order)")
        }
        #expect(throws: PluginError.self) { try ListQuery(PluginRequest(queryItems: [(name: "orderBy", value: "spec")]), definition: definition) }
    }

    /// Paging through every page, in either direction, gives exactly the fully sorted order:
    /// each page is chosen without sorting all matches, and must not differ from a sort.
    @Test func pagesTogetherAreTheSortedCatalog() async throws {
        var generator = SystemRandomNumberGenerator()
        let entities: [JSONValue] = (0..<500).map { index in
            ["name": .string("e\(index)"), "size": .integer(Int64.random(in: 0..<40, using: &generator))]
        }
        for direction in ["ASC", "DESC"] {
            var names: [String] = []
            var token: String?
            repeat {
                let items = [("orderBy", "size"), ("sortOrder", direction), ("pageSize", "7")] + (token.map { [("pageToken", $0)] } ?? [])
                let page = try Self.query(items).run(on: entities, sourceLabels: [:])
                #expect(page.items.count <= 7 && page.size == 500)
                names += page.items.compactMap { $0["name"]?.stringValue }
                token = page.nextPageToken
            } while token != nil
            let sorted = entities.sorted { left, right in
                let (l, r) = (left["size"]!.doubleValue!, right["size"]!.doubleValue!)
                if l != r { return direction == "ASC" ? l < r : l > r }
                return left["name"]!.stringValue! < right["name"]!.stringValue!
            }.compactMap { $0["name"]?.stringValue }
            #expect(names == sorted, "\(direction)")
        }
    }

    @Test func pageSizeIsClampedAndSizeCountsAllMatches() async throws {
        let entities = Self.things((0..<1200).map { "n\($0)" })
        let page = try Self.query([("pageSize", "5000")]).run(on: entities, sourceLabels: [:])
        #expect(page.pageSize == 1000 && page.items.count == 1000)
        #expect(page.size == 1200)
        #expect(page.nextPageToken != nil)
    }
}
