import Foundation
import CatalogJSON
import Hummingbird

/// The endpoints the framework serves itself: plugin listing, capabilities, health, metrics,
/// its OpenAPI document and the console.
struct FrameworkRoutes {
    let host: PluginHost
    let strictReadiness: Bool
    /// How long readiness waits for plugins still loading at start-up before it answers without them.
    let readinessGrace: Duration
    let startedAt = ContinuousClock.now

    func buildResponder() -> RouterResponder<BasicRequestContext> {
        router().buildResponder()
    }

    /// The framework's routes as `METHOD /path` (what the OpenAPI document is checked against).
    var mountedRoutes: [String] { router().routes.map(\.description) }

    private func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        router.get("/api/plugins") { _, _ in listPlugins() }
        router.get("/api/plugins/{name}/capabilities") { _, context in
            try capabilities(of: try context.parameters.require("name"))
        }
        router.get("/metrics") { _, _ in
            await host.entityCounts.update(host)
            if let database = host.stores?.database { host.metrics.stateDatabase(up: database.status == .connected) }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: host.metrics.exposition())))
        }
        router.get("/openapi.yaml") { _, _ in EmbeddedFiles.openAPIDocument.response }
        // The console's page at /console/ (its links are relative to it); /console redirects there.
        router.get("/console") { request, _ in
            guard request.uri.path.hasSuffix("/"), let index = EmbeddedFiles.console["index.html"] else {
                return Response(status: .movedPermanently, headers: [.location: "/console/"])
            }
            return index.response
        }
        router.get("/console/{file}") { _, context in
            let name = try context.parameters.require("file")
            guard let file = EmbeddedFiles.console[name] else { throw APIError.notFound("the console has no file \"\(name)\"") }
            return file.response
        }
        router.get("/healthz") { _, _ in alive() }
        router.get("/livez") { _, _ in alive() }
        router.get("/readyz") { _, _ in readiness() }
        return router
    }

    private func listPlugins() -> Response {
        let plugins = host.registry.all.map(PluginSummary.init)
        return JSONResponse.make(PluginList(
            plugins: plugins, count: plugins.count, failures: host.failures, loading: host.loading, pendingRestart: host.pendingRestart))
    }

    private func capabilities(of name: String) throws -> Response {
        guard let plugin = host.registry.plugin(named: name) else {
            throw APIError.notFound("plugin \"\(name)\" not found")
        }
        guard let document = plugin.currentState.capabilitiesDocument else {
            throw APIError.notFound("plugin \"\(name)\" does not provide a capabilities document")
        }
        return JSONResponse.make(document)
    }

    private func alive() -> Response {
        JSONResponse.make(["status": "alive", "uptime": .string(Self.formatUptime(ContinuousClock.now - startedAt))] as JSONValue)
    }

    /// Ready once the initial load is done, or once the readiness grace has passed with plugins
    /// still loading, which then count as failed. Failed plugins make the server `degraded`
    /// (still 200) unless readiness is strict, where they make it `not_ready` (503).
    private func readiness() -> Response {
        let loading = host.loading
        let initialLoadComplete = host.initialLoadComplete
        let loadingJSON: JSONValue = .array(loading.map(\.json))
        guard initialLoadComplete || ContinuousClock.now - startedAt >= readinessGrace else {
            let body: JSONValue = [
                "status": "not_ready",
                "components": [
                    "initial_load": ["status": "in_progress", "loading": loadingJSON],
                    "plugins": ["status": "unknown", "details": "plugins are still loading"],
                ],
            ]
            return JSONResponse.make(body, status: .serviceUnavailable)
        }
        let plugins = host.registry.all
        let unhealthy = plugins.filter { !$0.isHealthy }.map(\.name)
        let failures = host.failures
        let configurationError = host.configurationError
        // Files still loading count only at start-up: a file a reconcile finds later, or one probed
        // again in the background, does not take a ready server out of service.
        let holdouts = initialLoadComplete ? [] : loading
        let (database, databaseDown) = databaseComponent()
        // Without the managed layer at all, the server would serve something else than its peers.
        let withoutState = host.stores?.database.map { !$0.hasState } ?? false
        let degraded = !unhealthy.isEmpty || !failures.isEmpty || configurationError != nil || !holdouts.isEmpty || databaseDown
        var details = "all \(plugins.count) plugins healthy"
        if degraded {
            let failedFiles = Set(failures.filter { $0.plugin == nil }.map(\.file)).count
            details = "\(plugins.count - unhealthy.count) of \(plugins.count) plugins healthy"
                + (unhealthy.isEmpty ? "" : "; unhealthy: \(unhealthy.joined(separator: ", "))")
                + (failedFiles == 0 ? "" : "; \(failedFiles) plugin file(s) failed to load")
                + (holdouts.isEmpty ? "" : "; still loading: " + holdouts.map { "\($0.file) (\($0.stage.rawValue))" }.joined(separator: ", "))
                + (databaseDown ? "; the state database is unavailable" + (withoutState ? " and nothing of it was ever read" : "") : "")
        }
        let notReady = withoutState || (degraded && strictReadiness)
        let status: String = notReady ? "not_ready" : (degraded ? "degraded" : "ready")
        let pluginComponent: JSONValue = [
            "status": .string(degraded ? "degraded" : "healthy"),
            "details": .string(details),
            "loading": loadingJSON,
            "failures": .array(failures.map { failure in
                [
                    "file": .string(failure.file), "stage": .string(failure.stage.rawValue),
                    "reason": .string(failure.reason), "plugin": failure.plugin.map(JSONValue.string) ?? .null,
                ]
            }),
        ]
        let body: JSONValue = [
            "status": .string(status),
            "components": [
                "initial_load": initialLoadComplete ? ["status": "complete"] : ["status": "in_progress", "loading": loadingJSON],
                "plugins": pluginComponent,
                "database": database,
                "configuration": configurationError.map { error in
                    ["status": "stale", "details": .string("the last reload failed, serving the last good configuration: \(error)")]
                } ?? ["status": "current"],
            ],
        ]
        return JSONResponse.make(body, status: notReady ? .serviceUnavailable : .ok)
    }

    /// The state database's part of readiness, and whether it is out of reach: `not_configured`
    /// with file stores; `connected` naming the database (password hidden); `unavailable` with
    /// the reason and since when.
    private func databaseComponent() -> (JSONValue, down: Bool) {
        guard let database = host.stores?.database else { return (["status": "not_configured"], false) }
        switch database.status {
        case .connected:
            return (["status": "connected", "details": .string("\(database.url)")], false)
        case .unavailable(let reason, let since):
            return (["status": "unavailable", "details": .string(reason), "since": .string(ISO8601DateFormatter().string(from: since))], true)
        }
    }

    /// Formats a duration the way Go prints one truncated to seconds: `45s`, `1m5s`, `2h0m3s`.
    static func formatUptime(_ duration: Duration) -> String {
        let seconds = max(0, duration.components.seconds)
        let (hours, minutes, rest) = (seconds / 3600, (seconds % 3600) / 60, seconds % 60)
        if hours > 0 { return "\(hours)h\(minutes)m\(rest)s" }
        if minutes > 0 { return "\(minutes)m\(rest)s" }
        return "\(rest)s"
    }
}
