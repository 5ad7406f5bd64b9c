import Synchronization

/// The sorted member names of objects of one shape, shared between them.
///
/// Names the YAML reader shares (every entity of a data file has a few shapes) keep what they
/// became with one member more or one less: objects that change the same way — every entity
/// gaining `source_id`, every item of a list losing `tools` — share names again. The names
/// they become keep nothing, so what is kept stays a few per shape read. Names that keep
/// nothing and that no other object holds change in place (names that keep changes never do:
/// what they keep would no longer follow from them).
final class JSONMemberNames: @unchecked Sendable {
    // Unchecked: `names` changes only through `insert`/`remove`, which callers use only on
    // names they hold the one reference to (`isKnownUniquelyReferenced`) and that keep no changes.

    /// The names, sorted by `<`, distinct.
    private(set) var names: [String]
    /// Whether changes are kept (names the reader shares).
    private let keepsChanges: Bool
    /// Names with one member more (`true`) or one less (`false`), by that member.
    private let changes = Mutex<[Change: JSONMemberNames]>([:])
    /// Changes kept per names.
    private static let maximumChanges = 8

    private struct Change: Hashable {
        let name: String
        let added: Bool
    }

    static let empty = JSONMemberNames([])

    /// - Parameters:
    ///   - names: Sorted, distinct names.
    ///   - keepsChanges: Whether the names are shared widely enough to keep what they become.
    init(_ names: [String], keepsChanges: Bool = false) {
        self.names = names
        self.keepsChanges = keepsChanges
    }

    /// Where `name` is, or would go.
    func position(of name: String) -> (position: Int, exists: Bool) {
        var low = 0
        var high = names.count
        while low < high {
            let middle = (low + high) / 2
            if names[middle] < name { low = middle + 1 } else { high = middle }
        }
        return (low, low < names.count && names[low] == name)
    }

    /// These names with `name` added at `position` (where ``position(of:)`` put it).
    func adding(_ name: String, at position: Int) -> JSONMemberNames {
        changed(Change(name: name, added: true), at: position) {
            var added = names
            added.insert(name, at: position)
            return added
        }
    }

    /// These names without the one at `position`.
    func removing(at position: Int) -> JSONMemberNames {
        changed(Change(name: names[position], added: false), at: position) {
            var remaining = names
            remaining.remove(at: position)
            return remaining
        }
    }

    /// Whether ``insert(_:at:)`` and ``remove(at:)`` may be used (on names nothing else holds).
    var changesInPlace: Bool { !keepsChanges }

    /// Adds `name` at `position`; only on names nothing else holds, that keep no changes.
    func insert(_ name: String, at position: Int) { names.insert(name, at: position) }

    /// Removes the name at `position`; only on names nothing else holds, that keep no changes.
    func remove(at position: Int) { names.remove(at: position) }

    /// How many changes are kept (for tests).
    var keptChangeCount: Int { changes.withLock { $0.count } }

    private func changed(_ change: Change, at position: Int, _ make: () -> [String]) -> JSONMemberNames {
        guard keepsChanges else { return JSONMemberNames(make()) }
        // Kept by name, which compares canonically: a kept addition is taken only when its
        // name has the same bytes, so sharing never changes a document's text.
        if let known = changes.withLock({ $0[change] }), !change.added || known.names[position].hasSameBytes(as: change.name) {
            return known
        }
        let made = JSONMemberNames(make())
        changes.withLock { changes in
            if changes.count < Self.maximumChanges { changes[change] = made }
        }
        return made
    }
}
