import CCatalogPlugin
import Foundation
import Testing

@testable import CatalogServer

/// The C copies a plugin borrows are exact, NUL-terminated and aligned, whether they fit the
/// reserved block or not.
@Suite("C string storage")
struct CStringStorageTests {
    private func read(_ pointer: UnsafePointer<CChar>?) -> String? { String(pluginString: pointer) }

    @Test(arguments: [0, 1, 64, 100_000])
    func copiesAreExactWhateverIsReserved(reserved: Int) {
        let strings = ["", "GET", "/api/x/é/%2F", String(repeating: "long ", count: 200)]
        let pairs = [("host", "example"), ("", ""), ("x-ü", String(repeating: "v", count: 300))]
        let storage = CStringStorage(reserving: reserved)
        let copies = strings.map { storage.string($0) }
        let array = storage.pairs(pairs)
        let list = storage.stringArray(strings)
        #expect(copies.map(read) == strings)
        #expect(Int(bitPattern: array) % MemoryLayout<catalog_pair>.alignment == 0)
        #expect(Int(bitPattern: list) % MemoryLayout<UnsafePointer<CChar>?>.alignment == 0)
        #expect((0..<pairs.count).map { "\(read(array?[$0].key) ?? "-")=\(read(array?[$0].value) ?? "-")" }
            == pairs.map { "\($0.0)=\($0.1)" })
        #expect((0..<strings.count).map { read(list?[$0]) } == strings)
        #expect(storage.pairs([(String, String)]()) == nil && storage.stringArray([]) == nil)
    }

    @Test func aRequestsCopiesFitOneBlock() {
        let request = ForwardedRequest(
            routeID: 1, method: "GET", path: "/api/a_catalog/items/é", query: "a=b",
            pathParameters: [("name", "é")], queryParameters: [("a", "b"), ("c", "")],
            headers: [("host", "h"), ("x-request-id", "1")], body: [])
        // The copies `withCRequest` makes, in the block it reserves: the query parameters'
        // strings leave the header pairs at an odd offset, which the reservation allows for.
        let storage = CStringStorage(reserving: request.cBytes)
        _ = request.cRequest(in: storage)
        #expect(storage.blockCount == 1)
        // What is left is at most the alignment slack.
        _ = storage.string(String(repeating: "x", count: 3 * MemoryLayout<catalog_pair>.alignment))
        #expect(storage.blockCount == 2)
        request.withCRequest { pointer in
            let request = pointer.pointee
            #expect(read(request.method) == "GET" && read(request.path) == "/api/a_catalog/items/é" && read(request.query) == "a=b")
            #expect(read(request.headers[1].value) == "1" && read(request.path_params[0].value) == "é")
            #expect(request.query_param_count == 2 && read(request.query_params[1].key) == "c")
        }
    }

    @Test func aStringWithANulReadsUpToIt() {
        let storage = CStringStorage()
        #expect(read(storage.string("a\u{0}b")) == "a")
    }
}
