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
}
