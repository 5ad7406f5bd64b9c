import Testing

@testable import CatalogPluginSDK

@Suite("Entity snapshots")
struct EntitySnapshotTests {
    /// A name is found by binary search: the earliest source's entity, or a given source's;
    /// names that sort around it, a missing source, an empty catalog find nothing.
    @Test func findsANameOfEachSource() {
        let entities: [JSONValue] = [
            ["name": "a", "source_id": "s2"], ["name": "b", "source_id": "s1"], ["name": "b", "source_id": "s3"],
            ["name": "b", "source_id": "s2"], ["name": "c", "source_id": "s1"],
        ]
        let snapshot = EntitySnapshot(entities: entities, sourceLabels: [:])
        #expect(snapshot.position(of: "b") == 1, "the first of a name is the earliest source's")
        #expect(snapshot.position(of: "b", source: "s3") == 2 && snapshot.position(of: "b", source: "s2") == 3)
        #expect(snapshot.position(of: "a") == 0 && snapshot.position(of: "c", source: "s1") == 4)
        #expect(snapshot.position(of: "b", source: "s4") == nil && snapshot.position(of: "a", source: "s1") == nil)
        #expect(snapshot.position(of: "") == nil && snapshot.position(of: "bb") == nil && snapshot.position(of: "d") == nil)
        #expect(EntitySnapshot(entities: [], sourceLabels: [:]).position(of: "a") == nil)
    }
}
