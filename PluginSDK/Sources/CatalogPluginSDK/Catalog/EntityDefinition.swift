/// The type of a declared entity field: decides how it sorts and which operators filter it.
public enum FieldType: String, Sendable {
    /// The scalar types and lists: `string` (text, all operators), `integer` and `number`
    /// (compared numerically, also when stored as strings), `boolean` (`=` and `!=`),
    /// `timestamp` (milliseconds since the epoch, compared numerically, e.g.
    /// `createTimeSinceEpoch`) and `list` (matched by membership; not sortable).
    case string, integer, number, boolean, timestamp, list
    /// A nested mapping: shown, and reachable by dotted paths in filters, but not sorted.
    case object

    /// Whether values compare as numbers.
    public var isNumeric: Bool { self == .integer || self == .number || self == .timestamp }

    /// The filter operators that make sense for the type.
    public var operators: [String] {
        switch self {
        case .string: ["=", "!=", "<", ">", "<=", ">=", "LIKE", "ILIKE", "IN"]
        case .integer, .number, .timestamp: ["=", "!=", "<", ">", "<=", ">=", "IN"]
        case .boolean: ["=", "!="]
        case .list: ["=", "!=", "LIKE", "ILIKE", "IN"]
        case .object: []
        }
    }
}

/// One field of an entity that a catalog declares: listed, sorted, filtered, shown.
///
/// ```swift
/// FieldDefinition("name", "Name", column: "lg")                                   // a sortable column
/// FieldDefinition("provider", "Provider", column: "md", detail: "Overview")      // column and detail
/// FieldDefinition("maxTokens", "Max tokens", type: .integer, path: "modelConfig.maxTokens", detail: "Model")
/// FieldDefinition("tags", "Tags", type: .list, options: ["beta", "stable"])       // a filter with a drop-down
/// ```
///
/// Any declared field may be used in `filterQuery` and, when sortable, as `orderBy`; the
/// column, detail and filter settings only decide what the capabilities document offers.
public struct FieldDefinition: Sendable {
    /// The field's name: the `orderBy` value and, when it differs from ``path``, another name
    /// for the path in `filterQuery`.
    public var name: String
    /// The label of its column, detail row and filter.
    public var displayName: String
    /// Dotted path into the entity, e.g. `modelConfig.maxTokens`.
    public var path: String
    /// How its values sort and which filter operators apply.
    public var type: FieldType
    /// Column width for a list view, or `nil` when the field is not a column.
    public var columnWidth: String?
    /// Detail-view section, or `nil` when the field is not shown in details.
    public var detailSection: String?
    /// Whether the field can be an `orderBy`.
    public var sortable: Bool
    /// Whether the field is offered as a filter (any declared field can be used in `filterQuery`).
    public var filterable: Bool
    /// Known values, for a filter drop-down.
    public var options: [String]

    /// A field.
    ///
    /// - Parameters:
    ///   - name: The field's name.
    ///   - displayName: Its label.
    ///   - type: How its values sort and filter.
    ///   - path: Dotted path into the entity; the name when `nil`.
    ///   - column: List-view column width (`sm`, `md` or `lg`), or `nil` for no column.
    ///   - detail: Detail-view section, or `nil` when not shown in details.
    ///   - sortable: Whether it can be an `orderBy`; by default every type but `list` and `object`.
    ///   - filterable: Whether it is offered as a filter; `object` fields never are.
    ///   - options: Known values, for a filter drop-down.
    public init(
        _ name: String, _ displayName: String, type: FieldType = .string, path: String? = nil, column: String? = nil,
        detail: String? = nil, sortable: Bool? = nil, filterable: Bool = true, options: [String] = []
    ) {
        self.name = name
        self.displayName = displayName
        self.path = path ?? name
        self.type = type
        self.columnWidth = column
        self.detailSection = detail
        self.sortable = sortable ?? (type != .list && type != .object)
        self.filterable = filterable && type != .object
        self.options = options
    }
}

