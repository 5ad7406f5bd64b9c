import Synchronization

/// One loaded generation of a catalog: its entities, the labels of their sources, the
/// configuration they were loaded with, and what is prepared for serving them.
///
/// A list of a large catalog must not key and sort every entity per request. The snapshot
/// keeps the list orders (`orderBy` and direction) asked for: a request in a new order sorts
/// the snapshot once, and later requests find their page token's place by binary search and
/// read entities in order until the page is full. Since clients choose `orderBy`, the cost is
/// bounded: an order a client makes up (a custom form such as a custom property's name) is
/// prepared only once it has been asked for before; one order is prepared at a time
/// (meanwhile, and for a made-up order's first request, a page is chosen by a pass over the
/// catalog, as ``ListQuery/run(on:sourceLabels:)`` does); and at most
/// ``maximumPreparedOrders`` are kept, the least recently used dropped first — all but the
/// catalog's default order (by name, ascending), which stays. Each order costs a position and
/// a sort key per entity.
///
/// The engine's own list and get also keep each entity's JSON, encoded on first use: at most
/// one copy of each entity, about the size of the catalog's data once every entity was served.
///
/// A filter's `=` and `IN` on a field narrow the entities a page reads through an index of
/// that field, made the first time a page needs it (one pass reading every entity's values
/// at the field) and kept: at most ``maximumFieldIndexes``, the least recently used dropped
/// first, and one made at a time. An index costs 4 bytes per value found and a dictionary
/// entry per distinct value: a few hundred KiB at 100 000 models for a field like `provider`,
/// about 14 MiB for `name`, whose every value differs. A `q` and a filter's `LIKE` narrow them
/// the same way through a text index of the fields they read (at most ``maximumTextIndexes``,
/// one made at a time): their plain ASCII text in one buffer, about 11 MiB at 100 000 models
/// for the model catalog's search fields, at most 64 MiB each.
///
/// A reload builds a new snapshot, so nothing prepared outlives the entities it was made from.
/// ``CatalogEngine/entitySnapshot`` is the one in force; ``ListQuery/run(on:where:)`` lists it:
///
/// ```swift
/// routes.get("/tools/featured") { [engine] request in
///     let query = try ListQuery(request, definition: engine.definition)
///     return .json(query.run(on: engine.entitySnapshot) { $0["featured"]?.boolValue == true })
/// }
/// ```
public final class EntitySnapshot: Sendable {
    /// Orders kept per snapshot besides the default one.
    public static let maximumPreparedOrders = 8
    /// Made-up orders remembered as asked for once, before the memory of them starts over.
    static let maximumRemembered = 256
    /// Field indexes kept per snapshot for filters' `=` and `IN` (see
    /// ``ListQuery/run(on:where:)``), the least recently used dropped first; also the most
    /// conditions of one filter that indexes narrow.
    public static let maximumFieldIndexes = 4
    /// Text indexes kept per snapshot for a list's `q` and a filter's `LIKE`s, one per set of
    /// fields read (see ``ListQuery/run(on:where:)``), the least recently used dropped first;
    /// also the most text conditions of one query that they narrow.
    public static let maximumTextIndexes = 4

    /// Every entity, sorted by name, then by source order.
    public let entities: [JSONValue]
    /// Source id → the source's labels.
    public let sourceLabels: [String: [String]]
    /// The catalog's configuration the entities were loaded with.
    public let configuration: CatalogConfiguration
    /// Each entity's source and name, by position: ties in every order are broken by them.
    let names: [SourcedName]
    private let orders = Mutex(Orders())
    /// Entities as the engine serves them, encoded on first use, by position.
    private let served = Mutex<[[UInt8]?]>([])
    private let fieldIndexes = Mutex(Indexes<FieldIndex>())
    private let textIndexes = Mutex(Indexes<TextIndex>())
    /// The fields (by paths) whose text is over ``TextIndex/maximumBytes``.
    private let textOverLimit = Mutex<Set<[[String]]>>([])
    /// The most bytes of text a text index keeps (tests give less).
    private let maximumTextIndexBytes: Int

    /// Indexes of one kind made for queries.
    private struct Indexes<Index: Sendable> {
        /// The indexes, the most recently used last.
        var kept: [Index] = []
        /// Whether one is being made.
        var making = false

