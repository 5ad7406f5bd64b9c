/// Serving: the routes a catalog declares from its engine, list, get and the sources list.
extension CatalogEngine {
    /// Declares `GET /{plural}`, `GET /{plural}/{name...}` (names may contain `/`; a name
    /// followed by `/{subresource}` lists that nested list) and `GET /sources`.
    ///
    /// - Parameters:
    ///   - routes: The plugin's routes.
    ///   - listing: `false` leaves `GET /{plural}` to the catalog, e.g. for the contract's own list.
    public func registerRoutes(_ routes: inout Routes, listing: Bool = true) {
        if listing {
            routes.get("/\(definition.plural)") { [self] request in try listResponse(request) }
        }
        routes.get("/\(definition.plural)/{name...}") { [self] request in try get(request.parameter("name")) }
        routes.get("/sources") { [self] request in KubeflowResponse.answer { try sourceList(request) } }
    }

    /// `GET /sources` as the contract's `CatalogSourceList` — `name` (a case-insensitive part of
    /// the name), `assetType` (this catalog's by default; another selects nothing), `orderBy`
    /// `ID` (the default; also for the times sources do not have) or `NAME`, `sortOrder`,
    /// `pageSize`, `nextPageToken`; disabled sources
    /// are listed — with catalog-server's own `sources` (every source in full) and `count` beside it.
    private func sourceList(_ request: PluginRequest) throws -> JSONValue {
        let states = sources
        var selected = states
        if let name = request.query("name"), !name.isEmpty {
            let search = TextSearch(name)
            selected = selected.filter { search.isFound(in: $0.configuration.name) }
        }
        if let assetType = request.query("assetType"), !assetType.isEmpty, assetType != definition.assetType {
            selected = []
        }
        // Sources have no times: CREATE_TIME and LAST_UPDATE_TIME (the contract's enum) order by id.
        let byName: Bool
        switch request.query("orderBy")?.uppercased() ?? "" {
        case "", "ID", "CREATE_TIME", "LAST_UPDATE_TIME": byName = false
        case "NAME": byName = true
        case let other: throw PluginError.badRequest("unsupported order by field \"\(other)\": use ID or NAME")
        }
        let descending = try SortDirection.descending(request)
        selected.sort { left, right in
            let (l, r) = byName ? (left.configuration.name, right.configuration.name) : (left.configuration.id, right.configuration.id)
            return descending ? r < l : l < r
        }
        var list = try OffsetPage(request).list(selected.map { $0.contractItem(assetType: definition.assetType) })
        if case .object(var object) = list {
            object["sources"] = .array(states.map(\.info))
            object["count"] = .integer(Int64(states.count))
            list = .object(object)
        }
        return list
    }

    /// One page of the catalog for a list request.
    ///
    /// - Parameter request: A list request with catalog-server's parameters (``ListQuery``).
    /// - Returns: The page, its entities without their sub-resource lists.
    /// - Throws: ``PluginError`` (400) naming a parameter that is wrong.
    public func list(_ request: PluginRequest) throws -> ListPage {
        let query = try ListQuery(request, definition: definition)
        var page = query.run(on: entitySnapshot)
        page.items = page.items.map(served)
        return page
    }

    /// `GET /{plural}`: ``list(_:)``'s page, byte for byte, assembled from its entities' JSON,
    /// which the snapshot encodes once.
    private func listResponse(_ request: PluginRequest) throws -> PluginResponse {
        let query = try ListQuery(request, definition: definition)
        let snapshot = entitySnapshot
        let page = query.select(on: snapshot)
        guard let items = snapshot.servedJSON(at: page.positions, serve: served) else { return .json(try list(request)) }
        var body = Array(#"{"items":["#.utf8)
        body.reserveCapacity(items.reduce(96) { $0 + $1.count + 1 })
        for (index, item) in items.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body += item
        }
        body.append(UInt8(ascii: "]"))
        if let next = page.nextPageToken {
            body += #","nextPageToken":"#.utf8
            body += try JSONWriter.bytes(.string(next))
        }
        body += #","pageSize":\#(query.pageSize),"size":\#(page.size)}"#.utf8
        return PluginResponse(body: body)
    }

    /// The entity called `name`, or a sub-resource list for `name/{subresource}`.
    ///
    /// - Parameter name: The entity's name, possibly followed by `/` and a sub-resource.
    /// - Returns: The entity (without its sub-resource lists), or the sub-resource list in the
    ///   list envelope.
    /// - Throws: ``PluginError/notFound(_:)`` when there is no such entity.
    public func get(_ name: String) throws -> PluginResponse {
        let snapshot = entitySnapshot
        let position = snapshot.position(of: name)
        if let position {
            guard let json = snapshot.servedJSON(at: [position], serve: served)?.first else { return .json(served(snapshot.entities[position])) }
            return PluginResponse(body: json)
        }
        for subresource in definition.subresources where name.hasSuffix("/" + subresource) {
            let owner = String(name.dropLast(subresource.count + 1))
            if let entity = entity(named: owner) {
                let items = entity[subresource]?.arrayValue ?? []
                return .json(ListPage(items: items, size: items.count, pageSize: items.count, nextPageToken: nil))
            }
        }
        throw PluginError.notFound("\(definition.displayName.lowercased()) \"\(name)\" not found")
    }

    /// An entity as list and get serve it: without its sub-resource lists.
    func served(_ entity: JSONValue) -> JSONValue {
        guard !definition.subresources.isEmpty, var object = entity.objectValue else { return entity }
        definition.subresources.forEach { object.removeValue(forKey: $0) }
        return .object(object)
    }
}