/// The one entity kind a catalog serves, and how it is read, listed and described.
public struct EntityDefinition: Sendable {
    /// Kind in the asset envelope, e.g. `McpServer`.
    public var kind: String
    /// Path segment of the list and get endpoints, e.g. `mcpservers`.
    public var plural: String
    /// Human name of one entity, e.g. `MCP Server`; also used in "not found" messages.
    public var displayName: String
    /// One line about the kind.
    public var description: String
    /// Catalog display name and icon in the capabilities document.
    public var catalogDisplayName: String
    /// Icon name hint for the catalog and entity, e.g. `server`, `cube`, `robot`, `database`.
    public var icon: String
    /// Top-level key of the entity list in a data file, e.g. `mcpservers`.
    public var listKey: String
    /// Other keys a data file may hold the list under, tried after ``listKey``, e.g. upstream's
    /// `mcp_servers`.
    public var listKeyAliases: [String]
    /// The declared fields, in order: columns, filters and details in the capabilities
    /// document, and what `orderBy` and `filterQuery` accept.
    public var fields: [FieldDefinition] { didSet { filterFields = Self.filterFields(fields, subresources) } }
    /// Nested lists served as sub-resources instead of inline, e.g. a model's `artifacts`
    /// at `GET /models/{name}/artifacts`.
    public var subresources: [String] { didSet { filterFields = Self.filterFields(fields, subresources) } }
    /// How `filterQuery` names resolve in this catalog: the declared fields' first path
    /// segments (and the names of fields whose path differs), custom properties when a
    /// `customProperties` field is declared, and the sub-resource lists (e.g. `artifacts`).
    /// Derived once from ``fields`` and ``subresources``, not per request.
    public private(set) var filterFields: FilterFields
    /// The contract's asset type of the entities, e.g. `models` or `mcp_servers`: what
    /// `GET /sources?assetType=` selects. Defaults to ``plural``.
    public var assetType: String
    /// Where an entity's name is unique.
    public var nameScope: NameScope
    /// Refuses one entity of a data file with the reason, or `nil` to keep it.
    public var check: Check?

    /// Where an entity's name is unique.
    public enum NameScope: Sendable {
        /// In the whole catalog: when two sources hold a name, the earlier source's entity is served.
        case catalog
        /// In its source: the same name in two sources is two entities, addressed by source
        /// (upstream's models). Routes by name alone serve the earlier source's.
        case source
    }

    /// Refuses one entity of a data file with the reason, or `nil` to keep it. Its source then
    /// is `partially-available`.
    public typealias Check = @Sendable (JSONObject) -> String?

    /// An entity definition.
    ///
    /// ```swift
    /// EntityDefinition(
    ///     kind: "McpServer", plural: "mcpservers", displayName: "MCP Server",
    ///     description: "A Model Context Protocol server", catalogDisplayName: "MCP Servers",
    ///     icon: "server", listKey: "mcpservers", listKeyAliases: ["mcp_servers"],
    ///     fields: [FieldDefinition("name", "Name", column: "lg"), FieldDefinition("toolCount", "Tools", type: .integer, column: "sm")],
    ///     check: { entity in entity["endpoint"] == nil ? "an endpoint is required" : nil })
    /// ```
    ///
    /// - Parameters:
    ///   - kind: Kind in the asset envelope, e.g. `McpServer`.
    ///   - plural: Path segment of the list and get endpoints, e.g. `mcpservers`.
    ///   - displayName: Human name of one entity.
    ///   - description: One line about the kind.
    ///   - catalogDisplayName: Human name of the catalog.
    ///   - icon: Icon name hint.
    ///   - listKey: Top-level key of the entity list in a data file.
    ///   - listKeyAliases: Other keys the list may stand under.
    ///   - fields: The declared fields.
    ///   - subresources: Nested lists served as sub-resources, e.g. `["artifacts"]`.
    ///   - assetType: The contract's asset type; ``plural`` when `nil`.
    ///   - nameScope: Where a name is unique.
    ///   - check: Refuses single entities with a reason, or `nil` to keep them all.
    public init(
        kind: String, plural: String, displayName: String, description: String, catalogDisplayName: String,
        icon: String, listKey: String, listKeyAliases: [String] = [], fields: [FieldDefinition], subresources: [String] = [],
        assetType: String? = nil, nameScope: NameScope = .catalog, check: Check? = nil
    ) {
        self.assetType = assetType ?? plural
        self.nameScope = nameScope
        self.check = check
        self.listKeyAliases = listKeyAliases
        self.kind = kind
        self.plural = plural
        self.displayName = displayName
        self.description = description
        self.catalogDisplayName = catalogDisplayName
        self.icon = icon
        self.listKey = listKey
        self.fields = fields
        self.subresources = subresources
        self.filterFields = Self.filterFields(fields, subresources)
    }

    private static func filterFields(_ fields: [FieldDefinition], _ subresources: [String]) -> FilterFields {
        let roots = Set(fields.compactMap { $0.path.split(separator: ".").first.map(String.init) })
        var filterFields = FilterFields(
            isField: { roots.contains($0) },
            customProperties: roots.contains("customProperties") ? "customProperties" : nil,
            scopes: Set(subresources))
        // A field whose name is not its path answers to its name too.
        for field in fields where field.name != field.path && !field.name.contains(".") {
            filterFields.aliases[field.name] = field.path.split(separator: ".").map(String.init)
        }
        return filterFields
    }

    /// The declared field called `name`.
    ///
    /// - Parameter name: A field's ``FieldDefinition/name``.
    /// - Returns: The field, or `nil` when none is called so.
    public func field(named name: String) -> FieldDefinition? {
        fields.first { $0.name == name }
    }
}
