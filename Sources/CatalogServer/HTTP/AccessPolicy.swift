import Foundation
import HTTPTypes

/// Who may do what: management writes, and reads when the operator protects them.
///
/// - With tokens (`--auth-tokens`): a management write (any method but GET and HEAD under
///   `{basePath}/management/`) needs an `admin` token, sent as `Authorization: Bearer TOKEN`:
///   401 without a valid token, 403 with a `read` one. With `protectReads` every other request
///   needs a token of either role, except the health endpoints `/healthz`, `/livez`, `/readyz`.
/// - Without tokens, on a loopback address: everything is allowed (a development server).
/// - Without tokens, on any other address: management writes answer 403 saying how to enable
///   them, unless `allowUnauthenticatedManagement` (the operator runs an authenticating proxy).
public struct AccessPolicy: Sendable {
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

    /// The error to answer instead of serving a request, or `nil` when it may go on.
    ///
    /// - Parameters:
    ///   - path: The request's path.
    ///   - isWrite: Whether it is a management write.
    ///   - authorization: Its `Authorization` header.
    ///   - loopback: Whether the server listens on a loopback address only.
    func refusal(path: String, isWrite: Bool, authorization: String?, loopback: Bool) -> APIError? {
        guard let tokens else {
            guard isWrite, !loopback, !allowUnauthenticatedManagement else { return nil }
            return APIError(
                status: .forbidden,
                message: "management writes are disabled: the server listens on a non-loopback address without --auth-tokens; "
                    + "give it a tokens file, or --allow-unauthenticated-management when a proxy authenticates")
        }
        guard isWrite || (protectReads && !Self.healthPaths.contains(path)) else { return nil }
        guard let token = Self.bearerToken(authorization), let role = tokens.role(of: token) else {
            var error = APIError(status: .unauthorized, message: "this request needs a bearer token (Authorization: Bearer TOKEN)")
            error.headers[.wwwAuthenticate] = "Bearer realm=\"catalog-server\""
            return error
        }
        if isWrite && role != .admin {
            return APIError(status: .forbidden, message: "management writes need a token with the admin role")
        }
        return nil
    }

    private static func bearerToken(_ authorization: String?) -> String? {
        guard let value = authorization else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
    }
}
