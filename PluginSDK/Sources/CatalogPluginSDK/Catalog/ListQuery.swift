import Foundation

/// The parameters of a list request, validated: `pageSize` (default 100, at most 1000),
/// `pageToken`, `orderBy` (any sortable declared field; default `name`), `sortOrder`
/// (`ASC`, the default, or `DESC`), `filterQuery`, `q` (case-insensitive text in name and
/// description), `source` and `sourceLabel` (repeatable). A bad value is a 400 naming its
/// parameter.
///
/// Page tokens are cursors on (sort key, name), never offsets: when the catalog is reloaded
/// between two pages, the next page starts right after the last entity seen, so an entity
/// that stayed is neither skipped nor repeated.
///
/// The engine runs one for every `GET /{plural}` on its ``EntitySnapshot``
/// (``run(on:where:)``), where orders are kept prepared. A route of a plugin's own runs one
/// the same way, with a condition of its own, or over any array of entities
/// (``run(on:sourceLabels:)``, a pass over all of them per request):
///
/// ```swift
/// routes.get("/tools/featured") { [engine] request in
///     let query = try ListQuery(request, definition: engine.definition)     // 400 on a bad parameter
///     return .json(query.run(on: engine.entitySnapshot) { $0["featured"]?.boolValue == true })
/// }
/// ```
public struct ListQuery: Sendable {
    /// The page size when the request gives none: 100.
    public static let defaultPageSize = 100
    /// The largest page size; larger `pageSize` values are clamped to it: 1000.
    public static let maximumPageSize = 1000
    /// Entities a page passes over (the query rejects them) before the filter's `=`, `IN` and
    /// `LIKE` and the `q` narrow the rest through the snapshot's indexes (see ``run(on:where:)``).
    static let rejectionsBeforeNarrowing = 1_000
    /// Narrowings per page: one per index the query can use.
    static let maximumNarrowings = EntitySnapshot.maximumFieldIndexes + EntitySnapshot.maximumTextIndexes

    /// Entities per page, 1 to ``maximumPageSize``.
    public var pageSize: Int
    /// The field the list is ordered by (`orderBy`); ties are broken by name, then source.
    public var orderBy: FieldDefinition
    /// Whether `sortOrder` is `DESC`.
    public var descending: Bool
    /// The compiled `filterQuery`, if any.
    public var filter: FilterQuery?
    /// The `q` text, lower-cased, if any.
    public var text: String? {
        get { search?.text }
        set { search = newValue.map(TextSearch.init) }
    }
    /// The `q` text prepared for searching once, not per value.
    private var search: TextSearch?
    /// The `source` ids to keep; all sources when empty.
    public var sources: Set<String>
    /// The `sourceLabel`s: keep entities of sources with one of these labels; all when empty.
    public var sourceLabels: Set<String>
    /// Whether ``sourceLabels`` match a source's labels ignoring case (they are lower-cased then).
    public var labelsIgnoreCase = false
    /// Whether ``ListPage/size`` counts the matches of every page (catalog-server's dialect),
    /// which reads every entity a condition may hold for (all of them, but for what indexes
    /// rule out); otherwise it is the number of items on the page, as the Kubeflow
    /// contract counts it.
    public var countsAllMatches = true
    /// Fields `q` looks in.
    public var searchFields: [String] = ["name", "description"] {
        didSet { searchPaths = searchFields.map { $0.split(separator: ".").map(String.init) } }
    }
    /// ``searchFields`` split into path segments once, not per entity.
    private var searchPaths: [[String]] = [["name"], ["description"]]
    var cursor: Cursor?

    /// How a list request spells its parameters.
    public enum Dialect: Sendable {
        /// catalog-server's own (above).
        case catalogServer
        /// The Kubeflow catalog contract: `nextPageToken` (catalog-server's `pageToken` is
        /// taken too), `orderBy` one of `NAME`, `ID`, `CREATE_TIME`, `LAST_UPDATE_TIME`,
        /// `pageSize` matching `^[1-9][0-9]{0,8}$`, `source` and `sourceLabel` values separated
        /// by commas, labels compared ignoring case and `null` standing for sources without
        /// labels, and `q` over `searchFields`. `customOrder` may accept further `orderBy`
        /// forms, e.g. the model catalog's `provider.string_value`.
        case kubeflow(searchFields: [String], customOrder: CustomOrder? = nil)
    }