        /// The kept index `isIt` picks, which becomes the most recently used.
        mutating func use(where isIt: (Index) -> Bool) -> Index? {
            guard let position = kept.firstIndex(where: isIt) else { return nil }
            let index = kept.remove(at: position)
            kept.append(index)
            return index
        }

        /// What a caller that needs the index `isIt` picks may do.
        enum Claim {
            /// Use the kept index (another request made it meanwhile).
            case kept(Index)
            /// Make it, then ``keep(_:maximum:)`` it (or `nil`): no other is being made.
            case claimed
            /// Go without: another index is being made.
            case busy
        }

        /// The kept index `isIt` picks, or else the making of it, unless another is being made.
        mutating func claim(where isIt: (Index) -> Bool) -> Claim {
            if let index = use(where: isIt) { return .kept(index) }
            guard !making else { return .busy }
            making = true
            return .claimed
        }

        /// Ends the making: keeps `made`, if any, dropping the least recently used beyond `maximum`.
        mutating func keep(_ made: Index?, maximum: Int) {
            making = false
            guard let made else { return }
            kept.append(made)
            if kept.count > maximum { kept.removeFirst() }
        }
    }

    private struct Orders {
        /// Orders prepared, the most recently used last.
        var kept: [PreparedOrder] = []
        /// The default order, once prepared.
        var pinned: PreparedOrder?
        /// Made-up orders asked for once, not prepared yet.
        var remembered: Set<String> = []
        /// Whether an order is being prepared.
        var preparing = false
    }

    /// A snapshot of `entities`, with nothing prepared yet.
    ///
    /// - Parameters:
    ///   - entities: The entities, each with its `name` and `source_id`.
    ///   - sourceLabels: Source id → the source's labels, for `sourceLabel`.
    ///   - configuration: The configuration the entities were loaded with.
    public convenience init(entities: [JSONValue], sourceLabels: [String: [String]], configuration: CatalogConfiguration = CatalogConfiguration()) {
        self.init(entities: entities, sourceLabels: sourceLabels, configuration: configuration, maximumTextIndexBytes: TextIndex.maximumBytes)
    }

    /// A snapshot whose text indexes keep at most `maximumTextIndexBytes` (for tests).
    ///
    /// - Parameters:
    ///   - entities: The entities, each with its `name` and `source_id`.
    ///   - sourceLabels: Source id → the source's labels, for `sourceLabel`.
    ///   - configuration: The configuration the entities were loaded with.
    ///   - maximumTextIndexBytes: The most bytes of text a text index keeps.
    init(entities: [JSONValue], sourceLabels: [String: [String]], configuration: CatalogConfiguration, maximumTextIndexBytes: Int) {
        self.maximumTextIndexBytes = maximumTextIndexBytes
        self.entities = entities
        self.sourceLabels = sourceLabels
        self.configuration = configuration
        self.names = entities.map(SourcedName.init)
    }

    /// The order called `identity`, or `nil` when the caller should choose its page without
    /// one: a made-up order asked for the first time, or another order being prepared.
    ///
    /// - Parameters:
    ///   - identity: What the order is (``ListQuery`` spells it).
    ///   - pinned: Whether it is the default order, which is never dropped.
    ///   - madeUp: Whether a client made the order up, so it waits for a second request.
    ///   - prepare: Sorts the snapshot in that order.
    func order(_ identity: String, pinned: Bool, madeUp: Bool, prepare: () -> PreparedOrder) -> PreparedOrder? {
        let kept = orders.withLock { orders -> PreparedOrder? in
            if let order = orders.pinned, order.identity == identity { return order }
            guard let index = orders.kept.firstIndex(where: { $0.identity == identity }) else { return nil }
            let order = orders.kept.remove(at: index)
            orders.kept.append(order)
            return order
        }
        if let kept { return kept }
        let preparing = orders.withLock { orders in
            guard !orders.preparing else { return false }
            if madeUp && orders.remembered.insert(identity).inserted {
                if orders.remembered.count > Self.maximumRemembered { orders.remembered = [identity] }
                return false
            }
            orders.preparing = true
            return true
        }
        guard preparing else { return nil }
        let prepared = prepare()
        orders.withLock { orders in
            orders.preparing = false
            orders.remembered.remove(identity)
            if pinned {
                orders.pinned = prepared
            } else {
                orders.kept.append(prepared)
                if orders.kept.count > Self.maximumPreparedOrders { orders.kept.removeFirst() }
            }
        }
        return prepared
    }

