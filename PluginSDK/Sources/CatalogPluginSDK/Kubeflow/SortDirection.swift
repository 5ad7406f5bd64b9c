/// A request's `sortOrder`: `ASC` (the default) or `DESC`, case ignored.
public enum SortDirection {
    /// Whether `request` asks for descending order.
    ///
    /// - Parameters:
    ///   - request: The list request.
    ///   - lenient: For routes whose contract documents no 400: any other value is ascending.
    /// - Returns: `true` for `DESC`.
    /// - Throws: ``PluginError`` (400) for another value, unless `lenient`.
    public static func descending(_ request: PluginRequest, lenient: Bool = false) throws -> Bool {
        switch request.query("sortOrder")?.uppercased() ?? "" {
        case "", "ASC": return false
        case "DESC": return true
        case let other:
            if lenient { return false }
            throw PluginError.badRequest("sortOrder must be ASC or DESC, got \"\(other)\"")
        }
    }
}
