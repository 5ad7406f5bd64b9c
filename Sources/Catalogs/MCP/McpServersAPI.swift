import CatalogPluginSDK
import Foundation

/// The MCP part of the Kubeflow catalog contract (`catalog-openapi.yaml`), served beside the
/// catalog's own `/mcpservers` routes:
///
/// - `GET /mcp_servers` — `name` (a LIKE pattern), `q` (name, description, provider),
///   `sourceLabel`, `filterQuery`, `namedQuery`, `includeTools`, `toolLimit`, `pageSize`,
///   `orderBy`, `sortOrder`, `nextPageToken`;
/// - `GET /mcp_servers/filter_options`;
/// - `GET /mcp_servers/{server_id}` (with `includeTools`, `toolLimit`);
/// - `GET /mcp_servers/{server_id}/tools` (`filterQuery`, paging) and `…/tools/{tool_name}`.
///
/// A server's id is its name (names are unique in the catalog). Lists always carry `size`,
/// `pageSize` and `nextPageToken` (`""` on the last page); errors are `{code, message}`.
struct McpServersAPI: Sendable {
    let engine: CatalogEngine

    static let searchFields = ["name", "description", "provider"]
    static let defaultToolLimit = 10

    func register(_ routes: inout Routes) {
        routes.get("/mcp_servers") { request in KubeflowResponse.answer { try list(request) } }
        routes.get("/mcp_servers/filter_options") { _ in KubeflowResponse.answer { filterOptions() } }
        routes.get("/mcp_servers/{server_id}") { request in
            KubeflowResponse.answer { .object(Self.server(try server(request.parameter("server_id")), tools: .lenient(request))) }
        }
        routes.get("/mcp_servers/{server_id}/tools") { request in KubeflowResponse.answer { try tools(request) } }
        routes.get("/mcp_servers/{server_id}/tools/{tool_name}") { request in
            KubeflowResponse.answer {
                let entity = try server(request.parameter("server_id"))
                let name = try request.parameter("tool_name")
                guard let tool = Self.tools(of: entity).first(where: { $0["name"]?.stringValue == name }) else {
                    throw PluginError.notFound("MCP server \"\(entity["name"]?.stringValue ?? "")\" has no tool \"\(name)\"")
                }
                return ["serverId": entity["name"] ?? "", "serverName": entity["name"] ?? "", "tool": tool]
            }
        }
    }

    // MARK: Lists

    private func list(_ request: PluginRequest) throws -> JSONValue {
        var query = try ListQuery(request, definition: engine.definition, dialect: .kubeflow(searchFields: Self.searchFields))
        let snapshot = engine.entitySnapshot
        if let filter = try NamedQuery.filter(request, namedQueries: snapshot.configuration.namedQueries, fields: engine.definition.filterFields) {
            query.filter = filter
        }
        var named: ((JSONValue) -> Bool)?
        if let pattern = request.query("name"), !pattern.isEmpty {
            guard pattern.count <= FilterQuery.Limits.maximumPatternLength else {
                throw PluginError.badRequest("name is longer than the limit of \(FilterQuery.Limits.maximumPatternLength) characters")
            }
            let like = WildcardPattern(pattern, many: "%", one: "_")
            named = { like.matches($0["name"]?.stringValue ?? "") }
        }
        let page = query.run(on: snapshot, where: named)
        let tools = try ToolInclusion(request)
        return KubeflowResponse.list(page.items.map { .object(Self.server($0, tools: tools)) }, pageSize: page.pageSize, next: page.nextPageToken)
    }

    private func tools(_ request: PluginRequest) throws -> JSONValue {
        let entity = try server(request.parameter("server_id"))
        var tools = Self.tools(of: entity)
        if let text = request.query("filterQuery"), !text.trimmingCharacters(in: .whitespaces).isEmpty {
            let filter = try FilterQuery(text)
            tools = tools.filter(filter.matches)
        }
        // The contract documents no 400 for this route but a malformed filterQuery: paging and
        // order parameters that do not parse fall back to their defaults.
        let descending = try SortDirection.descending(request, lenient: true)
        tools.sort { left, right in
            let (l, r) = (left["name"]?.stringValue ?? "", right["name"]?.stringValue ?? "")
            return descending ? r < l : l < r
        }
        return try OffsetPage(request, lenient: true).list(tools)
    }

    private func filterOptions() -> JSONValue {
        let (entities, _, configuration) = engine.snapshot
        return FilterOptions.document(
            filters: FilterOptions.filters(for: engine.definition.fields, in: entities), namedQueries: configuration.namedQueries)
    }

    // MARK: Pieces

    private func server(_ id: String) throws -> JSONValue {
        guard let entity = engine.entity(named: id) else { throw PluginError.notFound("MCP server \"\(id)\" not found") }
        return entity
    }

    /// An entity as the contract's `MCPServer`: `id` and `toolCount` always, `tools` when asked for.
    static func server(_ entity: JSONValue, tools inclusion: ToolInclusion) -> JSONObject {
        var server = entity.objectValue ?? [:]
        let tools = tools(of: entity)
        server["id"] = server["id"] ?? server["name"] ?? ""
        if server["toolCount"]?.doubleValue == nil { server["toolCount"] = .integer(Int64(tools.count)) }
        if inclusion.include {
            server["tools"] = .array(Array(tools.prefix(inclusion.limit)))
        } else {
            server.removeValue(forKey: "tools")
        }
        return server
    }

    static func tools(of entity: JSONValue) -> [JSONValue] {
        (entity["tools"]?.arrayValue ?? []).filter { $0["name"]?.stringValue != nil }
    }
}

/// `includeTools` and `toolLimit` (0 to 100, default 10).
struct ToolInclusion {
    var include: Bool
    var limit: Int

    /// As the get route reads them: the contract documents no 400 there, so a value out of
    /// range is clamped and anything else falls back to its default.
    static func lenient(_ request: PluginRequest) -> ToolInclusion {
        let include = request.query("includeTools")?.lowercased() == "true"
        let limit = request.query("toolLimit").flatMap(Int.init).map { min(100, max(0, $0)) } ?? McpServersAPI.defaultToolLimit
        return ToolInclusion(include: include, limit: limit)
    }

    private init(include: Bool, limit: Int) {
        self.include = include
        self.limit = limit
    }

    init(_ request: PluginRequest) throws {
        switch request.query("includeTools")?.lowercased() {
        case nil, "", "false": include = false
        case "true": include = true
        default: throw PluginError.badRequest("includeTools must be true or false")
        }
        if let text = request.query("toolLimit") {
            guard let limit = Int(text), (0...100).contains(limit) else {
                throw PluginError.badRequest("toolLimit must be an integer from 0 to 100, got \"\(text)\"")
            }
            self.limit = limit
        } else {
            limit = McpServersAPI.defaultToolLimit
        }
    }
}
