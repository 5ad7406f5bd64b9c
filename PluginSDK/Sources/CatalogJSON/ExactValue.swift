/// A value that equals another only when both would be written the same, byte for byte:
/// texts and names by their bytes, numbers by their bits (`-0.0` is not `0.0`).
struct ExactValue: Hashable {
    let value: JSONValue

    init(_ value: JSONValue) { self.value = value }

    static func == (left: ExactValue, right: ExactValue) -> Bool { same(left.value, right.value) }

    func hash(into hasher: inout Hasher) { Self.feed(value, into: &hasher) }

    private static func same(_ left: JSONValue, _ right: JSONValue) -> Bool {
        switch (left, right) {
        case (.null, .null): true
        case (.bool(let left), .bool(let right)): left == right
        case (.integer(let left), .integer(let right)): left == right
        case (.number(let left), .number(let right)): left.bitPattern == right.bitPattern
        case (.string(let left), .string(let right)): left.hasSameBytes(as: right)
        case (.array(let left), .array(let right)): left.count == right.count && zip(left, right).allSatisfy { same($0, $1) }
        case (.object(let left), .object(let right)):
            left.count == right.count && zip(left, right).allSatisfy { $0.key.hasSameBytes(as: $1.key) && same($0.value, $1.value) }
        default: false
        }
    }

    private static func feed(_ value: JSONValue, into hasher: inout Hasher) {
        switch value {
        case .null: hasher.combine(0)
        case .bool(let bool): hasher.combine(1); hasher.combine(bool)
        case .integer(let integer): hasher.combine(2); hasher.combine(integer)
        case .number(let number): hasher.combine(3); hasher.combine(number.bitPattern)
        case .string(let string): hasher.combine(4); hasher.combine(ExactText(string))
        case .array(let elements):
            hasher.combine(5)
            hasher.combine(elements.count)
            for element in elements { feed(element, into: &hasher) }
        case .object(let members):
            hasher.combine(6)
            hasher.combine(members.count)
            for (name, member) in members {
                hasher.combine(ExactText(name))
                feed(member, into: &hasher)
            }
        }
    }
}
