import CCatalogPlugin
import CatalogJSON
import Foundation
import HTTPTypes
import Hummingbird

/// The routes under `{basePath}/management/` for one plugin: each ``ManagementFeature`` the
/// plugin supports through the capabilities it offers over the ABI (see docs/management.md).
struct ManagementRoutes {
    /// Largest management request body.
    static let maximumBodySize = 1024 * 1024

    let plugin: HostedPlugin
    let host: PluginHost

    var prefix: String { plugin.basePath + "/management" }
    func add(to router: Router<BasicRequestContext>) {
        for feature in ManagementFeature.allCases where plugin.identity.supports(feature) {
            feature.mount(self, on: router)
        }
        // Rollback and the source action share one path: `POST /sources/{id}:verb`.
        let (managesSources, refreshes) = (plugin.identity.supports(.sources), plugin.identity.supports(.refresh))
        if managesSources || refreshes {
            router.post(RouterPath(prefix + "/sources/{id}")) { request, context in
                let target = try Self.pathParameter("id", context)
                switch Self.splitVerb(target) {
                case let (id, "rollback")? where managesSources: return try await rollback(id, request)
                case let (id, "action")? where refreshes: return try await sourceAction(id, request)
                default: throw APIError.notFound("no route for POST \(request.uri.path)")
                }
            }
        }
    }

    // MARK: Helpers shared by the route groups

    /// The request body as a JSON object; 400 when it is missing, too large or not an object.
    static func jsonBody(_ request: Request) async throws -> [String: JSONValue] {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maximumBodySize)
        } catch {
            throw APIError(status: .contentTooLarge, message: "request body exceeds \(maximumBodySize) bytes")
        }
        guard buffer.readableBytes > 0 else { throw APIError.badRequest("a JSON object body is required") }
        let value: JSONValue
        do {
            value = try JSONCoding.decode(Array(buffer: buffer))
        } catch let error as JSONNestingError {
            throw APIError.badRequest("the body is not accepted: \(error)")
        } catch {
            throw APIError.badRequest("the body is not a JSON object")
        }
        guard let object = value.objectValue else { throw APIError.badRequest("the body is not a JSON object") }
        return object.dictionary
    }

    /// A path parameter, percent-decoded as a plugin's path parameters are; 400 for a malformed
    /// escape.
    static func pathParameter(_ name: String, _ context: BasicRequestContext) throws -> String {
        try PathParameter.decoded(try context.parameters.require(name), name: name)
    }

    /// An action's `dryRun`: absent is `false`; anything but a Boolean is a 400.
    static func dryRun(_ body: [String: JSONValue]) throws -> Bool {
        guard let value = body["dryRun"] else { return false }
        guard let dryRun = value.boolValue else { throw APIError.badRequest("dryRun must be true or false") }
        return dryRun
    }

    /// The version an `If-Match` header names, without quotes; `nil` when absent or `*`.
    static func expectedVersion(_ request: Request) -> String? {
        guard var value = request.headers[.ifMatch]?.trimmingCharacters(in: .whitespaces), value != "*" else { return nil }
        if value.hasPrefix("W/") { value.removeFirst(2) }
        return value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    /// `"name:verb"` split at its last colon.
    static func splitVerb(_ target: String) -> (String, String)? {
        guard let colon = target.lastIndex(of: ":") else { return nil }
        return (String(target[..<colon]), String(target[target.index(after: colon)...]))
    }

    /// A JSON response, with an `ETag` naming the configuration version when there is one.
    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok, version: String? = nil) -> Response {
        JSONResponse.make(value, status: status, headers: version.map { [.eTag: "\"\($0)\""] } ?? [:])
    }

    /// The one mapping of a store's failure to an HTTP error: a change based on an older
    /// version is a 409 naming the current one, an unreachable database a 503 that says so,
    /// anything else a 500 with its reason. An ``APIError`` (a refused parameter) passes as it is.
    static func storeFailure(_ error: any Error, store: String) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case StoreError.staleVersion(_, let current):
            return APIError(status: .conflict, message: "\(error)", details: ["currentVersion": .string(current)])
        case StoreError.unavailable:
            return APIError(
                status: .serviceUnavailable, message: "\(error); the change was not stored, unless the connection broke while committing it: re-read, then retry",
                headers: [.retryAfter: "5"])
        default:
            return APIError(status: .internalServerError, message: "\(store) store: \(error)")
        }
    }

    /// The outcome label of `catalog_store_writes_total` for a write that failed with `failure`.
    static func storeOutcome(_ failure: APIError) -> String {
        switch failure.status {
        case .conflict: "conflict"
        case .serviceUnavailable: "unavailable"
        default: "error"
        }
    }

    /// The stores, or 400 when the server runs without a state directory.
    func requireStores() throws -> StateStores {
        guard let stores = host.stores else {
            throw APIError.badRequest("this server runs without a state directory (--state-dir), so it cannot store changes")
        }
        return stores
    }
}
