import ArgumentParser
import CatalogServer
import Foundation

/// What the server lets clients do and how much of it: tokens, file roots and limits.
struct ExposureOptions: ParsableArguments {
    @Option(
        name: .customLong("auth-tokens"),
        help: ArgumentHelp(
            "File of \"TOKEN ROLE\" lines (role read or admin); management writes then need an admin bearer token. (env: CATALOG_AUTH_TOKENS)",
            valueName: "file"))
    var authTokens: String?

    @Flag(help: "With --auth-tokens: every request but /healthz, /livez and /readyz needs a token of either role.")
    var protectReads = false

    @Flag(help: "Allow management writes without tokens on a non-loopback address (only behind a proxy that authenticates).")
    var allowUnauthenticatedManagement = false

    @Option(
        name: .customLong("data-root"),
        help: ArgumentHelp(
            "A directory where files named through the management API may lie, beside the directories of the configuration files and the state directory; repeat for more.",
            valueName: "dir"))
    var dataRoots: [String] = []

    @Option(help: ArgumentHelp("Seconds a new connection has to send a complete request head.", valueName: "seconds"))
    var requestHeadTimeout: Double = 10

    @Option(help: ArgumentHelp("Seconds an idle keep-alive connection, or a stalled request body, is kept.", valueName: "seconds"))
    var idleTimeout: Double = 60

    @Option(help: ArgumentHelp("Open client connections at most; more wait to be accepted. (default: 4096, less when the open-file limit is lower)", valueName: "count"))
    var maxConnections: Int?

    @Option(help: ArgumentHelp("Largest response body a plugin may give, in bytes; larger answers become 502.", valueName: "bytes"))
    var maxResponseBytes: Int = 32 * 1024 * 1024

    func validate() throws {
        guard requestHeadTimeout > 0, idleTimeout > 0 else { throw ValidationError("--request-head-timeout and --idle-timeout must be positive") }
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        guard maxResponseBytes >= 1024 else { throw ValidationError("--max-response-bytes must be at least 1024") }
        if allowUnauthenticatedManagement && authTokens != nil {
            throw ValidationError("--allow-unauthenticated-management and --auth-tokens exclude each other")
        }
    }

    /// The access policy, with the tokens file read.
    func accessPolicy(environment: [String: String]) throws -> AccessPolicy {
        let path = authTokens ?? environment["CATALOG_AUTH_TOKENS"].flatMap { $0.isEmpty ? nil : $0 }
        let tokens = try path.map { path in
            do {
                return try AccessTokens(path: path)
            } catch {
                throw ValidationError("cannot use the tokens file: \(error)")
            }
        }
        if protectReads && tokens == nil { throw ValidationError("--protect-reads needs --auth-tokens") }
        return AccessPolicy(tokens: tokens, protectReads: protectReads, allowUnauthenticatedManagement: allowUnauthenticatedManagement)
    }

    var connectionLimits: ConnectionLimits {
        ConnectionLimits(
            requestHeadTimeout: .milliseconds(Int64(requestHeadTimeout * 1000)), idleTimeout: .milliseconds(Int64(idleTimeout * 1000)),
            maximumConnections: maxConnections ?? ConnectionLimits.defaultMaximumConnections)
    }
}
