import CCatalogPlugin
import CatalogJSON
import Hummingbird

/// Refresh, rate-limited per source by the host.
extension ManagementRoutes {
    func addRefreshRoutes(to router: Router<BasicRequestContext>) {
        router.post(RouterPath(prefix + "/refresh")) { _, _ in try await refresh(nil) }
        router.post(RouterPath(prefix + "/refresh/{id}")) { _, context in try await refresh(try Self.pathParameter("id", context)) }
        router.get(RouterPath(prefix + "/actions/source")) { _, _ in
            Self.json(["actions": [BuiltinAction.refreshDefinition], "count": 1])
        }
    }

    /// `POST /sources/{id}:action`: the one source action, `refresh`.
    func sourceAction(_ id: String, _ request: Request) async throws -> Response {
        let body = try await Self.jsonBody(request)
        guard body["action"]?.stringValue == "refresh" else {
            throw APIError.badRequest("action \"\(body["action"]?.stringValue ?? "")\" is not declared for sources of plugin \"\(plugin.name)\"; declared: refresh")
        }
        if try Self.dryRun(body) {
            _ = try requireKnownSource(id)
            return Self.json(["action": "refresh", "status": "dry-run", "message": .string("would reload source \"\(id)\""), "data": [:]])
        }
        let result = try await refreshResult(id)
        return Self.json(
            ["action": "refresh", "status": result["error"] == nil ? "completed" : "error",
             "message": .string(result["error"]?.stringValue ?? "reloaded source \"\(id)\""), "data": result],
            status: result["error"] == nil ? .ok : .internalServerError)
    }

    /// `POST /refresh[/{id}]`: 200 with the RefreshResult, 500 when the refresh failed.
    func refresh(_ id: String?) async throws -> Response {
        let result = try await refreshResult(id)
        return Self.json(result, status: result["error"] == nil ? .ok : .internalServerError)
    }

    /// Refreshes one source or all; 429 with `Retry-After` within the window of the last
    /// refresh of the same target.
    private func refreshResult(_ id: String?) async throws -> JSONValue {
        let target = "\(plugin.name)/\(id ?? "*")"
        if let wait = await host.refreshWindow.admit(target) {
            let seconds = max(1, Int((Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18).rounded(.up)))
            throw APIError(
                status: .tooManyRequests,
                message: "\(id.map { "source \"\($0)\"" } ?? "plugin \"\(plugin.name)\"") was refreshed less than \(LocalRefreshWindow.window) ago; retry in \(seconds)s",
                details: ["retryAfter": .integer(Int64(seconds))], headers: [.retryAfter: "\(seconds)"])
        }
        let result: JSONValue
        do {
            result = try await plugin.operation(CATALOG_OPERATION_REFRESH_RUN, id.map { ["sourceId": .string($0)] } ?? [:])
        } catch {
            await host.refreshWindow.forget(target)
            throw error
        }
        if let database = host.stores?.database {
            Task { [name = plugin.name] in await database.announce(.refresh(plugin: name, source: id)) }  // the answer does not wait for it
        }
        return result
    }
}
