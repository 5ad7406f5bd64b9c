import Synchronization

/// One loaded generation of a catalog: its entities, the labels of their sources, and the list
/// orders prepared for them.
///
/// A list of a large catalog must not key and sort every entity per request. The first list
/// request in an order (its `orderBy` and direction) sorts the snapshot once; the snapshot
/// keeps that order while it is in force, so later requests find their page token's place by
/// binary search and read entities in order until the page is full. A reload builds a new
/// snapshot, so a prepared order never outlives the entities it sorts. At most
/// ``maximumPreparedOrders`` orders are kept per snapshot (the least recently used goes first),
/// since clients choose `orderBy`.
///
/// ``CatalogEngine/entitySnapshot`` is the one in force; ``ListQuery/run(on:where:)`` lists it:
///
/// ```swift
/// routes.get("/tools/featured") { [engine] request in
///     let query = try ListQuery(request, definition: engine.definition)
///     return .json(query.run(on: engine.entitySnapshot) { $0["featured"]?.boolValue == true })
/// }
/// ```
public final class EntitySnapshot: Sendable {
    /// Orders kept per snapshot: each costs a position and a sort key per entity.
    public static let maximumPreparedOrders = 8

    /// Every entity, sorted by name, then by source order.
    public let entities: [JSONValue]
    /// Source id → the source's labels.
    public let sourceLabels: [String: [String]]
    /// Each entity's source and name, by position: ties in every order are broken by them.
    let names: [SourcedName]
    /// Orders prepared so far, the most recently used last.
    private let orders = Mutex<[PreparedOrder]>([])
    /// Entities as the engine serves them, encoded on first use: position → JSON.
    private let served = Mutex<[Int: [UInt8]]>([:])

    /// A snapshot of `entities`, with no order prepared yet.
    ///
    /// - Parameters:
    ///   - entities: The entities, each with its `name` and `source_id`.
    ///   - sourceLabels: Source id → the source's labels, for `sourceLabel`.
    public init(entities: [JSONValue], sourceLabels: [String: [String]]) {
        self.entities = entities
        self.sourceLabels = sourceLabels
        self.names = entities.map(SourcedName.init)
    }

    /// The order called `identity`, prepared by `prepare` the first time it is asked for.
    ///
    /// Two requests asking for a new order at once may both prepare it; the first one kept wins.
    func order(_ identity: String, prepare: () -> PreparedOrder) -> PreparedOrder {
        let kept = orders.withLock { orders -> PreparedOrder? in
            guard let index = orders.firstIndex(where: { $0.identity == identity }) else { return nil }
            let order = orders.remove(at: index)
            orders.append(order)
            return order
        }
        if let kept { return kept }
        let prepared = prepare()
        return orders.withLock { orders in
            if let existing = orders.first(where: { $0.identity == identity }) { return existing }
            orders.append(prepared)
            if orders.count > Self.maximumPreparedOrders { orders.removeFirst() }
            return prepared
        }
    }

    /// The JSON of the entities at `positions` in the form `serve` gives them, each encoded
    /// once per snapshot: list pages and gets are assembled from these bytes. `serve` must be
    /// the same for every call (the engine's served form).
    ///
    /// - Returns: The JSON of each entity, or `nil` when one cannot be encoded.
    func servedJSON(at positions: [Int], serve: (JSONValue) -> JSONValue) -> [[UInt8]]? {
        var known = served.withLock { cache in positions.map { cache[$0] } }
        var made: [(position: Int, json: [UInt8])] = []
        for (index, position) in positions.enumerated() where known[index] == nil {
            guard let json = try? JSONWriter.bytes(serve(entities[position])) else { return nil }
            known[index] = json
            made.append((position, json))
        }
        if !made.isEmpty { served.withLock { cache in for entry in made { cache[entry.position] = entry.json } } }
        return known.map { $0! }
    }

    /// How many orders are prepared (for tests).
    var preparedOrderCount: Int { orders.withLock { $0.count } }
}

/// The entities of an ``EntitySnapshot`` in one list order.
struct PreparedOrder: Sendable {
    /// What the order is: sort field, how its key is read, direction.
    let identity: String
    /// Entity positions in the snapshot, in list order.
    let positions: [Int]
    /// Each entity's sort key, by position in the snapshot.
    let keys: [SortKey]
}
