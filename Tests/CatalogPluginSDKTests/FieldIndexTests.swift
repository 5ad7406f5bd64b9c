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
    ]
    static let literals = [
        "'7'", "7", "7.0", "'7.0'", "'007'", "'x'", "''", "'true'", "'TRUE'", "26", "'0x1A'", "'26'", "-0", "0", "'-0'",
        "'nan'", "'inf'", "1e300", "'9'", "8", "'8'", "7.5", "' 7'",
    ]

    static func entities() -> [JSONValue] {
        values.enumerated().map { ["name": .string("e\($0.offset)"), "v": $0.element, "w": [$0.element, "y"]] }
    }

    @Test func anIndexKeepsEveryEntityAnEqualityMatches() throws {
        let snapshot = EntitySnapshot(entities: Self.entities(), sourceLabels: [:])
        for literal in Self.literals {
            for query in ["v = \(literal)", "w = \(literal)", "v IN ('zz', \(literal))", "name != 'e1' AND v = \(literal) AND w IN (\(literal), 'y')"] {
                let filter = try FilterQuery(query)
                #expect(!filter.indexedConditions.isEmpty, "\(query)")
                let candidates = try #require(snapshot.candidates(for: filter))
                for (position, entity) in snapshot.entities.enumerated() where filter.matches(entity) {
                    #expect(candidates[position], "\(query) lost \(entity)")
                }
            }
        }
    }

    /// The index narrows: only entities with a value that may be equal are left.
    @Test func anIndexNarrows() throws {
        let snapshot = EntitySnapshot(entities: Self.entities(), sourceLabels: [:])
        let names = { (query: String) throws -> Set<String> in
            let candidates = try #require(snapshot.candidates(for: try FilterQuery(query)))
            return Set(snapshot.entities.indices.filter { candidates[$0] }.compactMap { snapshot.entities[$0]["name"]?.stringValue })
        }
        // "7", "7.0", "007" and 7, 7.0 and the property "7" (an integer) meet at the number 7.
        #expect(try names("v = 7") == ["e0", "e1", "e2", "e13", "e15", "e23", "e26"])
        #expect(try names("v = 'zz'").isEmpty)
        // A list in a list is a value, not fanned out: e25's `w` holds [null, "x"], not "x".
        #expect(try names("v = 'x' AND w = 'x'") == ["e3", "e27"])
    }

    @Test(arguments: [
        "v != 7", "v > 7", "v = TRUE", "v = NULL", "v IN (7, NULL)", "v = 7 OR w = 8", "NOT v = 7", "v NOT IN (7)",
        "v LIKE '7'", "(v = 7 OR v = 8) AND w > 1",
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
            _ = snapshot.candidates(for: try FilterQuery("f\(field) = 1"))
        }
        #expect(snapshot.fieldIndexCount == EntitySnapshot.maximumFieldIndexes)
    }
}
