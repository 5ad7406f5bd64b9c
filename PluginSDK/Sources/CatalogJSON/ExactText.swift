import Foundation

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
        // The length first: names hashed one after another must not run together ("a", "bc" vs "ab", "c").
        text.withUTF8 { bytes in
            hasher.combine(bytes.count)
            hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
        }
    }
}