    /// Reads an `orderBy` value that is not one of the Kubeflow enum: the field it orders by
    /// (its name goes into page tokens) and how an entity's key is found, `nil` when the value
    /// is not such a form (then the enum decides), or a thrown ``PluginError`` for a malformed one.
    /// An ``EntitySnapshot`` keeps an order by the field's name, path and type and the
    /// direction: two custom orders with the same field and direction must read the same key.
    public typealias CustomOrder = @Sendable (String) throws -> (field: FieldDefinition, key: SortValue)?

    /// An entity's sort key, in place of the value at ``orderBy``'s path.
    public typealias SortValue = @Sendable (JSONValue) -> JSONValue?

    /// How an entity's sort key is found, when not by ``orderBy``'s path.
    public var sortValue: SortValue?

    /// The field behind a Kubeflow `orderBy` value: the declared one, else the path itself.
    private static func kubeflowOrder(_ value: String, definition: EntityDefinition) throws -> FieldDefinition {
        let paths = ["NAME": "name", "ID": "id", "CREATE_TIME": "createTimeSinceEpoch", "LAST_UPDATE_TIME": "lastUpdateTimeSinceEpoch"]
        guard let path = paths[value] else {
            throw PluginError.badRequest("orderBy must be one of ID, NAME, CREATE_TIME, LAST_UPDATE_TIME, got \"\(value)\"")
        }
        if let declared = definition.field(named: path) { return declared }
        if path == "id" { return definition.field(named: "name") ?? FieldDefinition("name", "Name") }
        return FieldDefinition(path, path, type: .timestamp)
    }

    /// Where the previous page ended.
    struct Cursor: Codable, Equatable {
        /// orderBy and direction the token was issued for.
        var o: String
        var d: Bool
        /// Sort key, name and source of the last entity of the previous page.
        var k: JSONValue
        var n: String
        var s: String?
    }

    /// Reads and validates the list parameters of `request`.
    ///
    /// - Parameters:
    ///   - request: The list request.
    ///   - definition: The catalog's entity.
    ///   - dialect: How the request spells its parameters.
    /// - Throws: ``PluginError`` (400) naming the parameter that is wrong.
    public init(_ request: PluginRequest, definition: EntityDefinition, dialect: Dialect = .catalogServer) throws {
        let kubeflow: Bool
        var customOrder: CustomOrder?
        if case .kubeflow(let fields, let custom) = dialect {
            kubeflow = true
            customOrder = custom
            searchFields = fields
            searchPaths = fields.map { $0.split(separator: ".").map(String.init) }
        } else {
            kubeflow = false
        }
        if let text = request.query("pageSize") {
            guard let size = Int(text), size > 0, !kubeflow || (text.count <= 9 && text.first != "0" && text.allSatisfy({ $0.isASCII && $0.isNumber })) else {
                throw PluginError.badRequest("pageSize must be a positive integer, got \"\(text)\"")
            }
            pageSize = min(size, Self.maximumPageSize)
        } else {
            pageSize = Self.defaultPageSize
        }

        let orderName = request.query("orderBy").flatMap { $0.isEmpty ? nil : $0 }
        if kubeflow, let orderName, let custom = try customOrder?(orderName) {
            orderBy = custom.field
            sortValue = custom.key
        } else if kubeflow {
            orderBy = try Self.kubeflowOrder(orderName ?? "NAME", definition: definition)
        } else {
            // A field by its name, or by its path (the name filterQuery and filter options use).
            let order = definition.field(named: orderName ?? "name") ?? definition.fields.first { $0.path == orderName }
            guard let order, order.sortable else {
                let sortable = definition.fields.filter(\.sortable).map(\.name).joined(separator: ", ")
                throw PluginError.badRequest("orderBy \"\(orderName ?? "name")\" is not a sortable field; use one of: \(sortable)")
            }
            orderBy = order
        }

        descending = try SortDirection.descending(request)

        if let query = request.query("filterQuery"), !query.trimmingCharacters(in: .whitespaces).isEmpty {
            do {
                filter = try FilterQuery(query, fields: definition.filterFields)
            } catch {
                throw PluginError.badRequest("\(error)")
            }
        }
        search = request.query("q").flatMap { $0.isEmpty ? nil : TextSearch($0) }
        // The Kubeflow dialect separates values by commas and compares labels ignoring case.
        func values(_ name: String) -> [String] {
            let values = request.queryItems.filter { $0.name == name }.map(\.value)
            return kubeflow ? values.flatMap { $0.split(separator: ",").map(String.init) } : values
        }
        sources = Set(values("source"))
        labelsIgnoreCase = kubeflow
        countsAllMatches = !kubeflow
        sourceLabels = Set(values("sourceLabel").map { kubeflow ? $0.lowercased() : $0 })

        // The Kubeflow dialect takes catalog-server's `pageToken` too.
        let tokenParameter = kubeflow && request.query("pageToken") == nil ? "nextPageToken" : "pageToken"
        if let token = request.query(tokenParameter), !token.isEmpty {
            guard let cursor = Self.decode(token) else {
                throw PluginError.badRequest("\(tokenParameter) is not a token this server issued")
            }
            guard cursor.o == orderBy.name, cursor.d == descending else {
                throw PluginError.badRequest(
                    "\(tokenParameter) was issued for orderBy=\(cursor.o) sortOrder=\(cursor.d ? "DESC" : "ASC"); repeat those parameters with it")
            }
            self.cursor = cursor
        }
    }

