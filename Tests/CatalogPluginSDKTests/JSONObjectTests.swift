import Foundation
import Testing

@testable import CatalogJSON

@Suite("JSON objects")
struct JSONObjectTests {
    /// Members come out sorted by name; a missing one is `nil`, not JSON `null`.
    @Test func readsLikeADictionary() {
        let object: JSONObject = ["b": 1, "a": "x", "c": nil, "b ": true]
        #expect(object.keys == ["a", "b", "b ", "c"])
        #expect(object.values == ["x", 1, true, .null])
        #expect(object["a"] == "x")
        #expect(object["c"] == .some(.null))
        #expect(object["z"] == nil)
        #expect(object["z", default: 7] == 7)
        #expect(object.index(forKey: "b ") == 2 && object.index(forKey: "") == nil)
        #expect(object.map(\.key) == ["a", "b", "b ", "c"])
        #expect(object.dictionary == ["a": "x", "b": 1, "c": .null, "b ": true])
        #expect(JSONObject([("x", JSONValue(1)), ("x", 2)]).dictionary == ["x": 2], "of repeated names the last wins")
        #expect(JSONObject().isEmpty && JSONObject([:] as [String: JSONValue]).isEmpty)
    }

    /// Adding, replacing and removing members keep the names sorted and the values with them.
    @Test func changesLikeADictionary() {
        var object: JSONObject = ["m": 1]
        object["z"] = 2
        object["a"] = 0
        object["m"] = "one"
        #expect(object.keys == ["a", "m", "z"] && object.values == [0, "one", 2])
        #expect(object.removeValue(forKey: "m") == "one")
        #expect(object.removeValue(forKey: "m") == nil)
        object["z"] = nil
        object["nothing"] = nil
        #expect(object.dictionary == ["a": 0])
        object["n", default: 0] = 5
        #expect(object.keys == ["a", "n"])
        #expect(object.mapValues { _ in true }.dictionary == ["a": true, "n": true])
        #expect(object.filter { $0.key == "n" }.dictionary == ["n": 5])
        #expect(object.compactMapValues { $0 == 5 ? JSONValue?.none : $0 }.dictionary == ["a": 0])
        #expect(object.merging(["n": 6, "q": 1]) { old, new in old == 5 ? new : old }.dictionary == ["a": 0, "n": 6, "q": 1])
    }

    /// Equal members make equal objects, however they were built; the hash agrees.
    @Test func equalityIgnoresHowItWasBuilt() throws {
        var built: JSONObject = [:]
        for (name, value) in [("c", JSONValue(3)), ("a", 1), ("b", 2)] { built[name] = value }
        let literal: JSONObject = ["a": 1, "b": 2, "c": 3]
        let document = try YAMLDocument.parse("c: 3\nb: 2\na: 1\n", path: "t")
        let read = try #require(document.objectValue)
        #expect(built == literal && literal == read)
        #expect(Set([built, literal, read]).count == 1)
        #expect(literal != ["a": 1, "b": 2] && literal != ["a": 1, "b": 2, "c": 4] && literal != ["a": 1, "b": 2, "d": 3])
    }

    /// Mappings of one shape share their names; so do objects that gain the same member.
    @Test func objectsOfOneShapeShareTheirNames() throws {
        let document = try YAMLDocument.parse("- {name: a, size: 1}\n- {size: 2, name: b}\n- {name: c}\n", path: "t")
        let objects = (document.arrayValue ?? []).compactMap(\.objectValue)
        try #require(objects.count == 3)
        #expect(objects[0].names === objects[1].names && objects[0].names !== objects[2].names)
        var first = objects[0], second = objects[1]
        first["source_id"] = "s"
        second["source_id"] = "s"
        #expect(first.names === second.names && first.keys == ["name", "size", "source_id"])
    }

    /// A shared name never stands in for a different spelling of it: canonically equivalent
    /// names are the same member, as a dictionary's keys are, but keep their own bytes.
    @Test func sharingKeepsTheBytesOfNames() throws {
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        var first: JSONObject = ["a": 1], second: JSONObject = ["a": 1]
        second.names = first.names
        first[composed] = 1
        second[decomposed] = 2
        #expect(Array(first.keys[1].utf8) == Array(composed.utf8) && Array(second.keys[1].utf8) == Array(decomposed.utf8))
        #expect(second[composed] == 2, "one member, by either spelling")
        let read = try YAMLDocument.parse("- {\(composed): 1}\n- {\(decomposed): 1}\n", path: "t")
        let keys = (read.arrayValue ?? []).compactMap { $0.objectValue?.keys.first }.map { Array($0.utf8) }
        #expect(keys == [Array(composed.utf8), Array(decomposed.utf8)])
    }

