/// The positions of a snapshot's entities by the values at one field, for a filter's `=` and
/// `IN`: a filter that matches few entities is evaluated on those, not on the whole catalog.
///
/// An index only narrows: ``stamp(_:in:from:to:)`` marks every entity with a value that may
/// equal one of the literals — a superset of the entities the condition holds for — and the
/// filter is still evaluated on each. Values are read as the filter reads them
/// (``FieldValues/contains(at:in:where:)``) and keyed as its equality compares them: a string
/// by its text and, when it spells a finite number, by that number; a finite number by its
/// value; any other scalar (a Boolean, an infinite number) by its text.
///
/// It costs a dictionary entry per distinct key and 4 bytes per value found; positions are
/// 32-bit, so a snapshot of more than `Int32.max` entities is not indexed.
struct FieldIndex: Sendable {
    /// How a value is found: text, or a number (so `7`, `7.0` and `"7"` meet).
    enum Key: Hashable, Sendable {
        case text(String)
        case number(Double)
    }

    /// The paths read (a field's paths, as a filter resolves its name).
    let paths: [[String]]
    /// Each key's slot.
    private let slots: [Key: Int32]
    /// Where each slot's positions start in `positions`; one more than there are slots.
    private let starts: [Int32]
    /// The positions, slot by slot.
    private let positions: [Int32]

    /// Reads every entity's values at `paths` once.
    ///
    /// - Parameters:
    ///   - entities: A snapshot's entities, at most `Int32.max` of them.
    ///   - paths: The paths of one field.
    init(entities: [JSONValue], paths: [[String]]) {
        precondition(entities.count <= Int(Int32.max), "a field index holds 32-bit positions")
        var slots: [Key: Int32] = [:]
        var counts: [Int32] = []
        var occurrences: [(slot: Int32, position: Int32)] = []
        for (position, entity) in entities.enumerated() {
            for path in paths {
                _ = FieldValues.contains(at: path, in: entity) { value in
                    Self.keys(of: value) { key in
                        let slot: Int32
                        if let known = slots[key] {
                            slot = known
                        } else {
                            slot = Int32(counts.count)
                            slots[key] = slot
                            counts.append(0)
                        }
                        counts[Int(slot)] += 1
                        occurrences.append((slot, Int32(position)))
                    }
                    return false
                }
            }
        }
        var starts = [Int32](repeating: 0, count: counts.count + 1)
        for slot in counts.indices { starts[slot + 1] = starts[slot] + counts[slot] }
        var next = starts
        var positions = [Int32](repeating: 0, count: occurrences.count)
        for occurrence in occurrences {
            positions[Int(next[Int(occurrence.slot)])] = occurrence.position
            next[Int(occurrence.slot)] += 1
        }
        self.paths = paths
        self.slots = slots
        self.starts = starts
        self.positions = positions
    }

    /// Moves the stamp of every entity with a value that may equal one of `literals` from
    /// `previous` to `next`: entities that met every earlier condition (stamped `previous`)
    /// and meet this one. An entity found twice is moved once.
    ///
    /// - Parameters:
    ///   - literals: String or number literals (``FilterQuery/IndexedCondition``).
    ///   - stamps: One stamp per entity of the snapshot.
    ///   - previous: The stamp of entities that met every earlier condition.
    ///   - next: The stamp they get when they meet this one.
    /// - Returns: How many entities got `next`.
    func stamp(_ literals: [FilterLiteral], in stamps: inout [UInt16], from previous: UInt16, to next: UInt16) -> Int {
        var moved = 0
        for literal in literals {
            for key in Self.keys(of: literal) {
                guard let slot = slots[key].map(Int.init) else { continue }
                for index in Int(starts[slot])..<Int(starts[slot + 1]) {
                    let position = Int(positions[index])
                    if stamps[position] == previous {
                        stamps[position] = next
                        moved += 1
                    }
                }
            }
        }
        return moved
    }

    /// The keys a value is found by.
    private static func keys(of value: JSONValue, _ body: (Key) -> Void) {
        switch value {
        case .string(let text):
            body(.text(text))
            if let number = Double(text), number.isFinite { body(.number(number)) }
        case .integer(let integer):
            body(.number(Double(integer)))
        case .number(let number) where number.isFinite:
            body(.number(number))
        case .number, .bool:
            // Compared as their text (`inf`, `nan`, `true`).
            if let text = FieldValues.text(value) { body(.text(text)) }
        case .null, .array, .object:
            break
        }
    }

    /// The keys under which a value equal to `literal` is found.
    private static func keys(of literal: FilterLiteral) -> [Key] {
        switch literal {
        case .string(let text):
            // A number equals a string literal that spells it; any value equals its own text.
            if let number = Double(text), number.isFinite { return [.text(text), .number(number)] }
            return [.text(text)]
        case .number(let number):
            return number.isFinite ? [.number(number)] : []
        case .bool, .null:
            return []
        }
    }
}
