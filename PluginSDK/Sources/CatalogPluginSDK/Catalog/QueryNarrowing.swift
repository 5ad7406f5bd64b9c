/// The entities of a snapshot a query may match, as the snapshot's indexes left them
/// (``EntitySnapshot/narrowing(by:searching:making:)``): the field indexes of its filter's `=`
/// and `IN`, and the text indexes of its `LIKE`s and its `q`. The query is still evaluated on each.
struct QueryNarrowing: Sendable {
    /// Per entity, how many of the indexed conditions it met in turn.
    let stamps: [UInt16]
    /// How many conditions were used: an entity that met them all is left.
    let met: UInt16
    /// Whether no index is missing that could narrow further: each of the conditions
    /// considered (the first ``EntitySnapshot/maximumFieldIndexes`` `=`/`IN` conditions and
    /// ``EntitySnapshot/maximumTextIndexes`` text conditions) had its index applied or has
    /// none to make, or no entity is left.
    let isComplete: Bool

    /// Whether the entity at `position` may match.
    ///
    /// - Parameter position: A position in the snapshot's entities.
    /// - Returns: `false` when an indexed condition rules it out.
    func admits(_ position: Int) -> Bool { stamps[position] == met }
}