    /// Filters, orders and pages a catalog's loaded entities, in an order the snapshot keeps
    /// prepared: a page costs a binary search and the entities read until it is full, not a
    /// pass over the catalog. A filter or `q` that few entities meet would read them all: once
    /// a page has passed over 1 000 entities the query rejects, the filter's `=`, `IN` and
    /// `LIKE` on an entity's own fields (joined by AND at the top) and the `q` narrow the rest
    /// through the snapshot's indexes (``EntitySnapshot/maximumFieldIndexes`` field
    /// indexes, ``EntitySnapshot/maximumTextIndexes`` text indexes) — those kept, or one made
    /// when none is, and one more for each further 1 000 passed over while one is missing —
    /// and the query is evaluated on the entities left. A page that is a pass anyway — counting
    /// every match (``countsAllMatches``) with a condition in force, or in an order not
    /// prepared yet — narrows from the start and reads every entity the indexes leave.
    ///
    /// - Parameters:
    ///   - snapshot: The entities to list, usually ``CatalogEngine/entitySnapshot``.
    ///   - condition: A further condition of the route's own, e.g. a parameter the query does
    ///     not know; `nil` for none.
    /// - Returns: The page after the request's `pageToken`, with the count of the matches
    ///   (see ``countsAllMatches``) and the next page's token (`nil` on the last page).
    public func run(on snapshot: EntitySnapshot, where condition: ((JSONValue) -> Bool)? = nil) -> ListPage {
        let page = select(on: snapshot, where: condition)
        return ListPage(items: page.positions.map { snapshot.entities[$0] }, size: page.size, pageSize: pageSize, nextPageToken: page.nextPageToken)
    }

    /// What ``run(on:where:)`` lists: the page's positions in the snapshot, the count and the next token.
    func select(on snapshot: EntitySnapshot, where condition: ((JSONValue) -> Bool)? = nil) -> (positions: [Int], size: Int, nextPageToken: String?) {
        let entities = snapshot.entities
        let conditional = hasConditions || condition != nil
        // The filter's `=`, `IN` and `LIKE` and the `q` narrow the entities through the snapshot's indexes
        // when a pass is due anyway (no order prepared, or every match counted), or once the
        // walk in order has passed over `rejectionsBeforeNarrowing` entities: a page of a query
        // that most entities meet fills before then, without the indexes' cost. The first
        // narrowing uses the indexes kept (or makes one when none is); each further
        // `rejectionsBeforeNarrowing` passed over makes one more, while one is missing.
        var narrowing: QueryNarrowing?
        var narrowings = 0
        // A `q` beyond plain ASCII is left to the query (and an empty one, which every value meets).
        let searching = search.flatMap { TextCondition($0, in: searchPaths) }
        func narrow() {
            guard filter != nil || searching != nil, narrowings < Self.maximumNarrowings, narrowing?.isComplete != true else { return }
            narrowings += 1
            if let narrower = snapshot.narrowing(by: filter, searching: searching, making: narrowings > 1) { narrowing = narrower }
        }
        // Whether the indexes leave the entity at `position` (all do before narrowing).
        func admitted(_ position: Int) -> Bool { narrowing?.admits(position) ?? true }
        // Whether the query and the route's condition hold for the entity at `position`.
        func meets(_ position: Int) -> Bool {
            let entity = entities[position]
            return matches(entity, sourceLabels: snapshot.sourceLabels) && condition?(entity) ?? true
        }
        func included(_ position: Int) -> Bool { !conditional || (admitted(position) && meets(position)) }
        let pinned = sortValue == nil && orderBy.path == "name" && !descending
        guard let order = snapshot.order(orderIdentity, pinned: pinned, madeUp: sortValue != nil, prepare: { prepare(snapshot) }) else {
            narrow()
            return select(from: entities, names: snapshot.names, where: included)
        }
        if countsAllMatches && conditional { narrow() }
        var start = 0
        if let cursor {
            // The first entity after the cursor: the order is sorted, so bisect it.
            let after = (SortKey(json: cursor.k), SourcedName(source: cursor.s ?? "", name: cursor.n))
            var (low, high) = (0, order.positions.count)
            while low < high {
                let middle = (low + high) / 2
                let position = order.positions[middle]
                if precedes(after, (order.keys[position], snapshot.names[position])) { high = middle } else { low = middle + 1 }
            }
            start = low
        }
        var page: [Int] = []
        var more = false
        var rejected = 0
        for position in order.positions[start...] {
            // Only entities the query read and rejected count toward narrowing.
            guard !conditional || admitted(position) else { continue }
            guard !conditional || meets(position) else {
                rejected += 1
                if rejected % Self.rejectionsBeforeNarrowing == 0 { narrow() }
                continue
            }
            guard page.count < pageSize else { more = true; break }
            page.append(position)
        }
        let size: Int
        if !countsAllMatches {
            size = page.count
        } else if conditional {
            size = entities.indices.reduce(0) { $0 + (included($1) ? 1 : 0) }
        } else {
            size = entities.count
        }
        let next = more ? page.last.map { token(key: order.keys[$0], name: snapshot.names[$0]) } : nil
        return (page, size, next)
    }

