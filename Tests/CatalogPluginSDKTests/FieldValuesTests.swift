import CatalogJSON
@testable import CatalogPluginSDK
import Testing

/// The fast read of a sort key finds what the general walk finds first, whatever lies on the path.
@Suite("Field values")
struct FieldValuesTests {
    static let entity: JSONValue = [
        "name": "a",
        "empty": nil,
        "customProperties": ["size": ["metadataType": "MetadataIntValue", "int_value": "7"], "plain": ["x": 1]],
        "artifacts": [["score": .number(0.5)], ["score": .number(0.9)]],
        "tags": ["x", "y"],
        "nested": ["list": [["deep": "first"], ["deep": "second"]]],
    ]

    @Test(arguments: [
        ["name"], ["empty"], ["missing"], ["customProperties", "size"], ["customProperties", "plain"], ["customProperties", "plain", "x"],
        ["artifacts", "score"], ["tags"], ["nested", "list", "deep"], ["name", "deeper"], [],
    ])
    func theFirstValueIsTheWalksFirst(_ path: [String]) {
        #expect(FieldValues.first(at: path, in: Self.entity) == FieldValues.values(at: path, in: Self.entity).first, "\(path)")
    }

    @Test func valuesAreEveryValueOnThePathInOrder() {
        func values(_ path: [String], in entity: JSONValue = Self.entity) -> [JSONValue] { FieldValues.values(at: path, in: entity) }
        #expect(values(["artifacts", "score"]) == [.number(0.5), .number(0.9)])
        #expect(values(["nested", "list", "deep"]) == ["first", "second"])
        #expect(values(["tags"]) == ["x", "y"])
        #expect(values(["customProperties", "size"]) == [.integer(7)], "a property reads as its value")
        #expect(values(["empty"]).isEmpty && values(["missing"]).isEmpty && values(["name", "deeper"]).isEmpty)
        // Each step fans out one level of list: a list in a list is a value.
        #expect(values(["grid"], in: ["grid": [[1, 2], [3]]]) == [[1, 2], [3]])
        #expect(values([], in: [1, [2]]) == [1, [2]])
    }

    @Test func containsReadsValuesUntilOneSatisfies() {
        var seen: [JSONValue] = []
        #expect(FieldValues.contains(at: ["nested", "list", "deep"], in: Self.entity) { seen.append($0); return $0 == "first" })
        #expect(seen == ["first"], "stops at the first value that satisfies")
        seen = []
        #expect(!FieldValues.contains(at: ["tags"], in: Self.entity) { seen.append($0); return false })
        #expect(seen == ["x", "y"])
        #expect(!FieldValues.contains(at: ["empty"], in: Self.entity) { _ in true }, "null is no value")
    }
}
