import CatalogJSON
@testable import CatalogPluginSDK
import Testing

/// A field index only narrows a filter: it must keep every entity an `=` or `IN` matches,
/// however the value and the literal are spelled.
@Suite("Field indexes")
struct FieldIndexTests {
    /// Values as catalogs hold them: strings that spell numbers or not, numbers, Booleans,
    /// nulls, lists, model-registry property objects, objects.
    static let values: [JSONValue] = [
        "7", "7.0", "007", "x", "", "true", "TRUE", " 7", "0x1A", "nan", "inf", "1e400", "-0",
        7, .number(7.5), .number(7.0), 26, .number(-0.0), 0, .number(1e300), true, false, nil,
        ["7", 8], [["9"]], [nil, "x"],
        ["metadataType": "MetadataIntValue", "int_value": "7"], ["string_value": "x"], ["double_value": .number(7.5)], ["nested": 1],
        .number(.infinity), .number(-.infinity), .number(.nan), .integer(9_007_199_254_740_993), .integer(.max), .integer(.min),
        "+7", 10, "infinity", ["bool_value": true], ["int_value": "x"],
    ]
    static let literals = [
        "'7'", "7", "7.0", "'7.0'", "'007'", "'x'", "''", "'true'", "'TRUE'", "26", "'0x1A'", "'26'", "-0", "0", "'-0'",
        "'nan'", "'inf'", "1e300", "'9'", "8", "'8'", "7.5", "' 7'",
        "'-inf'", "9007199254740992", "'9007199254740993'", "9223372036854775807", "'-9223372036854775808'",
        "'1e1'", "'infinity'", "'True'", "'+7'",
    ]

    static func entities() -> [JSONValue] {
        values.enumerated().map { ["name": .string("e\($0.offset)"), "v": $0.element, "w": [$0.element, "y"]] }
    }

    @Test func anIndexKeepsEveryEntityAnEqualityMatches() throws {
        let snapshot = EntitySnapshot(entities: Self.entities(), sourceLabels: [:])
        for literal in Self.literals {
            for query in [
                "v = \(literal)", "w = \(literal)", "v IN ('zz', \(literal))", "name != 'e1' AND v = \(literal) AND w IN (\(literal), 'y')",
                "v.string_value = \(literal)", "v.bool_value = \(literal)",
            ] {
                let filter = try FilterQuery(query)
                #expect(!filter.indexedConditions.isEmpty, "\(query)")
                let narrowing = try #require(snapshot.narrowing(by: filter, making: true))
                for (position, entity) in snapshot.entities.enumerated() where filter.matches(entity) {
                    #expect(narrowing.admits(position), "\(query) lost \(entity)")
                }
                // Paged as the array is, which no index narrows.
                var list = try ListQuery(PluginRequest(queryItems: []), definition: ListQueryTests.definition)
                list.filter = filter
                #expect(list.run(on: snapshot).items == list.run(on: snapshot.entities, sourceLabels: [:]).items, "\(query)")
            }
        }
    }

    /// The index narrows: only entities with a value that may be equal are left.
    @Test func anIndexNarrows() throws {
        let snapshot = EntitySnapshot(entities: Self.entities(), sourceLabels: [:])
        let names = { (query: String) throws -> Set<String> in
            let narrowing = try #require(snapshot.narrowing(by: try FilterQuery(query), making: false))
            return Set(snapshot.entities.indices.filter(narrowing.admits).compactMap { snapshot.entities[$0]["name"]?.stringValue })
        }
        // "7", "7.0", "007" and 7, 7.0 and the property "7" (an integer) meet at the number 7.
        #expect(try names("v = 7") == ["e0", "e1", "e2", "e13", "e15", "e23", "e26", "e36"])
        #expect(try names("v = 'zz'").isEmpty)
        // `v`'s index is kept, so a narrowing that may not make one uses it alone: `w`'s is not
        // made, and the filter itself rejects e25 (a list in a list is a value: its `w` holds
        // [null, "x"]).
        #expect(try names("v = 'x' AND w = 'x'") == ["e3", "e25", "e27", "e40"])
        #expect(snapshot.fieldIndexCount == 1)
        // A narrowing that may make one makes the next missing index, one per narrowing.
        let fresh = EntitySnapshot(entities: Self.entities(), sourceLabels: [:])
        let filter = try FilterQuery("w = 'y' AND v = 'x'")
        _ = fresh.narrowing(by: filter, making: true)
        #expect(fresh.fieldIndexCount == 1)
        let narrowing = try #require(fresh.narrowing(by: filter, making: true))
        #expect(fresh.fieldIndexCount == 2)
        #expect(fresh.entities.indices.filter(narrowing.admits).count == 4)
    }