    /// Filters, orders and pages `entities`, any array: each call keys every match and keeps
    /// the page's smallest without sorting them all. A catalog's own entities list faster with
    /// ``run(on:where:)``.
    ///
    /// - Parameters:
    ///   - entities: The entities to list, each with its `name` and `source_id`.
    ///   - labels: Source id → the source's labels, for `sourceLabel`.
    /// - Returns: The page after the request's `pageToken`, with the count of the matches
    ///   (see ``countsAllMatches``) and the next page's token (`nil` on the last page).
    public func run(on entities: [JSONValue], sourceLabels labels: [String: [String]]) -> ListPage {
        let page = select(from: entities, names: entities.map(SourcedName.init)) { matches(entities[$0], sourceLabels: labels) }
        return ListPage(items: page.positions.map { entities[$0] }, size: page.size, pageSize: pageSize, nextPageToken: page.nextPageToken)
    }

    /// The page chosen from every entity `included` keeps (by position), without an order
    /// prepared: each match keyed, and the first `pageSize` after the cursor kept without
    /// sorting them all. `names` are the entities' source and name, by position.
    private func select(
        from entities: [JSONValue], names: [SourcedName], where included: (Int) -> Bool
    ) -> (positions: [Int], size: Int, nextPageToken: String?) {
        let after = cursor.map { (SortKey(json: $0.k), SourcedName(source: $0.s ?? "", name: $0.n)) }
        let orderPath = orderBy.path.split(separator: ".").map(String.init)
        var matched = 0
        var candidates: [(key: SortKey, position: Int)] = []
        for position in entities.indices where included(position) {
            matched += 1
            let key = sortKey(entities[position], orderPath: orderPath)
            if let after, !precedes(after, (key, names[position])) { continue }
            candidates.append((key, position))
        }
        let (page, more) = PageSelection.first(pageSize, of: candidates) { precedes(($0.key, names[$0.position]), ($1.key, names[$1.position])) }
        let next = more ? page.last.map { token(key: $0.key, name: names[$0.position]) } : nil
        return (page.map(\.position), countsAllMatches ? matched : page.count, next)
    }

    /// The page token that continues after the entity with `key` and `name`.
    private func token(key: SortKey, name: SourcedName) -> String {
        Self.encode(Cursor(o: orderBy.name, d: descending, k: key.json, n: name.name, s: name.source))
    }

    /// The entities that match the query's source, label, text and filter conditions, in their order.
    ///
    /// - Parameters:
    ///   - entities: The catalog's entities.
    ///   - labels: Source id → the source's labels.
    /// - Returns: The matching entities, in the order given, not paged.
    public func matching(_ entities: [JSONValue], sourceLabels labels: [String: [String]]) -> [JSONValue] {
        guard hasConditions else { return entities }
        return entities.filter { matches($0, sourceLabels: labels) }
    }

    /// Whether the query has a source, label, text or filter condition.
    private var hasConditions: Bool { !sources.isEmpty || !sourceLabels.isEmpty || text != nil || filter != nil }

    /// Whether `entity` meets the query's source, label, text and filter conditions.
    private func matches(_ entity: JSONValue, sourceLabels labels: [String: [String]]) -> Bool {
        if !matchesSource(entity, sourceLabels: labels) { return false }
        if let search, !searchPaths.contains(where: { path in
            FieldValues.contains(at: path, in: entity) { value in
                guard let text = FieldValues.text(value) else { return false }
                return search.isFound(in: text)
            }
        }) {
            return false
        }
        return filter?.matches(entity) ?? true
    }

