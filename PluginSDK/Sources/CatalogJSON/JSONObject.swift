/// The members of a JSON object: names sorted, each with its value.
///
/// A catalog holds many objects of the same shape (every model has `name`, `provider`,
/// `license`, …), so the names are kept apart from the values and shared by every object
/// that has the same ones: an object costs its values and one reference, about a third of a
/// dictionary's size. Reading a member is a binary search of the names; the members come out
/// sorted by name, the order ``JSONWriter`` writes them in.
///
/// It reads like the dictionary it stands for, and converts to and from one:
///
/// ```swift
/// var tool: JSONObject = ["name": "git", "stars": 120]
/// tool["archived"] = false
/// tool["name"]?.stringValue         // "git"
/// tool.keys                         // ["archived", "name", "stars"]
/// for (name, value) in tool { print(name, value) }
/// let members: [String: JSONValue] = tool.dictionary
/// ```
///
/// Names are compared as Swift strings are (canonically equivalent texts are the same name),
/// as a dictionary's keys are. Adding a member moves the members after it: build a large
/// object from a dictionary or from pairs, not one member at a time.
public struct JSONObject: Sendable {
    /// The names, sorted; shared between objects.
    var names: JSONMemberNames
    /// The values, in the order of `names`.
    var storage: [JSONValue]

    /// Objects with fewer members than this grow by exactly one member at a time (an entity
    /// gains `source_id` and keeps its size); larger ones grow as arrays do.
    private static let exactlySized = 16

    /// An object without members.
    public init() {
        names = .empty
        storage = []
    }

    /// The members of `dictionary`.
    ///
    /// - Parameter dictionary: Member names to values.
    public init(_ dictionary: [String: JSONValue]) {
        let sorted = dictionary.sorted { $0.key < $1.key }
        self.init(names: JSONMemberNames(sorted.map(\.key)), values: sorted.map(\.value))
    }

    /// The members of `members`; of repeated names the first one's spelling stays with the
    /// last one's value, as in a dictionary.
    ///
    /// - Parameter members: Name–value pairs, in any order.
    public init(_ members: some Sequence<(String, JSONValue)>) {
        var all = Array(members.enumerated())
        all.sort { left, right in
            left.element.0 < right.element.0 || (!(right.element.0 < left.element.0) && left.offset < right.offset)
        }
        var unique: [(key: String, value: JSONValue)] = []
        unique.reserveCapacity(all.count)
        for (_, (name, value)) in all {
            if let last = unique.last, last.key == name {
                unique[unique.count - 1].value = value
            } else {
                unique.append((name, value))
            }
        }
        self.init(names: JSONMemberNames(unique.map(\.key)), values: unique.map(\.value))
    }

    /// `values` named by `names`, in the same order.
    init(names: JSONMemberNames, values: [JSONValue]) {
        precondition(names.names.count == values.count, "one value per member name")
        self.names = names
        self.storage = values
    }

    /// The member names, sorted.
    public var keys: [String] { names.names }

    /// The values, in the order of ``keys``.
    public var values: [JSONValue] { storage }

