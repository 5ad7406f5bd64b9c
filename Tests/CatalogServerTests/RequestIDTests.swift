import Testing

@testable import CatalogServer

@Suite("Request ids")
struct RequestIDTests {
    /// A new id is 32 lowercase hex digits (leading zeros kept), and ids do not repeat.
    @Test func newIdsAre32HexDigits() {
        let ids = (0..<2000).map { _ in RequestID.make() }
        #expect(ids.allSatisfy { $0.utf8.count == 32 && $0.utf8.allSatisfy { ("0"..."9").contains(Character(UnicodeScalar($0))) || ("a"..."f").contains(Character(UnicodeScalar($0))) } })
        #expect(Set(ids).count == ids.count)
        // Each position takes every digit over 2000 ids: no position is stuck (e.g. at a padding zero).
        for position in 0..<32 {
            let digits = Set(ids.map { Array($0.utf8)[position] })
            #expect(digits.count == 16, "position \(position)")
        }
    }
}