    /// Small sequences and mappings of scalars that repeat share one storage; values that
    /// would be written differently (other bytes, `-0.0`) are not merged.
    @Test func repeatedSmallValuesShareStorage() throws {
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        let yaml = """
            - {p: {size: {type: s, value: 7B}}, tags: [a, b], n: -0.0, o: {x: 0.0}, k: {x: \(composed)}}
            - {p: {size: {type: s, value: 7B}}, tags: [a, b], n: 0.0, o: {x: -0.0}, k: {x: \(decomposed)}}
            - {p: {size: {type: s, value: 8B}}, tags: [a, b, c, d, e], o: {x: -0.0}}
            - {tags: [a, b, c, d, e]}
            """
        let items = try YAMLDocument.parse(yaml, path: "t").arrayValue ?? []
        try #require(items.count == 4)
        func storage(_ value: JSONValue?) -> UnsafeRawPointer? {
            switch value {
            case .object(let object)?: object.storage.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
            case .array(let array)?: array.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
            default: nil
            }
        }
        #expect(storage(items[0]["p"]) == storage(items[1]["p"]), "a custom property of two levels")
        #expect(storage(items[0]["tags"]) == storage(items[1]["tags"]))
        #expect(storage(items[1]["o"]) == storage(items[2]["o"]))
        #expect(storage(items[0]["p"]) != storage(items[2]["p"]) && items[0]["p"] != items[2]["p"])
        #expect(storage(items[0]["o"]) != storage(items[1]["o"]), "-0.0 is written as -0.0")
        #expect(storage(items[2]["tags"]) != storage(items[3]["tags"]), "past four members nothing is shared")
        let texts = [items[0], items[1]].map { Array(($0["k"]?["x"]?.stringValue ?? "").utf8) }
        #expect(texts == [Array(composed.utf8), Array(decomposed.utf8)])
        #expect(try JSONWriter.bytes(items[0]["o"]!) == Array(#"{"x":0}"#.utf8) && JSONWriter.bytes(items[1]["o"]!) == Array(#"{"x":-0}"#.utf8))
    }

    /// Canonically equivalent names are one member, so the objects are equal and hash alike.
    @Test func canonicallyEquivalentNamesAreOneName() {
        let composed: JSONObject = ["caf\u{E9}": 1], decomposed: JSONObject = ["cafe\u{301}": 1]
        #expect(composed == decomposed && composed.hashValue == decomposed.hashValue)
        #expect(JSONObject([("caf\u{E9}", JSONValue(1)), ("cafe\u{301}", 2)]).count == 1)
    }

    /// An object built one member at a time changes its own names in place: nothing is kept
    /// per step (which made building n members cost n² names), and the result is the same.
    @Test func buildingMemberByMemberKeepsNothing() {
        var built = JSONObject()
        var expected: [String: JSONValue] = [:]
        for index in (0..<3000).shuffled() {
            built["k\(index)"] = .integer(Int64(index))
            expected["k\(index)"] = .integer(Int64(index))
        }
        for index in stride(from: 0, to: 3000, by: 3) { built["k\(index)"] = nil; expected["k\(index)"] = nil }
        #expect(built.dictionary == expected && built.keys == expected.keys.sorted())
        #expect(JSONMemberNames.empty.keptChangeCount == 0)
        var merged: JSONObject = ["a": 1, "k1": 0]
        merged.merge(built) { mine, _ in mine }
        #expect(merged.count == built.count + 1 && merged["k1"] == 0 && merged["k2"] == 2)
    }