    /// The JSON of the entities at `positions` in the form `serve` gives them, each encoded
    /// once per snapshot: the engine's list pages and gets are assembled from these bytes.
    /// `serve` must be the same for every call (the engine's served form).
    ///
    /// - Returns: The JSON of each entity, or `nil` when one cannot be encoded.
    func servedJSON(at positions: [Int], serve: (JSONValue) -> JSONValue) -> [[UInt8]]? {
        var known = served.withLock { cache in positions.map { cache.isEmpty ? nil : cache[$0] } }
        var made: [(position: Int, json: [UInt8])] = []
        for (index, position) in positions.enumerated() where known[index] == nil {
            guard let json = try? JSONWriter.bytes(serve(entities[position])) else { return nil }
            known[index] = json
            made.append((position, json))
        }
        if !made.isEmpty {
            served.withLock { cache in
                if cache.isEmpty { cache = Array(repeating: nil, count: entities.count) }
                for entry in made { cache[entry.position] = entry.json }
            }
        }
        return known.map { $0! }
    }

    /// The position of the entity called `name`: of the earliest source that has it, or of
    /// `source`'s. A binary search of ``names`` (sorted by name, then source order): a catalog
    /// uses no index for a get.
    ///
    /// - Parameters:
    ///   - name: The entity's name.
    ///   - source: Its source's id, or `nil` for the earliest source's.
    /// - Returns: The position in ``entities``, or `nil`.
    func position(of name: String, source: String? = nil) -> Int? {
        var low = 0
        var high = names.count
        while low < high {
            let middle = (low + high) / 2
            if names[middle].name < name { low = middle + 1 } else { high = middle }
        }
        var position = low
        while position < names.count && names[position].name == name {
            if source == nil || names[position].source == source { return position }
            position += 1
        }
        return nil
    }

    /// The entities a query may match, when its filter's ``FilterQuery/indexedConditions`` and
    /// ``FilterQuery/textConditions`` or its `q` narrow them: each condition's index (a field
    /// index, or a text index) stamps the entities that may meet it and every condition before it.
    /// `nil` when no condition could be used.
    ///
    /// The work is bounded whatever the query names: at most ``maximumFieldIndexes``
    /// `=`/`IN` conditions and ``maximumTextIndexes`` text conditions (the `q` first) are
    /// used, those whose index is kept; one missing index is made when `making` (or when none
    /// narrowed) — a field index before a text index — and one of each kind at a time per
    /// snapshot (meanwhile a condition without its index is left to the query). Indexes, once
    /// made, are kept while the snapshot is in force: at most ``maximumFieldIndexes`` field
    /// indexes and ``maximumTextIndexes`` text indexes, the least recently used dropped first.
    /// Making one reads every entity's values once. Fields whose text would pass 64 MiB
    /// (`TextIndex.maximumBytes`) get no text index: their conditions are left to the query.
    ///
    /// - Parameters:
    ///   - filter: A request's filter, or `nil`.
    ///   - search: A request's `q`, or `nil`.
    ///   - making: Whether to make a missing index even when a kept one narrows.
    /// - Returns: The entities left, or `nil`.
    func narrowing(by filter: FilterQuery?, searching search: TextCondition? = nil, making: Bool) -> QueryNarrowing? {
        let equalities = filter?.indexedConditions.prefix(Self.maximumFieldIndexes) ?? []
        let texts = ((search.map { [$0] } ?? []) + (filter?.textConditions ?? [])).prefix(Self.maximumTextIndexes)
        guard !equalities.isEmpty || !texts.isEmpty, entities.count <= Int(Int32.max) else { return nil }
        var stamps: [UInt16] = []
        var met: UInt16 = 0
        var left = entities.count
        func stamp(_ body: (inout [UInt16], UInt16, UInt16) -> Int) {
            if stamps.isEmpty { stamps = Array(repeating: 0, count: entities.count) }
            left = body(&stamps, met, met + 1)
            met += 1
        }
        func apply(_ index: FieldIndex, _ condition: FilterQuery.IndexedCondition) {
            stamp { index.stamp(condition.literals, in: &$0, from: $1, to: $2) }
        }
        func apply(_ index: TextIndex, _ condition: TextCondition) {
            stamp { index.stamp(condition.needle, in: &$0, from: $1, to: $2) }
        }
        var missing: [FilterQuery.IndexedCondition] = []
        for condition in equalities where left > 0 {
            if let index = keptFieldIndex(for: condition.paths) {
                apply(index, condition)
            } else {
                missing.append(condition)
            }
        }
        var missingTexts: [TextCondition] = []
        for condition in texts where left > 0 && !textOverLimit.withLock({ $0.contains(condition.paths) }) {
            if let index = keptTextIndex(for: condition.paths) {
                apply(index, condition)
            } else {
                missingTexts.append(condition)
            }
        }
        if left > 0, making || met == 0 {
            if let paths = missing.first?.paths, let index = madeFieldIndex(for: paths) {
                // Every missing condition on that field (`a = 1 AND a IN (1, 2)`) uses it.
                for condition in missing where condition.paths == paths { apply(index, condition) }
                missing.removeAll { $0.paths == paths }
            } else if let paths = missingTexts.first?.paths, let index = madeTextIndex(for: paths) {
                // Every missing condition on those fields (`q` and `name LIKE` on a catalog searching `name`) uses it.
                for condition in missingTexts where condition.paths == paths { apply(index, condition) }
                missingTexts.removeAll { $0.paths == paths }
            } else if let paths = missingTexts.first?.paths, textOverLimit.withLock({ $0.contains(paths) }) {
                // Its text is over the limit: there is nothing to make.
                missingTexts.removeAll { $0.paths == paths }
            }
        }
        guard met > 0 else { return nil }
        return QueryNarrowing(stamps: stamps, met: met, isComplete: left == 0 || (missing.isEmpty && missingTexts.isEmpty))
    }

