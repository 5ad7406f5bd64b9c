import CatalogJSON
import Foundation
import NIOCore

/// One message between the server and a plugin worker: a 4-byte big-endian length, then the
/// JSON encoding of this structure.
///
/// - worker → server: `ready` once its plugins are up, then a `response` per call.
/// - server → worker: `request` and `invoke` calls (each with an `id`), and `stop`.
struct WorkerFrame: Codable, Sendable {
    enum Kind: String, Codable, Sendable {
        case ready, request, invoke, response, stop
    }

    var kind: Kind
    var id: UInt64?
    var plugin: String?
    var request: WireRequest?
    var operation: String?
    var input: Data?
    var response: WireResponse?
    /// The id of the HTTP request a call serves (``PendingCalls/requestID``), for the plugin's log lines.
    var requestID: String?
    /// How long the server waits for the call's answer, in milliseconds: the worker gives the
    /// plugin no longer.
    var deadlineMilliseconds: Int64?
    var ready: WorkerReady?
}

/// A ``ForwardedRequest`` on the wire.
struct WireRequest: Codable, Sendable {
    var routeID: UInt32
    var method: String
    var path: String
    var query: String
    var pathParameters: [[String]]
    var queryParameters: [[String]]
    var headers: [[String]]
    var body: Data

    init(_ request: ForwardedRequest) {
        routeID = request.routeID
        method = request.method
        path = request.path
        query = request.query
        pathParameters = request.pathParameters.map { [$0.0, $0.1] }
        queryParameters = request.queryParameters.map { [$0.0, $0.1] }
        headers = request.headers.map { [$0.0, $0.1] }
        body = Data(request.body)
    }

    var forwardedRequest: ForwardedRequest {
        func pairs(_ list: [[String]]) -> [(String, String)] { list.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil } }
        return ForwardedRequest(
            routeID: routeID, method: method, path: path, query: query, pathParameters: pairs(pathParameters),
            queryParameters: pairs(queryParameters), headers: pairs(headers), body: Array(body))
    }
}

/// A ``PluginReply`` on the wire.
struct WireResponse: Codable, Sendable {
    var status: Int
    var contentType: String
    var headers: [[String]]
    var body: Data

    init(_ response: PluginReply) {
        status = response.status
        contentType = response.contentType
        headers = response.headers.map { [$0.name, $0.value] }
        body = response.body.withUnsafeReadableBytes { Data($0) }
    }

    var reply: PluginReply {
        PluginReply(
            status: status, contentType: contentType,
            headers: headers.compactMap { $0.count == 2 ? (name: $0[0], value: $0[1]) : nil }, body: ByteBuffer(bytes: body))
    }
}

/// What a worker reports once its plugins are up.
struct WorkerReady: Codable, Sendable {
    struct Plugin: Codable, Sendable {
        var identity: PluginIdentity
        var routes: [PluginRoute]
        var serving: Bool
        var lastError: String?
        var capabilitiesDocument: JSONValue?
    }

    var plugins: [Plugin]
    var failures: [LoadFailure]
}