    /// The members as a dictionary.
    public var dictionary: [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: zip(names.names, storage))
    }

    /// The position of the member called `name`, if there is one.
    ///
    /// - Parameter name: A member name.
    /// - Returns: Its position in ``keys``, or `nil`.
    public func index(forKey name: String) -> Int? {
        let found = names.position(of: name)
        return found.exists ? found.position : nil
    }

    /// The value of the member called `name`: reading it finds it, writing `nil` removes it,
    /// writing a value adds or replaces it.
    ///
    /// - Parameter name: A member name.
    public subscript(name: String) -> JSONValue? {
        get {
            let found = names.position(of: name)
            guard found.exists else { return .none }  // not `nil`: JSONValue is a nil literal too
            return storage[found.position]
        }
        set {
            let found = names.position(of: name)
            switch (found.exists, newValue) {
            case (true, let value?):
                storage[found.position] = value
            case (true, nil):
                removeMember(at: found.position)
            case (false, let value?):
                if isKnownUniquelyReferenced(&names) && names.changesInPlace {
                    names.insert(name, at: found.position)
                } else {
                    names = names.adding(name, at: found.position)
                }
                if storage.capacity > storage.count || storage.count >= Self.exactlySized {
                    storage.insert(value, at: found.position)
                } else {
                    var values: [JSONValue] = []
                    values.reserveCapacity(storage.count + 1)  // exactly: a small object rarely grows much
                    values.append(contentsOf: storage[..<found.position])
                    values.append(value)
                    values.append(contentsOf: storage[found.position...])
                    storage = values
                }
            case (false, nil):
                break
            }
        }
    }

    /// The value of the member called `name`, or `defaultValue`; writing sets the member.
    ///
    /// - Parameters:
    ///   - name: A member name.
    ///   - defaultValue: The value when there is no such member.
    public subscript(name: String, default defaultValue: @autoclosure () -> JSONValue) -> JSONValue {
        get { self[name] ?? defaultValue() }
        set { self[name] = newValue }
    }

    /// Removes the member called `name`.
    ///
    /// - Parameter name: A member name.
    /// - Returns: Its value, or `nil` when there was none.
    @discardableResult
    public mutating func removeValue(forKey name: String) -> JSONValue? {
        guard let index = index(forKey: name) else { return .none }
        let value = storage[index]
        removeMember(at: index)
        return value
    }

    private mutating func removeMember(at position: Int) {
        if isKnownUniquelyReferenced(&names) && names.changesInPlace {
            names.remove(at: position)
        } else {
            names = names.removing(at: position)
        }
        storage.remove(at: position)
    }

    /// The same members, each value transformed; the names stay shared.
    ///
    /// - Parameter transform: Makes a member's new value of its value.
    /// - Returns: The transformed object.
    public func mapValues(_ transform: (JSONValue) throws -> JSONValue) rethrows -> JSONObject {
        JSONObject(names: names, values: try storage.map(transform))
    }

    /// The members whose `transform`ed value is not `nil`, with that value.
    ///
    /// - Parameter transform: Makes a member's new value of its value, or `nil` to drop it.
    /// - Returns: The transformed object.
    public func compactMapValues(_ transform: (JSONValue) throws -> JSONValue?) rethrows -> JSONObject {
        var kept: [(key: String, value: JSONValue)] = []
        for (name, value) in self {
            if let value = try transform(value) { kept.append((name, value)) }
        }
        return keeping(kept)
    }

    /// The members for which `isIncluded` is true.
    ///
    /// - Parameter isIncluded: Tells whether a member stays.
    /// - Returns: The object of those members.
    public func filter(_ isIncluded: ((key: String, value: JSONValue)) throws -> Bool) rethrows -> JSONObject {
        var kept: [(key: String, value: JSONValue)] = []
        for member in self where try isIncluded(member) { kept.append(member) }
        return keeping(kept)
    }

    /// Adds the members of `other`; for a name both have, `combine` gives the value.
    ///
    /// - Parameters:
    ///   - other: The members to add.
    ///   - combine: Takes this object's value and `other`'s, gives the one kept.
    public mutating func merge(_ other: JSONObject, uniquingKeysWith combine: (JSONValue, JSONValue) throws -> JSONValue) rethrows {
        // One pass over both sorted lists.
        var merged: [(key: String, value: JSONValue)] = []
        merged.reserveCapacity(count + other.count)
        var (mine, theirs) = (0, 0)
        while mine < count || theirs < other.count {
            if theirs == other.count || (mine < count && names.names[mine] < other.names.names[theirs]) {
                merged.append(self[mine])
                mine += 1
            } else if mine == count || other.names.names[theirs] < names.names[mine] {
                merged.append(other[theirs])
                theirs += 1
            } else {
                merged.append((names.names[mine], try combine(storage[mine], other.storage[theirs])))
                mine += 1
                theirs += 1
            }
        }
        self = keeping(merged)
    }

    /// An object of `members`, sorted, made from this object's (some of them dropped, or
    /// others merged in): as many members as this object has means the same names, which
    /// stay shared.
    private func keeping(_ members: [(key: String, value: JSONValue)]) -> JSONObject {
        JSONObject(names: members.count == count ? names : JSONMemberNames(members.map(\.key)), values: members.map(\.value))
    }

    /// This object with the members of `other` added, like ``merge(_:uniquingKeysWith:)``.
    ///
    /// - Parameters:
    ///   - other: The members to add.
    ///   - combine: Takes this object's value and `other`'s, gives the one kept.
    /// - Returns: The merged object.
    public func merging(_ other: JSONObject, uniquingKeysWith combine: (JSONValue, JSONValue) throws -> JSONValue) rethrows -> JSONObject {
        var merged = self
        try merged.merge(other, uniquingKeysWith: combine)
        return merged
    }
}

extension JSONObject: RandomAccessCollection {
    /// A member: its name and value.
    public typealias Element = (key: String, value: JSONValue)

    /// The first member's position, `0`.
    public var startIndex: Int { 0 }
    /// One past the last member's position: the number of members.
    public var endIndex: Int { storage.count }

    /// The member at `position`, in name order.
    ///
    /// - Parameter position: A position in `0..<count`.
    public subscript(position: Int) -> Element { (names.names[position], storage[position]) }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// An object from a dictionary literal: `["name": "git"]`; of repeated names the last wins.
    ///
    /// - Parameter elements: The members, as name–value pairs.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}

extension JSONObject: Hashable {
    /// Whether both objects have the same names with equal values.
    ///
    /// - Parameters:
    ///   - lhs: An object.
    ///   - rhs: Another object.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        (lhs.names === rhs.names || lhs.names.names == rhs.names.names) && lhs.storage == rhs.storage
    }

    /// Feeds the names and values, in order, to `hasher`.
    ///
    /// - Parameter hasher: The hasher.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(names.names)
        hasher.combine(storage)
    }
}

extension JSONObject: Codable {
    /// Decodes a JSON object.
    ///
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError` when the value is not an object of JSON values.
    public init(from decoder: any Decoder) throws {
        self.init(try [String: JSONValue](from: decoder))
    }

    /// Encodes the members as a dictionary of them encodes: with an encoder's key strategy
    /// left out, and in name order when the encoder sorts keys.
    ///
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: The encoder's error.
    public func encode(to encoder: any Encoder) throws {
        try dictionary.encode(to: encoder)
    }
}

extension JSONObject: JSONValueConvertible {
    /// The object as a ``JSONValue``, so `JSONCoding.encode` writes it with ``JSONWriter``.
    public var jsonValue: JSONValue { .object(self) }
}
