/// The entities of an ``EntitySnapshot`` in one list order, sorted once.
struct PreparedOrder: Sendable {
    /// What the order is: sort field, how its key is read, direction.
    let identity: String
    /// Entity positions in the snapshot, in list order.
    let positions: [Int]
    /// Each entity's sort key, by position in the snapshot.
    let keys: [SortKey]
}
