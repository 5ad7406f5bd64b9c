import CCatalogPlugin
import Foundation

/// Owns C copies of strings and pair arrays handed to a plugin for the duration of one call.
///
/// Everything is freed when the storage is released, which callers do only after the plugin
/// function that borrowed the pointers has returned.
final class CStringStorage {
    private var strings: [UnsafeMutablePointer<CChar>] = []
    private var pairArrays: [UnsafeMutablePointer<catalog_pair>] = []
    private var pointerArrays: [UnsafeMutablePointer<UnsafePointer<CChar>?>] = []

    init() {}

    /// A NUL-terminated copy of `string`.
    func string(_ string: String) -> UnsafePointer<CChar> {
        let copy = strdup(string)!
        strings.append(copy)
        return UnsafePointer(copy)
    }

    /// A copy of `pairs` as a `catalog_pair` array; `nil` when empty.
    func pairs(_ pairs: some Collection<(String, String)>) -> UnsafePointer<catalog_pair>? {
        guard !pairs.isEmpty else { return nil }
        let array = UnsafeMutablePointer<catalog_pair>.allocate(capacity: pairs.count)
        for (index, pair) in pairs.enumerated() {
            array[index] = catalog_pair(key: string(pair.0), value: string(pair.1))
        }
        pairArrays.append(array)
        return UnsafePointer(array)
    }

    /// A copy of `list` as an array of C strings; `nil` when empty.
    func stringArray(_ list: [String]) -> UnsafePointer<UnsafePointer<CChar>?>? {
        guard !list.isEmpty else { return nil }
        let array = UnsafeMutablePointer<UnsafePointer<CChar>?>.allocate(capacity: list.count)
        for (index, element) in list.enumerated() {
            array[index] = string(element)
        }
        pointerArrays.append(array)
        return UnsafePointer(array)
    }

    deinit {
        strings.forEach { free($0) }
        pairArrays.forEach { $0.deallocate() }
        pointerArrays.forEach { $0.deallocate() }
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