    @Test(arguments: [
        "v != 7", "v > 7", "v = TRUE", "v = NULL", "v IN (7, NULL)", "v = 7 OR w = 8", "NOT v = 7", "v NOT IN (7)",
        "v LIKE '7'", "(v = 7 OR v = 8) AND w > 1", "NOT (v = 7 AND w = 8)", "v = 7 OR (w = 1 AND x = 2)",
    ])
    func conditionsAnIndexCannotAnswer(query: String) throws {
        #expect(try FilterQuery(query).indexedConditions.isEmpty)
    }

    /// A condition on a sub-entity list holds on one element; it is not indexed.
    @Test func conditionsOnSubEntitiesAreNotIndexed() throws {
        let fields = FilterFields(isField: { $0 == "name" }, customProperties: "customProperties", scopes: ["artifacts"])
        #expect(try FilterQuery("artifacts.format = 'gguf'", fields: fields).indexedConditions.isEmpty)
        #expect(try FilterQuery("artifacts.format = 'gguf' AND size = '7B'", fields: fields).indexedConditions.map(\.paths) == [[["customProperties", "size"]]])
    }

    /// Clients choose what a filter names: a snapshot keeps only the most recently used indexes.
    @Test func aSnapshotKeepsAtMostItsLimitOfIndexes() throws {
        let snapshot = EntitySnapshot(entities: Self.entities(), sourceLabels: [:])
        for field in 0..<(EntitySnapshot.maximumFieldIndexes + 3) {
            _ = snapshot.narrowing(by: try FilterQuery("f\(field) = 1"), making: true)
        }
        #expect(snapshot.fieldIndexCount == EntitySnapshot.maximumFieldIndexes)
    }

    /// A filter naming many fields makes at most one index per narrowing, and uses at most the
    /// limit's number of conditions.
    @Test func oneIndexIsMadePerNarrowing() throws {
        let fields = (0..<20).map { "f\($0)" }
        let snapshot = EntitySnapshot(entities: (0..<5).map { index in
            .object(Dictionary(uniqueKeysWithValues: fields.map { ($0, JSONValue.integer(1)) }).merging(["name": .string("e\(index)")]) { $1 })
        }, sourceLabels: [:])
        let filter = try FilterQuery(fields.map { "\($0) = 1" }.joined(separator: " AND "))
        for made in 1...EntitySnapshot.maximumFieldIndexes {
            #expect(snapshot.narrowing(by: filter, making: true) != nil)
            #expect(snapshot.fieldIndexCount == made)
        }
        for _ in 0..<10 { _ = snapshot.narrowing(by: filter, making: true) }
        #expect(snapshot.fieldIndexCount == EntitySnapshot.maximumFieldIndexes, "the conditions past the limit make none")
        let narrowing = try #require(snapshot.narrowing(by: filter, making: true))
        #expect(snapshot.entities.indices.allSatisfy(narrowing.admits))
        // A condition no entity meets leaves none, and those after it are not read.
        // Two conditions on one field use one index.
        let twice = EntitySnapshot(entities: snapshot.entities, sourceLabels: [:])
        let both = try #require(twice.narrowing(by: try FilterQuery("f0 = 1 AND f0 IN (1, 2)"), making: false))
        #expect(both.isComplete && twice.fieldIndexCount == 1)
        let none = try #require(snapshot.narrowing(by: try FilterQuery("f0 = 2 AND f1 = 1"), making: true))
        #expect(!snapshot.entities.indices.contains(where: none.admits))
    }
}
