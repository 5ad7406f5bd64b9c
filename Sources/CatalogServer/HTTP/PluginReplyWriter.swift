import HTTPTypes
import Hummingbird
import Logging

/// Turns a plugin's answer into an HTTP response that the plugin cannot use to shape the
/// connection's framing.
///
/// The server alone decides how a message is delimited and whether the connection stays
/// open: every header that does so (`Content-Length`, `Transfer-Encoding`, `Connection`,
/// hop-by-hop headers, and `Content-Type`, which comes from the response's own member) is
/// dropped from the plugin's headers. A status must lie in 200–599 (an informational 1xx
/// answer is refused with 502), and a 204 or 304 is sent without a body.
enum PluginReplyWriter {
    /// Header names a plugin may not set (lower case).
    static let reservedHeaders: Set<String> = [
        "content-length", "transfer-encoding", "connection", "keep-alive", "proxy-connection", "upgrade", "te",
        "trailer", "content-type", "date", "server",
    ]

    private static let logger = Logger(label: "catalog.http")

    /// The response for `answer` of plugin `plugin`.
    ///
    /// - Throws: ``APIError`` (502) for a status outside 200–599.
    static func response(for answer: PluginReply, plugin: String) throws -> BufferedResponse {
        guard (200...599).contains(answer.status) else {
            throw APIError(
                status: .badGateway,
                message: "plugin \"\(plugin)\" answered with status \(answer.status); a plugin answers with 200–599")
        }
        var headers: HTTPFields = [.contentType: answer.contentType]
        var dropped: [String] = []
        for header in answer.headers {
            guard let name = HTTPField.Name(header.name), !reservedHeaders.contains(name.canonicalName) else {
                dropped.append(header.name)
                continue
            }
            headers.append(HTTPField(name: name, value: header.value))
        }
        if !dropped.isEmpty {
            logger.debug("dropped response headers of plugin \"\(plugin)\" that only the server sets: \(dropped.joined(separator: ", "))")
        }
        let status = HTTPResponse.Status(code: answer.status)
        if status == .noContent || status == .notModified {
            headers[.contentType] = nil
            return BufferedResponse(status: status, headers: headers)
        }
        return BufferedResponse(status: status, headers: headers, body: answer.body)
    }
}
