/// How long the host waits for a plugin to answer each kind of call.
public struct CallDeadlines: Sendable {
    /// `init`, and `config.apply` when the configuration changes.
    public var initialize: Duration
    /// `start`.
    public var start: Duration
    /// `stop`, at shutdown.
    public var stop: Duration
    /// One HTTP request; past it the client gets 504.
    public var request: Duration
    /// One capability operation (capabilities document, status, management).
    public var operation: Duration

    public init(
        initialize: Duration = .seconds(60), start: Duration = .seconds(60), stop: Duration = .seconds(10),
        request: Duration = .seconds(30), operation: Duration = .seconds(30)
    ) {
        self.initialize = initialize
        self.start = start
        self.stop = stop
        self.request = request
        self.operation = operation
    }
}
