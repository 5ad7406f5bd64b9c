/// The text of some fields of every entity of a snapshot, lower-cased in one buffer: a
/// ``TextCondition`` — a `q`, or a filter's `LIKE` — that few entities meet is one scan of
/// the buffer, not a read of every entity.
///
/// An index only narrows: ``stamp(_:in:from:to:)`` marks every entity whose text may contain
/// the searched text — a superset of those the condition holds for — and the query is still
/// evaluated on each. Values are read as the query reads them (``FieldValues/contains(at:in:where:)``,
/// ``FieldValues/text(_:)``). A value that is plain ASCII (``ASCIIText/isPlain(_:)``) is kept
/// lower-cased, followed by a 0 byte; an entity with any other value is kept aside and always
/// marked, since matching beyond ASCII is not a byte matter (the Kelvin sign lower-cases to
/// `k` and equals `K`).
///
/// It costs the bytes of the values plus one per value, and 8 bytes per entity: about 11 MiB
/// for 100 000 models searched by name, description, provider, library and tasks. An index
/// whose text would pass ``maximumBytes`` keeps none (``isOverLimit``) and is not used.
struct TextIndex: Sendable {
    /// The most bytes of text an index keeps: 64 MiB.
    static let maximumBytes = 64 << 20

    /// The paths read.
    let paths: [[String]]
    /// The plain values' bytes, lower-cased, entity after entity, each value followed by a 0;
    /// empty when the text would pass ``maximumBytes``.
    private let bytes: [UInt8]
    /// Where each entity's values start in `bytes`; one more than there are entities. Empty
    /// when the text would pass ``maximumBytes``.
    private let starts: [Int]
    /// The positions of entities with a value that is not plain ASCII.
    private let unindexed: [Int]

    /// Whether the text would pass ``maximumBytes``, so that the index holds none.
    var isOverLimit: Bool { starts.isEmpty }

    /// Reads every entity's values at `paths` once, until their text would pass `maximumBytes`.
    ///
    /// - Parameters:
    ///   - entities: A snapshot's entities.
    ///   - paths: The paths searched.
    ///   - maximumBytes: The most bytes of text kept (tests give less).
    init(entities: [JSONValue], paths: [[String]], maximumBytes: Int = Self.maximumBytes) {
        self.paths = paths
        var bytes: [UInt8] = []
        var starts: [Int] = []
        starts.reserveCapacity(entities.count + 1)
        var unindexed: [Int] = []
        var overLimit = false
        for (position, entity) in entities.enumerated() where !overLimit {
            let start = bytes.count
            starts.append(start)
            var plain = true
            for path in paths where plain && !overLimit {
                _ = FieldValues.contains(at: path, in: entity) { value in
                    guard let text = FieldValues.text(value) else { return false }
                    let kept: ()? = ASCIIText.withPlainBytes(of: text) { text in
                        guard bytes.count + text.count < maximumBytes else {
                            overLimit = true
                            return
                        }
                        for byte in text { bytes.append(ASCIIText.lowered(byte)) }
                        bytes.append(0)
                    }
                    plain = kept != nil
                    return !plain || overLimit
                }
            }
            if !plain {
                bytes.removeSubrange(start...)
                unindexed.append(position)
            }
        }
        starts.append(bytes.count)
        (self.bytes, self.starts, self.unindexed) = overLimit ? ([], [], []) : (bytes, starts, unindexed)
    }

    /// Moves the stamp of every entity whose text may contain `needle` from `previous` to
    /// `next`: entities that met every earlier condition (stamped `previous`) and may meet this one.
    ///
    /// - Parameters:
    ///   - needle: The searched text: lower-cased plain ASCII, not empty (``TextCondition/needle``).
    ///   - stamps: One stamp per entity of the snapshot.
    ///   - previous: The stamp of entities that met every earlier condition.
    ///   - next: The stamp they get when they may meet this one.
    /// - Returns: How many entities got `next`.
    func stamp(_ needle: [UInt8], in stamps: inout [UInt16], from previous: UInt16, to next: UInt16) -> Int {
        precondition(!needle.isEmpty && !isOverLimit, "a text index finds text it holds")
        var moved = 0
        func move(_ position: Int) {
            if stamps[position] == previous {
                stamps[position] = next
                moved += 1
            }
        }
        bytes.withUnsafeBytes { bytes in
            needle.withUnsafeBytes { needle in
                var from = 0
                var position = 0
                while let found = ByteSearch.firstOffset(of: needle, in: UnsafeRawBufferPointer(rebasing: bytes[from...])) {
                    // The entity whose values hold the match: the last that starts at or before it.
                    let offset = from + found
                    var high = starts.count - 1
                    while position + 1 < high {
                        let middle = (position + high) / 2
                        if starts[middle] <= offset { position = middle } else { high = middle }
                    }
                    move(position)
                    // Its other matches change nothing: go on from the next entity.
                    from = starts[position + 1]
                }
            }
        }
        for position in unindexed { move(position) }
        return moved
    }
}
