/// Answers of the Kubeflow catalog contract (`catalog-openapi.yaml`): list envelopes and errors.
///
/// ```swift
/// routes.get("/mcp_servers/{server_id}/tools") { request in
///     KubeflowResponse.answer { try OffsetPage(request).list(tools) }
/// }
/// ```
public enum KubeflowResponse {
    /// The contract's list envelope: `items`, `size`, `pageSize` and `nextPageToken`, `""` on
    /// the last page.
    ///
    /// - Parameters:
    ///   - items: The page.
    ///   - size: Items matching, over all pages.
    ///   - pageSize: The page size in force.
    ///   - next: The token of the next page, `nil` on the last.
    public static func list(_ items: [JSONValue], size: Int, pageSize: Int, next: String?) -> JSONValue {
        ["items": .array(items), "size": .integer(Int64(size)), "pageSize": .integer(Int64(pageSize)), "nextPageToken": .string(next ?? "")]
    }

    /// A ``ListPage`` in the contract's envelope.
    ///
    /// - Parameter page: The page.
    public static func list(_ page: ListPage) -> JSONValue {
        list(page.items, size: page.size, pageSize: page.pageSize, next: page.nextPageToken)
    }

    /// Runs `body` and answers its JSON, or its error as `{code, message}` (a ``PluginError``
    /// with its status, any other error as a 400: query parsers throw their own types).
    ///
    /// - Parameter body: Builds the answer.
    public static func answer(_ body: () throws -> JSONValue) -> PluginResponse {
        do {
            return .json(try body())
        } catch let error as PluginError {
            return .error(error.status, error.message)
        } catch {
            return .error(400, "\(error)")
        }
    }
}
