import Foundation

/// A change to the shared state, announced by the replica that made it on
/// ``DatabaseSchema/channel`` in the transaction that stores it, so the others hear of it
/// once it is committed.
enum StateChange: Codable, Equatable, Sendable {
    /// A new version of the managed configuration layer.
    case configuration
    /// One entity's overlay changed.
    case overlay(plugin: String, entity: String)
    /// Overlays changed, too many or too long to name (an import).
    case overlays
    /// A source (or, with `nil`, every source) of a plugin was refreshed: every replica
    /// re-reads it, since the rate limit lets only one replica take the request.
    case refresh(plugin: String, source: String?)

    /// PostgreSQL refuses a notification payload of 8000 bytes or more.
    static let maximumPayload = 7900

    /// The notification's payload: `{"replica": …, "change": …}`, naming less when it would be too long.
    func payload(replica: String) -> String {
        let text = Self.encode(self, replica: replica)
        guard text.utf8.count > Self.maximumPayload else { return text }
        switch self {
        case .overlay: return Self.encode(.overlays, replica: replica)
        case .refresh(let plugin, _): return Self.encode(.refresh(plugin: plugin, source: nil), replica: replica)
        case .configuration, .overlays: return text
        }
    }

    /// Reads a payload; `nil` for one this server does not understand (a newer replica's).
    static func parse(_ payload: String) -> (replica: String, change: StateChange)? {
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(payload.utf8)) else { return nil }
        return (envelope.replica, envelope.change)
    }

    private struct Envelope: Codable {
        var replica: String
        var change: StateChange
    }

    private static func encode(_ change: StateChange, replica: String) -> String {
        String(decoding: (try? JSONEncoder().encode(Envelope(replica: replica, change: change))) ?? Data(), as: UTF8.self)
    }
}
