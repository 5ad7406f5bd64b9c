import CCatalogPlugin
import CatalogJSON
import Foundation
import Hummingbird

/// Source management: the host stores every change in its ``ConfigStore`` and hands the plugin
/// its new section through `config.apply`; the plugin lists and validates.
extension ManagementRoutes {
    func addSourceRoutes(to router: Router<BasicRequestContext>) {
        router.get(RouterPath(prefix + "/sources")) { _, _ in
            var body = try await plugin.operation(CATALOG_OPERATION_SOURCES_LIST).objectValue ?? [:]
            body["count"] = .integer(Int64(body["sources"]?.arrayValue?.count ?? 0))
            var version: String?
            if let stores = host.stores { version = try await currentVersion(stores) }
            if let version { body["version"] = .string(version) }
            return Self.json(.object(body), version: version)
        }
        router.post(RouterPath(prefix + "/validate-source")) { request, _ in
            let problems = try await problems(with: .object(try await Self.jsonBody(request))).problems
            return Self.json(["valid": .bool(problems.isEmpty), "errors": .array(problems)])
        }
        router.post(RouterPath(prefix + "/apply-source")) { request, _ in
            let stores = try requireStores()
            let (input, problems) = try await problems(with: .object(try await Self.jsonBody(request)))
            guard let input, problems.isEmpty else {
                throw APIError(status: .unprocessableContent, message: "the source is invalid", details: ["errors": .array(problems)])
            }
            let revision = try await change(stores, request) { ManagedSources.set(input.entry, id: input.id, section: plugin.configKey, in: &$0) }
            try await host.applyStoredConfiguration()
            var info = try await sourceInfo(input.id)?.objectValue ?? [:]
            if input.refreshAfterApply && plugin.identity.supports(.refresh) {
                info["refreshResult"] = try await plugin.operation(CATALOG_OPERATION_REFRESH_RUN, ["sourceId": .string(input.id)])
            }
            return Self.json(.object(info), version: revision.version)
        }
        router.post(RouterPath(prefix + "/sources/{id}/enable")) { request, context in
            let stores = try requireStores()
            let id = try requireKnownSource(context)
            guard let enabled = try await Self.jsonBody(request)["enabled"]?.boolValue else {
                throw APIError.badRequest("the body must be {\"enabled\": true} or {\"enabled\": false}")
            }
            let revision = try await change(stores, request) { document in
                var entry = ManagedSources.entry(id, section: plugin.configKey, in: document)?.objectValue ?? ["id": .string(id)]
                entry["enabled"] = .bool(enabled)
                ManagedSources.set(.object(entry), id: id, section: plugin.configKey, in: &document)
            }
            try await host.applyStoredConfiguration()
            return Self.json(try await sourceInfo(id) ?? .null, version: revision.version)
        }
        router.delete(RouterPath(prefix + "/sources/{id}")) { request, context in
            let stores = try requireStores()
            let id = try requireKnownSource(context)
            let revision = try await change(stores, request) {
                ManagedSources.set(["id": .string(id), "deleted": true], id: id, section: plugin.configKey, in: &$0)
            }
            try await host.applyStoredConfiguration()
            return Self.json(["status": "deleted", "version": .string(revision.version)], version: revision.version)
        }
        router.get(RouterPath(prefix + "/sources/{id}/revisions")) { _, context in
            let stores = try requireStores()
            let id = try Self.pathParameter("id", context)
            let revisions = try await history(of: id, in: stores)
            guard !revisions.isEmpty || knownSources().contains(id) else { throw APIError.notFound("source \"\(id)\" not found") }
            let version = try await currentVersion(stores)
            return Self.json(
                ["sourceId": .string(id), "currentVersion": .string(version), "revisions": .array(revisions),
                 "count": .integer(Int64(revisions.count))],
                version: version)
        }
    }

