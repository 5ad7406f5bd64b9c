import CatalogPluginSDK
import Synchronization

/// The knowledge-source catalog: RAG stores, document collections and graphs an agent can
/// draw on, read from `yaml` sources (`knowledgesources:` lists).
///
/// Routes: `GET /knowledgesources` (paged list) and `GET /knowledgesources/{name}`.
final class KnowledgeCatalog: CatalogPlugin, CapabilitiesV2Provider, StatusProvider {
    let name = "knowledge"
    let version = "v1alpha1"
    let description = "Knowledge sources: vector stores, document collections and graphs for retrieval"

    private let loader = YAMLSourceLoader(listKey: "knowledgesources")
    private let state = Mutex(State())

    private struct State {
        var entities: [JSONValue] = []
        var sourceErrors: [String: String] = [:]
        var basePath = ""
        var initialized = false
    }

    func initialize(_ context: PluginContext) async throws {
        let snapshot = loader.load(context.configuration.sources)
        for (source, error) in snapshot.errors.sorted(by: { $0.key < $1.key }) {
            context.logger.error("source \(source) is in error: \(error)")
        }
        let entities = snapshot.entities.sorted { ($0["name"]?.stringValue ?? "") < ($1["name"]?.stringValue ?? "") }
        state.withLock {
            $0.entities = entities
            $0.sourceErrors = snapshot.errors
            $0.basePath = context.basePath
            $0.initialized = true
        }
        context.logger.info("loaded \(entities.count) knowledge sources")
    }

    func registerRoutes(_ routes: inout Routes) {
        routes.get("/knowledgesources") { [self] request in try list(request) }
        routes.get("/knowledgesources/{name}") { [self] request in try get(request) }
    }

    func healthy() -> Bool {
        state.withLock { $0.initialized }
    }

    func status() async -> PluginStatus {
        state.withLock { state in
            PluginStatus(
                initialized: state.initialized, serving: state.initialized,
                lastError: state.sourceErrors.isEmpty ? nil : state.sourceErrors.map { "\($0.key): \($0.value)" }.sorted().joined(separator: "; "))
        }
    }

    func capabilitiesV2() async throws -> JSONValue {
        KnowledgeCapabilities.document(basePath: state.withLock { $0.basePath }, plugin: self)
    }

    private func list(_ request: PluginRequest) throws -> PluginResponse {
        let pageSize = try PageRequest(request)
        let entities = state.withLock { $0.entities }
        let page = pageSize.page(of: entities)
        var body: [String: JSONValue] = [
            "items": .array(page.items), "size": .integer(Int64(entities.count)), "pageSize": .integer(Int64(pageSize.size)),
        ]
        if let token = page.nextPageToken { body["nextPageToken"] = .string(token) }
        return .json(JSONValue.object(body))
    }

    private func get(_ request: PluginRequest) throws -> PluginResponse {
        let name = try request.parameter("name")
        guard let entity = state.withLock({ $0.entities.first { $0["name"]?.stringValue == name } }) else {
            throw PluginError.notFound("knowledge source \"\(name)\" not found")
        }
        return .json(entity)
    }
}

@_cdecl("catalog_plugin_register")
public func catalogPluginRegister(_ host: UnsafePointer<catalog_host_api>?, _ registrar: OpaquePointer?) -> Int32 {
    PluginExport.register(host: host, registrar: registrar) { [KnowledgeCatalog()] }
}
