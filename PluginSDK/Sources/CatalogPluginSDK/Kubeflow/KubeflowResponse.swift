/// Answers of the Kubeflow catalog contract (`catalog-openapi.yaml`): list envelopes and errors.
///
/// ```swift
/// routes.get("/mcp_servers/{server_id}/tools") { request in
///     KubeflowResponse.answer { try OffsetPage(request).list(tools) }
/// }
/// ```
public enum KubeflowResponse {
    /// The contract's list envelope: `items`, `size` (the number of items, as upstream counts
    /// it), `pageSize` and `nextPageToken`, `""` on the last page.
    ///
    /// - Parameters:
    ///   - items: The page.
    ///   - pageSize: The page size in force.
    ///   - next: The token of the next page, `nil` on the last.
    /// - Returns: `{items, size, pageSize, nextPageToken}`.
    public static func list(_ items: [JSONValue], pageSize: Int, next: String?) -> JSONValue {
        ["items": .array(items), "size": .integer(Int64(items.count)), "pageSize": .integer(Int64(pageSize)), "nextPageToken": .string(next ?? "")]
    }

    /// Runs `body` and answers its JSON, or its error as `{code, message}` (a ``PluginError``
    /// with its status, any other error as a 400: query parsers throw their own types).
    ///
    /// - Parameter body: Builds the answer.
    /// - Returns: `body`'s value as a 200 JSON response, or the error response.
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