    /// Names that keep what they became never change in place, even when one object is left
    /// holding them: a copy that later gains a kept member must not get names without the
    /// members added meanwhile.
    @Test func sharedNamesNeverChangeInPlace() throws {
        var document = try YAMLDocument.parse("- {a: 1, b: 1}\n- {a: 2, b: 2}\n", path: "t")
        var objects = (document.arrayValue ?? []).compactMap(\.objectValue)
        document = .null
        try #require(objects.count == 2)
        objects[1]["s"] = 1  // kept by the shared names: {a, b} + s
        var first = objects[0]
        objects = []
        first["foo"] = 1  // `first` alone holds the shared names now
        var copy = first
        copy["s"] = 2
        #expect(copy.keys == ["a", "b", "foo", "s"] && copy.values == [1, 1, 1, 2])
        #expect(first.keys == ["a", "b", "foo"] && first["s"] == nil)

        // The same for a removal kept by the shared names.
        var again = (try YAMLDocument.parse("- {a: 1, b: 1}\n- {a: 2, b: 2}\n", path: "t").arrayValue ?? []).compactMap(\.objectValue)
        again[1]["a"] = nil  // kept: {a, b} - a
        var one = again[0]
        again = []
        one["b"] = nil
        var other = one
        other["a"] = nil
        #expect(other.isEmpty && other.keys.isEmpty && one.keys == ["a"])
    }

    /// Names hashed one after another do not run together: ["a", "bcd"] and ["ab", "cd"] are
    /// different shapes to the reader (else a file of such mappings makes its lookups quadratic).
    @Test func shapesOfRunTogetherNamesHashApart() {
        func hash(_ names: [String]) -> Int {
            var hasher = Hasher()
            for name in names { hasher.combine(ExactText(name)) }
            return hasher.finalize()
        }
        #expect(hash(["a", "bcd"]) != hash(["ab", "cd"]) && hash(["ab", "cd"]) != hash(["abc", "d"]))
    }

    /// Entities of a data file are read with room for a member: adding `source_id` goes into
    /// it, without copying the values.
    @Test func itemsOfAListGetRoomForAMember() throws {
        let yaml = "models:\n  - {name: a, size: 1}\n  - {name: b, size: 2, tags: [x]}\nother: {a: 1}\n"
        var document = try YAMLReader.read(yaml, path: "t", budget: 10_000, itemRoom: 1)
        #expect(document["other"]?.objectValue?.storage.capacity == 1, "only list items get room")
        guard case .array(var list)? = document["models"] else { Issue.record("no list"); return }
        document = .null  // as the loader does: each entity taken out of the list, held once
        #expect(list.count == 2)
        for index in list.indices {
            var entity = JSONValue.null
            swap(&entity, &list[index])
            guard case .object(var item) = consume entity else { Issue.record("not a mapping"); continue }
            #expect(item.storage.capacity > item.count)
            let before = item.storage.withUnsafeBufferPointer { $0.baseAddress }
            item["source_id"] = "s"
            #expect(item.storage.withUnsafeBufferPointer { $0.baseAddress } == before, "inserted in place")
            #expect(item["source_id"] == "s")
        }
    }

    /// Only small values are shared: a long text, or a nested value past the weight limit, is
    /// not hashed at every level (a deep chain of one-member mappings around a long text would
    /// be hashed once per level).
    @Test func onlySmallValuesAreShared() throws {
        let long = String(repeating: "x", count: 100)
        let deep = String(repeating: "{a: ", count: 100) + String(repeating: "y", count: 60) + String(repeating: "}", count: 100)
        let items = try YAMLDocument.parse("- {k: \(long)}\n- {k: \(long)}\n- \(deep)\n- \(deep)\n", path: "t").arrayValue ?? []
        try #require(items.count == 4)
        func storage(_ value: JSONValue) -> UnsafeRawPointer? {
            guard case .object(let object) = value else { return nil }
            return object.storage.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
        }
        #expect(storage(items[0]) != storage(items[1]), "a text past 64 bytes makes a value not small")
        #expect(storage(items[2]) != storage(items[3]), "100 levels around 60 bytes weigh more than the limit")
        var inner2 = items[2], inner3 = items[3]
        for _ in 0..<99 { inner2 = inner2["a"]!; inner3 = inner3["a"]! }
        #expect(storage(inner2) == storage(inner3), "the innermost levels are small, and shared")
        #expect(items[2] == items[3])
    }

    /// Encoding writes members in name order, through Codable and through JSONWriter alike.
    @Test func encodesSortedAndDecodes() throws {
        let value: JSONValue = ["z": [1, 2], "a": ["y": nil, "b": "text"]]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let expected = #"{"a":{"b":"text","y":null},"z":[1,2]}"#
        #expect(String(decoding: try encoder.encode(value), as: UTF8.self) == expected)
        #expect(String(decoding: try JSONWriter.bytes(value), as: UTF8.self) == expected)
        #expect(try JSONDecoder().decode(JSONValue.self, from: Data(expected.utf8)) == value)
    }
}