    /// The kept index of the field at `paths`, if there is one (it becomes the most recently used).
    private func keptFieldIndex(for paths: [[String]]) -> FieldIndex? {
        fieldIndexes.withLock { $0.use { $0.paths == paths } }
    }

    /// The index of the field at `paths`: kept, or made now; `nil` while another is being made.
    private func madeFieldIndex(for paths: [[String]]) -> FieldIndex? {
        made(in: fieldIndexes, where: { $0.paths == paths }, keeping: Self.maximumFieldIndexes) {
            FieldIndex(entities: entities, paths: paths)
        }
    }

    /// The kept text index of the fields at `paths`, if there is one (it becomes the most recently used).
    private func keptTextIndex(for paths: [[String]]) -> TextIndex? {
        textIndexes.withLock { $0.use { $0.paths == paths } }
    }

    /// The text index of the fields at `paths`: kept, or made now; `nil` while another is being
    /// made, or when their text is over ``TextIndex/maximumBytes`` (remembered, not kept).
    private func madeTextIndex(for paths: [[String]]) -> TextIndex? {
        made(in: textIndexes, where: { $0.paths == paths }, keeping: Self.maximumTextIndexes) {
            let index = TextIndex(entities: entities, paths: paths, maximumBytes: maximumTextIndexBytes)
            // The buffer grew by doubling: give the allocator's free pages back.
            FreedMemory.release()
            guard index.isOverLimit else { return index }
            textOverLimit.withLock { overLimit in
                // Fields a client names; each was read in full to learn it, so they are few.
                if overLimit.count >= Self.maximumRemembered { overLimit = [] }
                overLimit.insert(paths)
            }
            return nil
        }
    }

    /// The index of `indexes` that `isIt` picks: kept, or made now by `make` and kept (at most
    /// `maximum`); `nil` while another is being made, or when `make` gives none.
    private func made<Index: Sendable>(
        in indexes: borrowing Mutex<Indexes<Index>>, where isIt: @Sendable (Index) -> Bool, keeping maximum: Int, make: () -> Index?
    ) -> Index? {
        switch indexes.withLock({ $0.claim(where: isIt) }) {
        case .kept(let index): return index
        case .busy: return nil
        case .claimed:
            let index = make()
            indexes.withLock { $0.keep(index, maximum: maximum) }
            return index
        }
    }

    /// How many field indexes are kept (for tests).
    var fieldIndexCount: Int { fieldIndexes.withLock { $0.kept.count } }

    /// How many text indexes are kept (for tests).
    var textIndexCount: Int { textIndexes.withLock { $0.kept.count } }

    /// How many orders are kept besides the default one (for tests).
    var preparedOrderCount: Int { orders.withLock { $0.kept.count } }
}
