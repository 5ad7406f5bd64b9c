import CCatalogPlugin

/// An ABI version, `major.minor`.
public struct ABIVersion: Sendable, Hashable, CustomStringConvertible {
    /// Incompatible changes raise it.
    public var major: UInt16
    /// Compatible additions raise it.
    public var minor: UInt16

    /// The version this host implements.
    public static let host = ABIVersion(major: UInt16(CATALOG_ABI_MAJOR), minor: UInt16(CATALOG_ABI_MINOR))

    /// Whether a host of this version can load a plugin built for `plugin`: same major, and
    /// a minor no newer than the host's.
    ///
    /// - Parameter plugin: The version the plugin was built for.
    public func accepts(_ plugin: ABIVersion) -> Bool {
        plugin.major == major && plugin.minor <= minor
    }

    public var description: String { "\(major).\(minor)" }
}
