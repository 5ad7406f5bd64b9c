#if canImport(Glibc)
import Glibc
#endif

// Equality by bytes, for sharing storage. `String` compares by Unicode canonical equivalence,
// so a composed `é` would stand in for a decomposed one: sharing a text, a name or a value
// must never change a document's bytes.

extension String {
    /// Whether both texts are the same bytes (not merely canonically equivalent).
    ///
    /// - Parameter other: Another text.
    func hasSameBytes(as other: String) -> Bool {
        let count = utf8.count
        guard count == other.utf8.count else { return false }
        guard count > 0 else { return true }
        var left = self, right = other
        return left.withUTF8 { left in right.withUTF8 { right in memcmp(left.baseAddress!, right.baseAddress!, count) == 0 } }
    }
}

/// A text that equals another only byte for byte. `String` compares by Unicode canonical
/// equivalence, so a composed `é` would stand in for a decomposed one: sharing storage or a
/// typed value must never change a document's bytes.
struct ExactText: Hashable {
    let text: String

    init(_ text: String) { self.text = text }

    static func == (left: ExactText, right: ExactText) -> Bool { left.text.hasSameBytes(as: right.text) }

    func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

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
