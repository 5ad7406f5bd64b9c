#if canImport(Glibc)
import Glibc
#endif

/// Gives the memory a catalog load freed back to the system.
///
/// Reading a large data file allocates and frees a great deal in small pieces (parser buffers,
/// scalars, the replaced snapshot); glibc's allocator keeps freed pieces for reuse, so the
/// process would stay as large as at the peak of the load. `malloc_trim(0)` returns whole free
/// pages. Glibc's module does not declare it (it lives in `malloc.h`), so it is looked up by
/// name; elsewhere nothing is done.
enum FreedMemory {
    private typealias Trim = @convention(c) (Int) -> Int32

    private static let trim: Trim? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: Trim.self)
        #else
        return nil
        #endif
    }()

    /// Returns free pages of the allocator to the system; a few milliseconds for a large heap.
    static func release() {
        _ = trim?(0)
    }
}
