import CCatalogPlugin

/// Reads ABI structs a plugin wrote, never past the `struct_size` it declared.
///
/// Every ABI struct starts with `uint32_t struct_size`. A writer built against an older minor
/// declares a smaller size; members beyond it read as zero (NULL), as the header's rule says.
enum StructPrefix {
    /// The `struct_size` the writer declared, read without touching any other member.
    static func declaredSize<Struct>(_ pointer: UnsafePointer<Struct>) -> Int {
        Int(UnsafeRawPointer(pointer).loadUnaligned(as: UInt32.self))
    }

    /// A copy of the members inside the declared size; the rest zero.
    static func copy<Struct>(_ pointer: UnsafePointer<Struct>, zero: Struct) -> Struct {
        var copy = zero
        let count = min(declaredSize(pointer), MemoryLayout<Struct>.size)
        withUnsafeMutableBytes(of: &copy) { destination in
            destination.copyMemory(from: UnsafeRawBufferPointer(start: pointer, count: count))
        }
        return copy
    }

    static func copy(_ pointer: UnsafePointer<catalog_plugin_descriptor>) -> catalog_plugin_descriptor {
        copy(pointer, zero: catalog_plugin_descriptor())
    }

    static func copy(_ pointer: UnsafePointer<catalog_response>) -> catalog_response {
        copy(pointer, zero: catalog_response())
    }
}
