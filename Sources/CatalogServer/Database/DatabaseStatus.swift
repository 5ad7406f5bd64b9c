import Foundation

/// Whether a server reaches its state database.
public enum DatabaseStatus: Sendable, Equatable {
    /// Connected and following the other replicas' changes.
    case connected
    /// Out of reach since `since`, for `reason`.
    case unavailable(reason: String, since: Date)
}
