import CCatalogPlugin

/// A response a plugin gave through `host->respond`, copied out of plugin memory.
public struct PluginResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, contentType: String = "application/json", headers: [(name: String, value: String)] = [], body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.headers = headers
        self.body = body
    }
}

/// How an asynchronous call into a plugin ended.
enum PluginCallOutcome: Sendable {
    /// A lifecycle call finished through `host->complete`.
    case completed(status: catalog_status, message: String?)
    /// A request or operation finished through `host->respond`.
    case responded(PluginResponse)
    /// The plugin did not answer before the deadline; a later answer is ignored.
    case timedOut
}
