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
        routes.get("/mcp_servers") { request in try answer { try list(request) } }
        routes.get("/mcp_servers/filter_options") { _ in try answer { filterOptions() } }
        routes.get("/mcp_servers/{server_id}") { request in
            try answer { .object(Self.server(try server(request.parameter("server_id")), tools: .lenient(request))) }
        }
        routes.get("/mcp_servers/{server_id}/tools") { request in try answer { try tools(request) } }
        routes.get("/mcp_servers/{server_id}/tools/{tool_name}") { request in
            try answer {
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
        let (entities, labels, configuration) = engine.snapshot
        if let named = request.query("namedQuery"), !named.isEmpty {
            guard let filters = configuration.namedQueries[named]?.objectValue else {
                throw PluginError.badRequest("namedQuery \"\(named)\" is not defined; defined: \(configuration.namedQueries.keys.sorted().joined(separator: ", "))")
            }
            let text = try NamedQuery.filterText(filters)
            let combined = [text, request.query("filterQuery")].compactMap { $0 }.filter { !$0.isEmpty }
                .map { "(\($0))" }.joined(separator: " AND ")
            query.filter = try FilterQuery(combined, fields: engine.definition.filterFields)
        }
        var matching = entities
        if let pattern = request.query("name"), !pattern.isEmpty {
            guard pattern.count <= FilterQuery.Limits.maximumPatternLength else {
                throw PluginError.badRequest("name is longer than the limit of \(FilterQuery.Limits.maximumPatternLength) characters")
            }
            let like = WildcardPattern(pattern, many: "%", one: "_")
            matching = matching.filter { like.matches($0["name"]?.stringValue ?? "") }
        }
        let page = query.run(on: matching, sourceLabels: labels)
        let tools = try ToolInclusion(request)
        return Self.list(page.items.map { .object(Self.server($0, tools: tools)) }, size: page.size, pageSize: page.pageSize, next: page.nextPageToken)
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
        let pageSize = request.query("pageSize").flatMap(Int.init).flatMap { $0 > 0 ? min($0, ListQuery.maximumPageSize) : nil }
            ?? ListQuery.defaultPageSize
        let descending = request.query("sortOrder") == "DESC"
        tools.sort { left, right in
            let (l, r) = (left["name"]?.stringValue ?? "", right["name"]?.stringValue ?? "")
            return descending ? r < l : l < r
        }
        let offset = request.query("nextPageToken").flatMap { try? Self.offset($0) } ?? 0
        let page = Array(tools.dropFirst(offset).prefix(pageSize))
        let next = offset + page.count < tools.count ? Self.token(offset + page.count) : nil
        return Self.list(page, size: tools.count, pageSize: pageSize, next: next)
    }

    private func filterOptions() -> JSONValue {
        let (entities, _, configuration) = engine.snapshot
        var filters: [String: JSONValue] = [:]
        for field in engine.definition.fields where field.filterable && !field.path.contains(".") {
            let values = entities.flatMap { FieldValues.values(at: [field.path], in: $0) }
            if field.type.isNumeric {
                let numbers = values.compactMap(\.doubleValue)
                guard let low = numbers.min(), let high = numbers.max() else { continue }
                filters[field.path] = ["type": "number", "range": ["min": .number(low), "max": .number(high)]]
            } else {
                let texts = Set(values.compactMap(\.stringValue))
                guard !texts.isEmpty, texts.count <= 50 else { continue }
                filters[field.path] = ["type": "string", "values": .array(texts.sorted().map(JSONValue.string))]
            }
        }
        let named = configuration.namedQueries.mapValues { query in
            NamedQuery.resolvingRanges(query, ranges: filters)
        }
        return ["filters": .object(filters), "namedQueries": .object(named)]
    }

    // MARK: Pieces

    private func server(_ id: String) throws -> JSONValue {
        guard let entity = engine.entity(named: id) else { throw PluginError.notFound("MCP server \"\(id)\" not found") }
        return entity
    }

    /// An entity as the contract's `MCPServer`: `id` and `toolCount` always, `tools` when asked for.
    static func server(_ entity: JSONValue, tools inclusion: ToolInclusion) -> [String: JSONValue] {
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

    static func list(_ items: [JSONValue], size: Int, pageSize: Int, next: String?) -> JSONValue {
        ["items": .array(items), "size": .integer(Int64(size)), "pageSize": .integer(Int64(pageSize)), "nextPageToken": .string(next ?? "")]
    }

    static func token(_ offset: Int) -> String {
        Data(#"{"offset":\#(offset)}"#.utf8).base64EncodedString()
    }

    static func offset(_ token: String) throws -> Int {
        guard let data = Data(base64Encoded: token), let value = try? JSONCoding.decode(data), let offset = value["offset"]?.doubleValue,
            offset >= 0, offset < 1e9
        else { throw PluginError.badRequest("nextPageToken is not a token this server issued") }
        return Int(offset)
    }

    /// Runs `body` and answers its JSON, or its error as the contract's `{code, message}`.
    private func answer(_ body: () throws -> JSONValue) throws -> PluginResponse {
        do {
            return .json(try body())
        } catch let error as PluginError {
            return .error(error.status, error.message)
        } catch {
            return .error(400, "\(error)")
        }
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

/// Named queries as upstream writes them: `{field: {operator, value}}`.
enum NamedQuery {
    /// The filter text of a named query, its conditions joined by AND.
    static func filterText(_ filters: [String: JSONValue]) throws -> String {
        try filters.sorted { $0.key < $1.key }.map { field, condition in
            guard let op = condition["operator"]?.stringValue?.uppercased(), let value = condition["value"] else {
                throw PluginError.badRequest("named query field \(field) needs an operator and a value")
            }
            let name = "`" + field.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "`", with: "\\`") + "`"
            if op == "IN" || op == "NOT IN" {
                let values = (value.arrayValue ?? [value]).map(literal).joined(separator: ", ")
                return "\(name) \(op) (\(values))"
            }
            return "\(name) \(op) \(literal(value))"
        }.joined(separator: " AND ")
    }

    private static func literal(_ value: JSONValue) -> String {
        switch value {
        case .bool(let flag): flag ? "TRUE" : "FALSE"
        case .integer(let number): String(number)
        case .number(let number): String(number)
        case .null: "NULL"
        default: "'" + (value.stringValue ?? "").replacingOccurrences(of: "'", with: "''") + "'"
        }
    }

    /// The query with values `min` and `max` replaced by the bounds of that field's range, as
    /// upstream's filter options resolve them.
    static func resolvingRanges(_ query: JSONValue, ranges: [String: JSONValue]) -> JSONValue {
        guard let filters = query.objectValue else { return query }
        return .object(Dictionary(uniqueKeysWithValues: filters.map { field, condition in
            guard var object = condition.objectValue, let bound = object["value"]?.stringValue, bound == "min" || bound == "max",
                let value = ranges[field]?["range"]?[bound]
            else { return (field, condition) }
            object["value"] = value
            return (field, .object(object))
        }))
    }
}
