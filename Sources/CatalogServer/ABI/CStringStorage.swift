import CCatalogPlugin
import Foundation

/// Owns C copies of strings and pair arrays handed to a plugin for the duration of one call.
///
/// The copies go into one block reserved up front (a request's strings are copied in one
/// allocation, not one each); what does not fit gets a block of its own. Everything is freed
/// when the storage is released, which callers do only after the plugin function that borrowed
/// the pointers has returned.
final class CStringStorage {
    private var blocks: [UnsafeMutableRawPointer] = []
    private var nextFree: UnsafeMutableRawPointer?
    private var freeBytes = 0

    /// - Parameter capacity: Bytes to reserve: what ``bytes(for:)`` and ``bytes(forPairs:)``
    ///   count for everything the caller will copy.
    init(reserving capacity: Int = 0) {
        if capacity > 0 { addBlock(capacity) }
    }

    /// The bytes a copy of `string` takes.
    static func bytes(for string: String) -> Int { string.utf8.count + 1 }

    /// The bytes a copy of `pairs` takes.
    static func bytes(forPairs pairs: some Collection<(String, String)>) -> Int {
        pairs.isEmpty ? 0 : MemoryLayout<catalog_pair>.stride * pairs.count + MemoryLayout<catalog_pair>.alignment
            + pairs.reduce(0) { $0 + bytes(for: $1.0) + bytes(for: $1.1) }
    }

    /// The blocks allocated so far (for tests).
    var blockCount: Int { blocks.count }

    private func addBlock(_ size: Int) {
        let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        blocks.append(block)
        (nextFree, freeBytes) = (block, size)
    }

    private func allocate(_ byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
        if let free = nextFree {
            let padding = (alignment - Int(bitPattern: free) % alignment) % alignment
            if padding + byteCount <= freeBytes {
                nextFree = free + padding + byteCount
                freeBytes -= padding + byteCount
                return free + padding
            }
        }
        addBlock(max(byteCount + alignment - 1, 256))
        return allocate(byteCount, alignment: alignment)
    }

    /// A NUL-terminated copy of `string` (a C reader stops at its first NUL, if any).
    func string(_ string: String) -> UnsafePointer<CChar> {
        let count = string.utf8.count
        let copy = allocate(count + 1, alignment: 1)
        var string = string
        string.withUTF8 { bytes in
            if let base = bytes.baseAddress { copy.copyMemory(from: base, byteCount: count) }
        }
        copy.storeBytes(of: 0, toByteOffset: count, as: UInt8.self)
        return UnsafePointer(copy.bindMemory(to: CChar.self, capacity: count + 1))
    }

    /// A copy of `pairs` as a `catalog_pair` array; `nil` when empty.
    func pairs(_ pairs: some Collection<(String, String)>) -> UnsafePointer<catalog_pair>? {
        guard !pairs.isEmpty else { return nil }
        let array = allocate(MemoryLayout<catalog_pair>.stride * pairs.count, alignment: MemoryLayout<catalog_pair>.alignment)
            .bindMemory(to: catalog_pair.self, capacity: pairs.count)
        for (index, pair) in pairs.enumerated() {
            array[index] = catalog_pair(key: string(pair.0), value: string(pair.1))
        }
        return UnsafePointer(array)
    }

    /// A copy of `list` as an array of C strings; `nil` when empty.
    func stringArray(_ list: [String]) -> UnsafePointer<UnsafePointer<CChar>?>? {
        guard !list.isEmpty else { return nil }
        let array = allocate(MemoryLayout<UnsafePointer<CChar>?>.stride * list.count, alignment: MemoryLayout<UnsafePointer<CChar>?>.alignment)
            .bindMemory(to: UnsafePointer<CChar>?.self, capacity: list.count)
        for (index, element) in list.enumerated() {
            array[index] = string(element)
        }
        return UnsafePointer(array)
    }

    deinit {
        blocks.forEach { $0.deallocate() }
    }
}

extension String {
    /// Reads a C string a plugin passed in, repairing invalid UTF-8; `nil` for a NULL pointer.
    init?(pluginString pointer: UnsafePointer<CChar>?) {
        guard let pointer else { return nil }
        self.init(decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self)
    }
}

/// Reads `count` pairs from a plugin-owned array.
func pluginPairs(_ pairs: UnsafePointer<catalog_pair>?, count: Int) -> [(String, String)] {
    guard let pairs, count > 0 else { return [] }
    return (0..<count).compactMap { index in
        guard let key = String(pluginString: pairs[index].key) else { return nil }
        return (key, String(pluginString: pairs[index].value) ?? "")
    }
}
