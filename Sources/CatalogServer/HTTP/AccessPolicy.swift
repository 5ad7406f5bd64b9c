import Foundation
import HTTPTypes

/// Who may do what: management writes, and reads when the operator protects them.
///
/// - With tokens (`--auth-tokens`): a management write (any method but GET and HEAD under
///   `{basePath}/management/`) needs an `admin` token, sent as `Authorization: Bearer TOKEN`:
///   401 without a valid token, 403 with a `read` one. With `protectReads` every other request
///   needs a token of either role, except the health endpoints `/healthz`, `/livez`, `/readyz`,
///   the OpenAPI document and the console's files.
/// - Without tokens, on a loopback address: everything is allowed (a development server), but
///   for management writes that a web page could have sent: one with an `Origin` other than the
///   server itself, or a `Host` that is not a loopback name (DNS rebinding) answers 403.
/// - Without tokens, on any other address: management writes answer 403 saying how to enable
///   them, unless `allowUnauthenticatedManagement` (the operator runs an authenticating proxy).
public struct AccessPolicy: Sendable {
    /// What the policy looks at in a request.
    struct Subject {
        var path: String
        /// A management write: any method but GET and HEAD under a plugin's `/management`.
        var isWrite: Bool
        var authorization: String?
        var origin: String?
        var host: String?
    }

    public var tokens: AccessTokens?
    public var protectReads: Bool
    public var allowUnauthenticatedManagement: Bool

    public init(tokens: AccessTokens? = nil, protectReads: Bool = false, allowUnauthenticatedManagement: Bool = false) {
        self.tokens = tokens
        self.protectReads = protectReads
        self.allowUnauthenticatedManagement = allowUnauthenticatedManagement
    }

    /// Endpoints a Kubernetes probe calls without credentials.
    static let healthPaths: Set<String> = ["/healthz", "/livez", "/readyz"]

    /// What stays open with `protectReads`: the health endpoints, and files that hold no data —
    /// the OpenAPI document and the console's page and scripts (whose calls need a token).
    static func isOpen(_ path: String) -> Bool {
        healthPaths.contains(path) || path == "/openapi.yaml" || path == "/console" || path.hasPrefix("/console/")
    }

    /// The error to answer instead of serving a request, or `nil` when it may go on.
    ///
    /// - Parameters:
    ///   - request: What the policy looks at.
    ///   - loopback: Whether the server listens on a loopback address only.
    func refusal(for request: Subject, loopback: Bool) -> APIError? {
        let (path, isWrite) = (request.path, request.isWrite)
        guard let tokens else {
            guard isWrite, !allowUnauthenticatedManagement else { return nil }
            if loopback { return Self.crossSiteRefusal(request) }
            return APIError(
                status: .forbidden,
                message: "management writes are disabled: the server listens on a non-loopback address without --auth-tokens; "
                    + "give it a tokens file, or --allow-unauthenticated-management when a proxy authenticates")
        }
        guard isWrite || (protectReads && !Self.isOpen(path)) else { return nil }
        guard let token = Self.bearerToken(request.authorization), let role = tokens.role(of: token) else {
            var error = APIError(status: .unauthorized, message: "this request needs a bearer token (Authorization: Bearer TOKEN)")
            error.headers[.wwwAuthenticate] = "Bearer realm=\"catalog-server\""
            return error
        }
        if isWrite && role != .admin {
            return APIError(status: .forbidden, message: "management writes need a token with the admin role")
        }
        return nil
    }

    /// A write a browser may have sent on a web page's behalf to a server on this machine.
    private static func crossSiteRefusal(_ request: Subject) -> APIError? {
        let host = request.host.map(hostName) ?? "localhost"
        guard host == "localhost" || host == "::1" || host.hasPrefix("127.") else {
            return APIError(status: .forbidden, message: "management writes on a loopback server need a loopback Host, not \"\(host)\"")
        }
        if let origin = request.origin, origin != "null",
            URL(string: origin).map({ "\($0.host ?? "")\($0.port.map { ":\($0)" } ?? "")" }) != request.host.map({ $0.lowercased() })
        {
            return APIError(status: .forbidden, message: "cross-origin management writes are refused (Origin \(origin))")
        }
        return nil
    }

    /// The name in a `Host` header, without port or IPv6 brackets, in lower case.
    private static func hostName(_ host: String) -> String {
        var name = host.lowercased()
        if name.hasPrefix("["), let end = name.firstIndex(of: "]") { return String(name[name.index(after: name.startIndex)..<end]) }
        if let colon = name.lastIndex(of: ":") { name = String(name[..<colon]) }
        return name
    }

    private static func bearerToken(_ authorization: String?) -> String? {
        guard let value = authorization else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}
