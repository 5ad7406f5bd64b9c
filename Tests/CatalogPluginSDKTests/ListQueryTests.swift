import CatalogJSON
@testable import CatalogPluginSDK
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

    /// `q` set on a query, as a plugin may, searches like the request's `q`, case ignored.
    @Test func textSetOnAQuerySearches() async throws {
        let entities = Self.things(["Llama-3", "granite", "LLAMA-2", "café", "CAFÉ-2"])
        for (text, expected) in [("llama", ["LLAMA-2", "Llama-3"]), ("LLAMA", ["LLAMA-2", "Llama-3"]), ("Café", ["CAFÉ-2", "café"])] {
            var query = try Self.query([])
            query.text = text
            #expect(query.text == text.lowercased())
            #expect(query.run(on: entities, sourceLabels: [:]).items.compactMap { $0["name"]?.stringValue } == expected, "\(text)")
            #expect(try Self.query([("q", text)]).run(on: entities, sourceLabels: [:]).items.compactMap { $0["name"]?.stringValue } == expected)
        }
        var query = try Self.query([("q", "llama")])
        query.text = nil
        #expect(query.run(on: entities, sourceLabels: [:]).items.count == entities.count, "no text, no search")
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

    /// A snapshot's prepared orders page exactly as a pass over the array does: every page, in
    /// both directions, with and without conditions, counting matches or not, with ties and
    /// missing keys; and a page token from one snapshot continues in the next.
    @Test func preparedOrdersPageAsTheArrayDoes() async throws {
        var generator = SystemRandomNumberGenerator()
        func entities(_ count: Int) -> [JSONValue] {
            (0..<count).map { index in
                var entity: [String: JSONValue] = ["name": .string("e\(Int.random(in: 0..<count * 2, using: &generator))-\(index)"),
                    "source_id": .string(["a", "b"].randomElement(using: &generator)!)]
                if Int.random(in: 0..<5, using: &generator) > 0 { entity["size"] = .integer(Int64.random(in: 0..<30, using: &generator)) }
                return .object(entity)
            }
        }
        let labels = ["a": ["red"], "b": ["blue"]]
        let conditions: [[(String, String)]] = [
            [], [("filterQuery", "size > 10")], [("sourceLabel", "red")], [("q", "e1")],
            // Narrowed by field indexes first.
            [("filterQuery", "size = 7")], [("filterQuery", "size IN (3, '4', 5.0) AND size != 5")], [("filterQuery", "size = 99")],
        ]
        for condition in conditions {
            for direction in ["ASC", "DESC"] {
                for order in ["name", "size"] {
                    let before = entities(300)
                    let snapshot = EntitySnapshot(entities: before, sourceLabels: labels)
                    var token: String?
                    var pages = 0
                    repeat {
                        let items = [("orderBy", order), ("sortOrder", direction), ("pageSize", "9")] + condition + (token.map { [("pageToken", $0)] } ?? [])
                        let query = try Self.query(items)
                        let prepared = query.run(on: snapshot)
                        let passed = query.run(on: before, sourceLabels: labels)
                        #expect(prepared.items == passed.items && prepared.nextPageToken == passed.nextPageToken && prepared.size == passed.size,
                                "\(condition) \(order) \(direction) page \(pages)")
                        var uncounted = query
                        uncounted.countsAllMatches = false
                        #expect(uncounted.run(on: snapshot).size == prepared.items.count)
                        token = prepared.nextPageToken
                        pages += 1
                    } while token != nil
                    // The next page of a reloaded catalog, from a token of the old one.
                    let after = Array(before.dropFirst(50)) + entities(40)
                    let items = [("orderBy", order), ("sortOrder", direction), ("pageSize", "9")] + condition + (token.map { [("pageToken", $0)] } ?? [])
                    let query = try Self.query(items)
                    #expect(query.run(on: EntitySnapshot(entities: after, sourceLabels: labels)).items == query.run(on: after, sourceLabels: labels).items)
                }
            }
        }
    }

    /// Pages through `snapshot` with the query `query` makes for each page token, expecting each
    /// page, count and token to be those of the pass over the snapshot's entities as an array.
    static func pageAsTheArrayDoes(_ snapshot: EntitySnapshot, _ comment: String, _ query: (String?) throws -> ListQuery) throws {
        var token: String?
        repeat {
            let query = try query(token)
            let narrowed = query.run(on: snapshot)
            let passed = query.run(on: snapshot.entities, sourceLabels: [:])
            #expect(narrowed.items == passed.items && narrowed.nextPageToken == passed.nextPageToken && narrowed.size == passed.size, "\(comment)")
            token = narrowed.nextPageToken
        } while token != nil
    }

    /// A page that passes over 1 000 entities narrows the rest through field indexes (one that
    /// counts every match, from the start), and pages exactly as the array does: every page,
    /// both directions, the Kubeflow count (a page's items) and catalog-server's (every match).
    @Test func pagesNarrowedByIndexesPageAsTheArrayDoes() async throws {
        // Every size from 0 to 999 three times, scattered over the names.
        let entities: [JSONValue] = (0..<3_000).map { index in
            ["name": .string("e\(index)"), "size": .integer(Int64(index * 7_919 % 1_000)), "kind": index % 10 == 0 ? "other" : "model"]
        }
        let filters = [
            "size = 7", "size IN (1, '2', 3.0) AND name != 'e5'", "size = 5000", "size > 990 AND size = 995",
            // A broad index first, then a narrow one, mid-page.
            "kind = 'model' AND size IN (1, '2', 3.0)",
        ]
        for filter in filters {
            for direction in ["ASC", "DESC"] {
                for counts in [true, false] {
                    let snapshot = EntitySnapshot(entities: entities, sourceLabels: [:])
                    try Self.pageAsTheArrayDoes(snapshot, "\(filter) \(direction) \(counts)") { token in
                        var query = try Self.query([("sortOrder", direction), ("pageSize", "2")] + (token.map { [("pageToken", $0)] } ?? []))
                        query.filter = try FilterQuery(filter)
                        query.countsAllMatches = counts
                        return query
                    }
                    // Counting every match narrows from the start; a filter nothing meets passes
                    // over all 3 000.
                    if filter == "size = 5000" || (counts && !filter.hasPrefix("kind")) {
                        #expect(snapshot.fieldIndexCount == 1, "\(filter) \(direction) \(counts)")
                    }
                }
            }
        }
        // A page of a query most entities meet fills without an index.
        let snapshot = EntitySnapshot(entities: entities, sourceLabels: [:])
        var broad = try ListQuery(PluginRequest(queryItems: [(name: "pageSize", value: "1000")]), definition: Self.definition)
        broad.filter = try FilterQuery("kind = 'model'")
        broad.countsAllMatches = false
        #expect(broad.run(on: snapshot).items.count == 1_000)
        #expect(snapshot.fieldIndexCount == 0)
    }

    /// A `q` or a `LIKE` that few entities meet pages through a text index as the pass over
    /// the array does; one most entities meet fills its page without one.
    @Test func pagesNarrowedByTextPageAsTheArrayDoes() async throws {
        let entities: [JSONValue] = (0..<3_000).map { index in
            let description = index % 500 == 0 ? "Rare Café" : index % 500 == 250 ? "Rare cafe" : index % 7 == 0 ? "Common\r\nthing" : "common thing"
            let entity: [String: JSONValue] = ["name": .string("e\(index)"), "size": .integer(Int64(index * 7_919 % 1_000)), "description": .string(description)]
            return .object(entity)
        }
        let searches: [(text: String, filter: String?)] = [
            ("RARE", nil), ("e29", nil), ("zzz", nil), ("café", nil), ("thing", "size = 7"), ("e1", "size IN (1, 2)"), ("n\nt", nil),
            ("", "name LIKE '%e29%'"), ("", "description ILIKE '%RARE CAFE%'"), ("", "name LIKE 'zzz%'"), ("thing", "name LIKE 'e2_9%'"),
            ("", "description LIKE 'Rare %'"), ("", "name LIKE '%e1%' AND size = 1"),
        ]
        for search in searches {
            for direction in ["ASC", "DESC"] {
                for counts in [true, false] {
                    let snapshot = EntitySnapshot(entities: entities, sourceLabels: [:])
                    try Self.pageAsTheArrayDoes(snapshot, "\(search) \(direction) \(counts)") { token in
                        let text = search.text.isEmpty ? [] : [("q", search.text)]
                        var query = try Self.query([("sortOrder", direction), ("pageSize", "10")] + text + (token.map { [("pageToken", $0)] } ?? []))
                        query.filter = try search.filter.map { try FilterQuery($0) }
                        query.countsAllMatches = counts
                        return query
                    }
                    // A plain `q` or LIKE nothing meets passes over all 3 000, and makes a text index.
                    if search.text == "zzz" || search.filter == "name LIKE 'zzz%'" { #expect(snapshot.textIndexCount == 1, "\(direction) \(counts)") }
                    if search.text == "café" { #expect(snapshot.textIndexCount == 0, "not plain ASCII") }
                }
            }
        }
        // Empty text, as a plugin may set it, is found in every entity with text.
        var empty = try Self.query([("pageSize", "3")])
        empty.text = ""
        let all = EntitySnapshot(entities: entities, sourceLabels: [:])
        #expect(empty.run(on: all).items == empty.run(on: entities, sourceLabels: [:]).items)
        let snapshot = EntitySnapshot(entities: entities, sourceLabels: [:])
        var broad = try Self.query([("pageSize", "1000"), ("q", "thing")])
        broad.countsAllMatches = false
        #expect(broad.run(on: snapshot).items.count == 1_000)
        #expect(snapshot.textIndexCount == 0)
    }

    /// A page makes the indexes it needs as it goes: one after 1 000 entities passed over, the
    /// next only if it then passes over another 1 000.
    @Test func indexesAreMadeAsAPageNeedsThem() async throws {
        // `a` is "x" in the second half of the names only; `c` is "z" for most of those; `b`
        // is "y" for the last entity only.
        let entities: [JSONValue] = (0..<4_000).map { index in
            ["name": .string(String(format: "e%04d", index)), "a": index >= 2_000 ? "x" : "w", "c": index % 5 == 0 ? "v" : "z",
             "b": index == 3_999 ? "y" : "n"]
        }
        func page(_ filter: String, on snapshot: EntitySnapshot) throws -> [String] {
            var query = try ListQuery(PluginRequest(queryItems: [(name: "pageSize", value: "10")]), definition: Self.definition)
            query.filter = try FilterQuery(filter)
            query.countsAllMatches = false
            return query.run(on: snapshot).items.compactMap { $0["name"]?.stringValue }
        }
        let snapshot = EntitySnapshot(entities: entities, sourceLabels: [:])
        #expect(try page("a = 'x' AND c = 'z'", on: snapshot).first == "e2001")
        #expect(snapshot.fieldIndexCount == 1, "a's index leaves a page that fills: c's is not made")
        #expect(try page("a = 'x' AND c = 'z'", on: snapshot).count == 10)
        #expect(snapshot.fieldIndexCount == 1)
        #expect(try page("a = 'x' AND b = 'y'", on: snapshot) == ["e3999"])
        #expect(snapshot.fieldIndexCount == 2, "past another 1 000 passed over, b's index is made")
    }

    /// A route's own condition narrows the page like the query's do.
    @Test func aRouteConditionNarrowsThePage() async throws {
        let snapshot = EntitySnapshot(entities: Self.things(["a", "bb", "ccc", "dd", "e"]), sourceLabels: [:])
        let page = try Self.query([("pageSize", "1")]).run(on: snapshot) { $0["size"] == 2 }
        #expect(page.items.compactMap { $0["name"]?.stringValue } == ["bb"] && page.size == 2 && page.nextPageToken != nil)
    }

    /// Clients choose orderBy: a snapshot keeps only the most recently used orders.
    @Test func preparedOrdersAreBounded() async throws {
        let definition = EntityDefinition(
            kind: "Thing", plural: "things", displayName: "Thing", description: "", catalogDisplayName: "Things", icon: "",
            listKey: "things", fields: (0..<12).map { FieldDefinition("f\($0)", "F\($0)") })
        let snapshot = EntitySnapshot(entities: Self.things(["a", "b"]), sourceLabels: [:])
        func list(_ field: Int) throws {
            _ = try ListQuery(PluginRequest(queryItems: [(name: "orderBy", value: "f\(field)")]), definition: definition).run(on: snapshot)
        }
        for field in 0..<12 { try list(field) }
        #expect(snapshot.preparedOrderCount == EntitySnapshot.maximumPreparedOrders)
    }

    /// An order a client makes up (a custom orderBy form) is prepared only when asked for a
    /// second time: one-off orders sort nothing.
    @Test func madeUpOrdersWaitForASecondRequest() async throws {
        let snapshot = EntitySnapshot(entities: Self.things(["a", "bb", "c"]), sourceLabels: [:])
        let custom: ListQuery.CustomOrder = { value in
            value.hasSuffix(".string_value") ? (FieldDefinition(value, value), { $0["name"] }) : nil
        }
        func list(_ order: String) throws -> [String] {
            let request = PluginRequest(queryItems: [(name: "orderBy", value: order)])
            let query = try ListQuery(request, definition: Self.definition, dialect: .kubeflow(searchFields: ["name"], customOrder: custom))
            return query.run(on: snapshot).items.compactMap { $0["name"]?.stringValue }
        }
        for index in 0..<20 { #expect(try list("p\(index).string_value") == ["a", "bb", "c"]) }
        #expect(snapshot.preparedOrderCount == 0)
        _ = try list("p3.string_value")
        #expect(snapshot.preparedOrderCount == 1)
    }
}
