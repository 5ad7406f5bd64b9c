/// The version of catalog-server, which plugins can require a minimum of.
public enum CatalogServerVersion {
    public static let current = "0.5.0"
}

/// A `MAJOR.MINOR.PATCH` version, compared numerically.
struct SemanticVersion: Comparable {
    var parts: [Int]

    init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        guard parts.count == 3, parts.allSatisfy({ ($0 ?? -1) >= 0 }) else { return nil }
        self.parts = parts.map { $0! }
    }

    static func < (left: SemanticVersion, right: SemanticVersion) -> Bool {
        left.parts.lexicographicallyPrecedes(right.parts)
    }
}
