import CatalogJSON
import Foundation
import CatalogPluginSDK
import Synchronization

/// A plugin running in the test's own process, reached as the host would reach it: brought
/// up with a configuration section, sent requests to its routes and calls to its capability
/// operations, and stopped — with no `.so`, no `dlopen` and no server.
///
/// Requests are matched against the routes the plugin declares the way the host matches them
/// (literal segments, `{name}` for one segment, a last `{name...}` for the rest of the path;
/// path and query parameters percent-decoded, `+` in a query as a space), and a thrown
/// `PluginError` answers with its status as through the ABI.
///
/// ```swift
/// import CatalogPluginSDKTesting
/// import Testing
///
/// @Test func listsTheConfiguredSource() async throws {
///     let tester = try await PluginTester(MyCatalog(), configuration: [
///         "sources": [["id": "local", "name": "Local", "type": "yaml", "properties": ["yamlCatalogPath": .string(fixtures + "/things.yaml")]]],
///     ])
///     let page = try await tester.request("/things?pageSize=10")
///     #expect(page.status == 200)
///     #expect(try page.json()["size"] == 3)
///     await tester.stop()
/// }
/// ```
public final class PluginTester: Sendable {
    /// The plugin under test.
    public let plugin: any CatalogPlugin
    /// The capability ids it offers over the ABI, as its descriptor would list them.
    public var capabilities: [String] { operations.capabilities }
    /// The lines it logged, oldest first.
    public var logs: [(level: PluginLogger.Level, message: String)] { logBook.lines.withLock { $0 } }

    private let routes: [Routes.Route]
    private let operations: CapabilityOperations
    private let logBook = LogBook()

    /// Where the plugin's logger writes.
    private final class LogBook: Sendable {
        let lines = Mutex<[(level: PluginLogger.Level, message: String)]>([])
    }

    /// Brings `plugin` up as the host does: `initialize` with a context built from
    /// `configuration`, `registerRoutes`, then `start`.
    ///
    /// - Parameters:
    ///   - plugin: The plugin to test.
    ///   - configuration: Its section of `sources.yaml` (`sources`, `labels`, `namedQueries`,
    ///     `settings`), as JSON.
    ///   - basePath: The base path the context announces.
    ///   - configPaths: The configuration files the section came from, as the context reports
    ///     them. (The host makes relative data paths absolute before `init`; give a test's
    ///     sources absolute paths.)
    /// - Throws: What `initialize` or `start` throws, or a decoding error for a section that
    ///   is not a catalog section.
    public init(
        _ plugin: any CatalogPlugin, configuration: JSONValue = [:], basePath: String = "/api/test_catalog/v1",
        configPaths: [String] = []
    ) async throws {
        self.plugin = plugin
        self.operations = CapabilityOperations(plugin)
        let section = try JSONCoding.decode(CatalogConfiguration.self, from: try JSONCoding.encode(configuration))
        let book = logBook
        let logger = PluginLogger { level, message in book.lines.withLock { $0.append((level, message)) } }
        try await plugin.initialize(PluginContext(configuration: section, basePath: basePath, configPaths: configPaths, logger: logger))
        var declared = Routes()
        plugin.registerRoutes(&declared)
        self.routes = declared.routes
        try await plugin.start()
    }