    /// `POST /sources/{id}:rollback` with `{"version": "…"}`: the source's managed entry as
    /// it was in that revision, stored as a new version.
    func rollback(_ id: String, _ request: Request) async throws -> Response {
        let stores = try requireStores()
        guard let version = try await Self.jsonBody(request)["version"]?.stringValue, !version.isEmpty else {
            throw APIError.badRequest("the body must be {\"version\": \"…\"}, a version from GET …/sources/\(id)/revisions")
        }
        guard let revision = try await stored({ try await stores.configuration.revisions() }).first(where: { $0.version == version }) else {
            throw APIError.notFound("no revision has version \(version)")
        }
        var restored = ManagedSources.entry(id, section: plugin.configKey, in: revision.document)
        if let properties = restored?["properties"]?.objectValue?.dictionary {
            // The data roots may have changed since that revision was stored.
            let (confined, problems) = SourceInput.confinedPaths(in: properties, roots: host.dataRoots)
            guard problems.isEmpty else {
                throw APIError(status: .unprocessableContent, message: "the revision's source is invalid now", details: ["errors": .array(problems)])
            }
            if var entry = restored?.objectValue {
                entry["properties"] = .object(confined)
                restored = .object(entry)
            }
        }
        let updated = try await change(stores, request) { ManagedSources.set(restored, id: id, section: plugin.configKey, in: &$0) }
        try await host.applyStoredConfiguration()
        return Self.json(
            ["status": "rolled back", "sourceId": .string(id), "restoredVersion": .string(version),
             "version": .string(updated.version), "source": try await sourceInfo(id) ?? .null],
            version: updated.version)
    }

    // MARK: Helpers

    /// The input parsed, and every problem with it: the host's field checks first, then the plugin's.
    private func problems(with body: JSONValue) async throws -> (input: SourceInput?, problems: [JSONValue]) {
        switch SourceInput.parse(body, roots: host.dataRoots) {
        case .failure(let problems):
            return (nil, problems.list)
        case .success(let input):
            let answer = try await plugin.operation(CATALOG_OPERATION_SOURCES_VALIDATE, ["source": input.entry])
            return (input, answer["errors"]?.arrayValue ?? [])
        }
    }

    private func sourceInfo(_ id: String) async throws -> JSONValue? {
        try await plugin.operation(CATALOG_OPERATION_SOURCES_LIST)["sources"]?.arrayValue?.first { $0["id"]?.stringValue == id }
    }

    private func knownSources() -> [String] {
        host.configuration.section(for: plugin.configKey).sources.compactMap { $0["id"]?.stringValue }
    }

    private func requireKnownSource(_ context: BasicRequestContext) throws -> String {
        try requireKnownSource(try Self.pathParameter("id", context))
    }

    /// `id`, when the merged configuration has a source of that id in this plugin's section; 404 otherwise.
    func requireKnownSource(_ id: String) throws -> String {
        guard knownSources().contains(id) else { throw APIError.notFound("source \"\(id)\" not found in catalog \"\(plugin.configKey)\"") }
        return id
    }

    /// Stores a change to the managed document; 409 when `If-Match` names an older version.
    private func change(_ stores: StateStores, _ request: Request, _ edit: (inout JSONValue) -> Void) async throws -> ConfigRevision {
        do {
            let revision = try await stored { try await stores.configuration.update(expectedVersion: Self.expectedVersion(request), edit) }
            host.metrics.storeWrite(store: "configuration", outcome: "ok")
            return revision
        } catch let error as APIError {
            host.metrics.storeWrite(store: "configuration", outcome: Self.storeOutcome(error))
            throw error
        }
    }

    private func currentVersion(_ stores: StateStores) async throws -> String {
        try await stored { try await stores.configuration.current().version }
    }

    /// Runs a call of the configuration store, its failure mapped to the HTTP error that says it.
    private func stored<Result>(_ call: () async throws -> Result) async throws -> Result {
        do {
            return try await call()
        } catch {
            throw Self.storeFailure(error, store: "configuration")
        }
    }

    /// The revisions in which the source's managed entry changed, newest first, each with the
    /// entry as it was (`null` where the managed layer had none).
    private func history(of id: String, in stores: StateStores) async throws -> [JSONValue] {
        var kept: [JSONValue] = []
        // The oldest stored version is always listed, with or without an entry: it is where a
        // rollback returns to what the --sources files say.
        var previous: JSONValue?? = .none
        for revision in try await stored({ try await stores.configuration.revisions() }).reversed() {
            let entry = ManagedSources.entry(id, section: plugin.configKey, in: revision.document)
            if case .some(let last) = previous, last == entry { continue }
            previous = .some(entry)
            kept.append([
                "version": .string(revision.version),
                "createdAt": .string(ISO8601DateFormatter().string(from: revision.createdAt)),
                "source": entry ?? .null,
            ])
        }
        // A source the managed layer never had has no history.
        return kept.allSatisfy { $0["source"] == .null } ? [] : kept.reversed()
    }
}