    /// Whether `entity`'s source is one the query names and carries one of its labels (any
    /// source when the query names none).
    private func matchesSource(_ entity: JSONValue, sourceLabels labels: [String: [String]]) -> Bool {
        guard !sources.isEmpty || !sourceLabels.isEmpty else { return true }
        let source = entity["source_id"]?.stringValue ?? ""
        if !sources.isEmpty && !sources.contains(source) { return false }
        if !sourceLabels.isEmpty {
            let sourceLabels = (labels[source] ?? []).map { labelsIgnoreCase ? $0.lowercased() : $0 }
            // `null` stands for sources without labels.
            let unlabeled = sourceLabels.isEmpty && self.sourceLabels.contains("null")
            if !unlabeled && self.sourceLabels.isDisjoint(with: sourceLabels) { return false }
        }
        return true
    }

    /// What the query's order is, as the snapshot keeps it: the field, how its key is read, the direction.
    private var orderIdentity: String {
        (sortValue == nil ? "path " : "custom ") + orderBy.name + " " + orderBy.path + " " + orderBy.type.rawValue + (descending ? " desc" : " asc")
    }

    /// The query's order over every entity of `snapshot`: each entity keyed once, then sorted.
    private func prepare(_ snapshot: EntitySnapshot) -> PreparedOrder {
        let orderPath = orderBy.path.split(separator: ".").map(String.init)
        let keys = snapshot.entities.map { sortKey($0, orderPath: orderPath) }
        let names = snapshot.names
        let positions = Array(snapshot.entities.indices).sorted { precedes((keys[$0], names[$0]), (keys[$1], names[$1])) }
        return PreparedOrder(identity: orderIdentity, positions: positions, keys: keys)
    }

    /// An entity's sort key; `orderPath` is ``orderBy``'s path split once per request.
    private func sortKey(_ entity: JSONValue, orderPath: [String]) -> SortKey {
        SortKey(sortValue.map { $0(entity) } ?? FieldValues.first(at: orderPath, in: entity), type: orderBy.type)
    }

    /// The order of the list: by key in the requested direction, missing keys last, then by
    /// name and source.
    private func precedes(_ left: (SortKey, SourcedName), _ right: (SortKey, SourcedName)) -> Bool {
        if left.0 != right.0 {
            if left.0 == .missing || right.0 == .missing { return right.0 == .missing }
            return descending ? right.0 < left.0 : left.0 < right.0
        }
        return (left.1.name, left.1.source) < (right.1.name, right.1.source)
    }

    private static func encode(_ cursor: Cursor) -> String {
        let data = (try? JSONCoding.encode(cursor)) ?? Data()
        return data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private static func decode(_ token: String) -> Cursor? {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).flatMap { try? JSONCoding.decode(Cursor.self, from: $0) }
    }
}

/// One page of a list: catalog-server's list envelope (`items`, `size`, `pageSize`, `nextPageToken`).
public struct ListPage: Encodable, Sendable {
    /// The page's entities, in order.
    public var items: [JSONValue]
    /// Entities matching the query, over all pages; the items on this page for a query that
    /// does not count them all (``ListQuery/countsAllMatches``).
    public var size: Int
    /// The page size in force.
    public var pageSize: Int
    /// Absent on the last page.
    public var nextPageToken: String?
}

extension ListPage: JSONValueConvertible {
    /// The page as its JSON answer: `items`, `size`, `pageSize` and, but on the last page, `nextPageToken`.
    public var jsonValue: JSONValue {
        var object: [String: JSONValue] = ["items": .array(items), "size": .integer(Int64(size)), "pageSize": .integer(Int64(pageSize))]
        if let nextPageToken { object["nextPageToken"] = .string(nextPageToken) }
        return .object(object)
    }
}

/// A value as it sorts: numbers numerically, everything else as text; missing sorts last.
enum SortKey: Comparable, Sendable {
    case number(Double)
    case text(String)
    case missing

    init(_ value: JSONValue?, type: FieldType) {
        guard let value else { self = .missing; return }
        if type.isNumeric, let number = FieldValues.number(value) {
            self = .number(number)
        } else if let text = FieldValues.text(value) {
            self = .text(text)
        } else {
            self = .missing
        }
    }

    init(json: JSONValue) {
        switch json {
        case .integer, .number: self = .number(json.doubleValue!)
        case .string(let text): self = .text(text)
        default: self = .missing
        }
    }

    var json: JSONValue {
        switch self {
        case .number(let number): .number(number)
        case .text(let text): .string(text)
        case .missing: .null
        }
    }
}
