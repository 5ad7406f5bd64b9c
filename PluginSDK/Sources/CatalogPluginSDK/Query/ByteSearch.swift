#if canImport(Glibc)
import Glibc
#endif

/// Finds bytes in bytes: the C library's `memmem` where there is one, else a plain loop.
///
/// ```swift
/// ByteSearch.firstOffset(of: needle, in: haystack)   // 3 for "lo" in "hello"
/// ```
enum ByteSearch {
    private typealias MemoryFind = @convention(c) (UnsafeRawPointer?, Int, UnsafeRawPointer?, Int) -> UnsafeMutableRawPointer?

    /// `memmem`, a GNU extension Glibc's module does not declare, looked up by name.
    private static let memoryFind: MemoryFind? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(nil, "memmem") else { return nil }
        return unsafeBitCast(symbol, to: MemoryFind.self)
        #else
        return nil
        #endif
    }()

    /// Whether the C library's search is used (for tests).
    static var usesMemoryFind: Bool { memoryFind != nil }

    /// The offset of the first occurrence of `needle` in `haystack`.
    ///
    /// - Parameters:
    ///   - needle: The bytes to find; not empty.
    ///   - haystack: The bytes to search.
    /// - Returns: The offset in `haystack`, or `nil` when `needle` does not occur.
    static func firstOffset(of needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Int? {
        guard let memoryFind else { return firstOffsetByLoop(of: needle, in: haystack) }
        guard !needle.isEmpty, needle.count <= haystack.count, let base = haystack.baseAddress else { return nil }
        return memoryFind(base, haystack.count, needle.baseAddress, needle.count).map { base.distance(to: UnsafeRawPointer($0)) }
    }

    /// ``firstOffset(of:in:)`` without the C library.
    ///
    /// - Parameters:
    ///   - needle: The bytes to find; not empty.
    ///   - haystack: The bytes to search.
    /// - Returns: The offset in `haystack`, or `nil` when `needle` does not occur.
    static func firstOffsetByLoop(of needle: UnsafeRawBufferPointer, in haystack: UnsafeRawBufferPointer) -> Int? {
        guard !needle.isEmpty, needle.count <= haystack.count else { return nil }
        return (0...(haystack.count - needle.count)).first { start in
            (0..<needle.count).allSatisfy { haystack[start + $0] == needle[$0] }
        }
    }
}