    /// Sends a request to the plugin's routes.
    ///
    /// - Parameters:
    ///   - target: The path relative to the base path, with an optional query:
    ///     `/things/a%2Fb?pageSize=10`.
    ///   - method: The HTTP method.
    ///   - headers: Request headers; names are lower-cased as the host does.
    ///   - body: The request body.
    /// - Returns: The plugin's response; 404 when no route matches, 400 for a malformed
    ///   percent-encoding, as the host answers.
    public func request(
        _ target: String, method: String = "GET", headers: [String: String] = [:], body: [UInt8] = []
    ) async -> PluginResponse {
        let (path, query) = target.firstIndex(of: "?").map { (String(target[..<$0]), String(target[target.index(after: $0)...])) }
            ?? (target, "")
        guard let queryItems = Self.queryItems(query) else { return .error(400, "the query has a malformed percent-encoding") }
        // Of the routes that match, the most specific wins, as in the host's router: segment by
        // segment, a literal before `{name}`, `{name}` before `{name...}`.
        let matches = routes.filter { $0.method == method.uppercased() }.compactMap { route in
            Self.match(path, pattern: route.pattern).map { (route: route, parameters: $0) }
        }
        if let (route, parameters) = matches.max(by: { Self.specificity($0.route.pattern).lexicographicallyPrecedes(Self.specificity($1.route.pattern)) }) {
            guard let decoded = Self.decoded(parameters) else { return .error(400, "a path parameter has a malformed percent-encoding") }
            let request = PluginRequest(
                method: method.uppercased(), path: path, pathParameters: decoded, queryItems: queryItems,
                headers: Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, second in "\(first), \(second)" }),
                body: body)
            return await PluginResponse.answering { try await route.handler(request) }
        }
        return .error(404, "no route for \(method.uppercased()) \(path)")
    }

    /// Calls one of the plugin's capability operations, e.g. `sources.list` or `assets.get`
    /// (the names are in `catalog_plugin.h`).
    ///
    /// - Parameters:
    ///   - name: The operation.
    ///   - input: Its input.
    /// - Returns: The operation's response; 404 for an operation the plugin does not offer.
    public func operation(_ name: String, _ input: JSONValue = [:]) async -> PluginResponse {
        let bytes = (try? JSONCoding.encode(input)).map(Array.init) ?? []
        return await operations.run(name, input: bytes, plugin: plugin.name)
    }

    /// Stops the plugin, as the host does at shutdown.
    public func stop() async {
        await plugin.stop()
    }

    // MARK: Matching as the host does

    /// The raw (still percent-encoded) parameters of `path` under `pattern`, or `nil` when it
    /// does not match.
    static func match(_ path: String, pattern: String) -> [String: String]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: true)
        var parameters: [String: String] = [:]
        for (index, part) in parts.enumerated() {
            if part.hasPrefix("{") && part.hasSuffix("...}") && index == parts.count - 1 {
                guard segments.count > index else { return nil }
                parameters[String(part.dropFirst().dropLast(4))] = segments[index...].joined(separator: "/")
                return parameters
            }
            guard index < segments.count else { return nil }
            if part.hasPrefix("{") && part.hasSuffix("}") {
                parameters[String(part.dropFirst().dropLast())] = String(segments[index])
            } else if part != segments[index] {
                return nil
            }
        }
        return segments.count == parts.count ? parameters : nil
    }

    /// How specific each segment of `pattern` is: 2 a literal, 1 `{name}`, 0 `{name...}`.
    static func specificity(_ pattern: String) -> [Int] {
        pattern.split(separator: "/").map { part in
            part.hasPrefix("{") ? (part.hasSuffix("...}") ? 0 : 1) : 2
        }
    }

    private static func decoded(_ parameters: [String: String]) -> [String: String]? {
        var decoded: [String: String] = [:]
        for (name, value) in parameters {
            guard let value = value.removingPercentEncoding else { return nil }
            decoded[name] = value
        }
        return decoded
    }

    private static func queryItems(_ query: String) -> [(name: String, value: String)]? {
        var items: [(name: String, value: String)] = []
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = parts[0].replacingOccurrences(of: "+", with: " ").removingPercentEncoding,
                let value = (parts.count > 1 ? String(parts[1]) : "").replacingOccurrences(of: "+", with: " ").removingPercentEncoding
            else { return nil }
            items.append((name, value))
        }
        return items
    }
}

extension PluginResponse {
    /// The body as JSON.
    ///
    /// - Returns: The decoded body.
    /// - Throws: A decoding error when the body is not JSON.
    public func json() throws -> JSONValue {
        try JSONCoding.decode(body)
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}
