#if canImport(Glibc)
import Glibc
#endif

/// The text a list's `q` searches, of every entity of a snapshot, lower-cased in one buffer: a
/// `q` that few entities meet is one scan of the buffer, not a read of every entity.
///
/// An index only narrows: ``stamp(_:in:from:to:)`` marks every entity whose text may contain
/// the searched text — a superset of those the search finds it in — and the query is still
/// evaluated on each. Values are read as the search reads them (``FieldValues/contains(at:in:where:)``,
/// ``FieldValues/text(_:)``). A value that is plain ASCII (``ASCIIText/isPlain(_:)``) is kept
/// lower-cased, followed by a 0 byte; an entity with any other value is kept aside and always
/// marked, since lower-casing beyond ASCII (`K`, the Kelvin sign, is `k`) is not a byte
/// matter. A search for text that is not plain ASCII is not narrowed.
///
/// It costs the bytes of the searched values plus one per value, and 8 bytes per entity: about
/// 13 MiB for 100 000 models searched by name, description, provider, library and tasks.
struct TextIndex: Sendable {
    /// The paths read (a list's search fields).
    let paths: [[String]]
    /// The plain values' bytes, lower-cased, entity after entity, each value followed by a 0.
    private let text: [UInt8]
    /// Where each entity's values start in `text`; one more than there are entities.
    private let starts: [Int]
    /// The positions of entities with a value that is not plain ASCII.
    private let unindexed: [Int]

    /// Reads every entity's values at `paths` once.
    ///
    /// - Parameters:
    ///   - entities: A snapshot's entities.
    ///   - paths: The paths searched.
    init(entities: [JSONValue], paths: [[String]]) {
        var text: [UInt8] = []
        var starts: [Int] = []
        starts.reserveCapacity(entities.count + 1)
        var unindexed: [Int] = []
        for (position, entity) in entities.enumerated() {
            let start = text.count
            starts.append(start)
            var plain = true
            for path in paths where plain {
                _ = FieldValues.contains(at: path, in: entity) { value in
                    guard let value = FieldValues.text(value) else { return false }
                    let kept: ()? = ASCIIText.withPlainBytes(of: value) { bytes in
                        for byte in bytes { text.append(ASCIIText.lowered(byte)) }
                        text.append(0)
                    }
                    plain = kept != nil
                    return !plain
                }
            }
            if !plain {
                text.removeSubrange(start...)
                unindexed.append(position)
            }
        }
        starts.append(text.count)
        self.paths = paths
        self.text = text
        self.starts = starts
        self.unindexed = unindexed
    }

    /// Moves the stamp of every entity whose text may contain `search`'s from `previous` to
    /// `next`: entities that met every earlier condition (stamped `previous`) and may meet this one.
    ///
    /// - Parameters:
    ///   - search: A `q`; its text must be plain ASCII (``TextSearch/ascii``).
    ///   - stamps: One stamp per entity of the snapshot.
    ///   - previous: The stamp of entities that met every earlier condition.
    ///   - next: The stamp they get when they may meet this one.
    /// - Returns: How many entities got `next`.
    func stamp(_ search: TextSearch, in stamps: inout [UInt16], from previous: UInt16, to next: UInt16) -> Int {
        guard let needle = search.ascii, !needle.isEmpty else { preconditionFailure("a text index finds plain ASCII text") }
        var moved = 0
        func move(_ position: Int) {
            if stamps[position] == previous {
                stamps[position] = next
                moved += 1
            }
        }
        text.withUnsafeBytes { text in
            needle.withUnsafeBytes { needle in
                var from = 0
                var position = 0
                while text.count - from >= needle.count,
                    let offset = Self.find(needle, in: UnsafeRawBufferPointer(rebasing: text[from...])).map({ from + $0 })
                {
                    // The entity whose values hold the match: the last that starts at or before it.
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

    private typealias MemoryFind = @convention(c) (UnsafeRawPointer?, Int, UnsafeRawPointer?, Int) -> UnsafeMutableRawPointer?

    /// The C library's `memmem` (a GNU extension, which Glibc's module does not declare),
    /// looked up by name; elsewhere a plain loop finds the text.
    private static let memoryFind: MemoryFind? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(nil, "memmem") else { return nil }
        return unsafeBitCast(symbol, to: MemoryFind.self)
        #else
        return nil
        #endif
    }()

    /// The offset of the first occurrence of `needle` in `haystack`, or `nil`.
    private static func find(_ needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Int? {
        guard needle.count <= haystack.count, let base = haystack.baseAddress else { return nil }
        if let memoryFind {
            return memoryFind(base, haystack.count, needle.baseAddress, needle.count).map { base.distance(to: UnsafeRawPointer($0)) }
        }
        return (0...(haystack.count - needle.count)).first { start in
            (0..<needle.count).allSatisfy { haystack[start + $0] == needle[$0] }
        }
    }
}
