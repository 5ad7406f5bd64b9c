import Foundation

/// What the server allows a client connection: how long it may take to send a request head,
/// how long it may sit idle, and how many connections may be open at once.
///
/// Every limit is logged when it is hit (at most once per ``ThrottledLog/interval`` per
/// kind, with a count), so an operator sees a slow-client attack or an exhausted limit.
public struct ConnectionLimits: Sendable, Hashable {
    /// From accepting a connection until its first request head is complete; past it the
    /// connection is closed. `--request-head-timeout`, default 10 s.
    public var requestHeadTimeout: Duration
    /// A keep-alive connection with no request in progress, or a request body that stalls,
    /// is closed after this long. `--idle-timeout`, default 60 s.
    public var idleTimeout: Duration
    /// Open client connections; beyond it the server stops accepting until one closes.
    /// `--max-connections`, default ``defaultMaximumConnections``.
    public var maximumConnections: Int

    public init(
        requestHeadTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(60),
        maximumConnections: Int = ConnectionLimits.defaultMaximumConnections
    ) {
        self.requestHeadTimeout = requestHeadTimeout
        self.idleTimeout = idleTimeout
        self.maximumConnections = maximumConnections
    }

    /// 4096, or fewer when the process may open fewer files: the soft `RLIMIT_NOFILE` less
    /// 256 descriptors kept for plugin files, worker processes, stores and logs.
    public static var defaultMaximumConnections: Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 4096 }
        return max(16, min(4096, Int(clamping: limit.rlim_cur) - 256))
    }

    /// Raises the soft limit on open files to the hard limit, as servers do at start-up.
    public static func raiseOpenFileLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}
