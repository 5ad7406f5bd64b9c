/// The positions of a snapshot's entities by the values at one field, for a filter's `=` and
/// `IN`: a filter that matches few entities reads those, not the whole catalog.
///
/// An index only narrows: ``mark(_:in:)`` marks every entity with a value that may equal one
/// of the literals — a superset of the entities the condition holds for — and the filter is
/// still evaluated on each. Values are read as the filter reads them
/// (``FieldValues/contains(at:in:where:)``) and keyed as its equality compares them: a string
/// by its text and, when it spells a finite number, by that number; a number by its value; a
/// Boolean by its text (`true`, `false`).
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
    ///   - entities: A snapshot's entities.
    ///   - paths: The paths of one field.
    init(entities: [JSONValue], paths: [[String]]) {
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

    /// Marks in `marks` (by position) every entity with a value that may equal one of `literals`.
    ///
    /// - Parameters:
    ///   - literals: String or number literals (``FilterQuery/IndexedCondition``).
    ///   - marks: One flag per entity of the snapshot.
    func mark(_ literals: [FilterLiteral], in marks: inout [Bool]) {
        for literal in literals {
            for key in Self.keys(of: literal) {
                guard let slot = slots[key].map(Int.init) else { continue }
                for index in Int(starts[slot])..<Int(starts[slot + 1]) { marks[Int(positions[index])] = true }
            }
        }
    }

    /// The keys a value is found by.
    private static func keys(of value: JSONValue, _ body: (Key) -> Void) {
        switch value {
        case .string(let text):
            body(.text(text))
            if let number = Double(text), number.isFinite { body(.number(number)) }
        case .integer(let integer):
            body(.number(Double(integer)))
        case .number(let number):
            if number.isFinite { body(.number(number)) }
        case .bool(let bool):
            body(.text(String(bool)))
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
