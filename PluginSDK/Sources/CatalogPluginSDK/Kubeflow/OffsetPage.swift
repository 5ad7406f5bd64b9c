import Foundation

/// Paging of the contract's smaller lists (tools, artifacts, labels, sources, previews) by
/// position: `pageSize` and `nextPageToken`, the token an opaque offset.
///
/// Catalog entities page by cursor instead (``ListQuery``), so a reload between two pages
/// skips nothing; these lists belong to one entity or to the configuration and are short.
///
/// ```swift
/// routes.get("/models/{name}/labels") { request in
///     KubeflowResponse.answer { try OffsetPage(request).list(labels) }
/// }
/// ```
public struct OffsetPage: Sendable {
    /// Items per page: `pageSize`, 100 by default, at most 1000.
    public var pageSize: Int
    /// Where the page starts, from `nextPageToken`.
    public var offset: Int

    /// Reads `pageSize` and `nextPageToken` from `request`.
    ///
    /// - Parameters:
    ///   - request: The list request.
    ///   - lenient: For routes whose contract documents no 400: values that do not parse fall
    ///     back to the first page of the default size instead of throwing.
    /// - Throws: ``PluginError`` (400) naming the parameter.
    public init(_ request: PluginRequest, lenient: Bool = false) throws {
        pageSize = ListQuery.defaultPageSize
        offset = 0
        if let text = request.query("pageSize"), !text.isEmpty {
            if let size = Int(text), size > 0 {
                pageSize = min(size, ListQuery.maximumPageSize)
            } else if !lenient {
                throw PluginError.badRequest("pageSize must be a positive integer, got \"\(text)\"")
            }
        }
        if let token = request.query("nextPageToken"), !token.isEmpty {
            if let offset = Self.offset(token) {
                self.offset = offset
            } else if !lenient {
                throw PluginError.badRequest("nextPageToken is not a token this server issued")
            }
        }
    }

    /// The page of `items` in the contract's envelope.
    ///
    /// - Parameter items: The whole list, filtered and ordered.
    /// - Returns: The contract's list envelope (``KubeflowResponse/list(_:pageSize:next:)``).
    public func list(_ items: [JSONValue]) -> JSONValue {
        let page = Array(items.dropFirst(offset).prefix(pageSize))
        let next = offset + page.count < items.count ? Self.token(offset + page.count) : nil
        return KubeflowResponse.list(page, pageSize: pageSize, next: next)
    }

    static func token(_ offset: Int) -> String {
        Data(#"{"offset":\#(offset)}"#.utf8).base64EncodedString()
    }

    static func offset(_ token: String) -> Int? {
        guard let data = Data(base64Encoded: token), let value = try? JSONCoding.decode(data), let offset = value["offset"]?.doubleValue,
            offset >= 0, offset < 1e9
        else { return nil }
        return Int(offset)
    }
}
