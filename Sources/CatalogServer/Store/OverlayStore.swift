import CatalogJSON
import Foundation

/// What operators added to an entity through the builtin actions: tags, annotations and a
/// lifecycle. The host keeps overlays, not the plugins, and applies them to every read.
public struct EntityOverlay: Codable, Sendable, Equatable {
    public var tags: [String] = []
    public var annotations: [String: String] = [:]
    /// `deprecated`, or `nil` for the entity's own lifecycle.
    public var lifecycle: String?
    /// The deprecation phase given to `deprecate`, if any.
    public var deprecationPhase: String?
    public var updatedAt: Date?

    public init() {}

    /// Whether the overlay adds nothing.
    public var isEmpty: Bool { tags.isEmpty && annotations.isEmpty && lifecycle == nil }

    /// The overlay as served beside an entity: `{"tags", "annotations", "lifecycle"?, "deprecationPhase"?, "updatedAt"?}`.
    public var json: JSONValue {
        var object: [String: JSONValue] = [
            "tags": .array(tags.map(JSONValue.string)),
            "annotations": .object(annotations.mapValues(JSONValue.string)),
        ]
        if let lifecycle { object["lifecycle"] = .string(lifecycle) }
        if let deprecationPhase { object["deprecationPhase"] = .string(deprecationPhase) }
        if let updatedAt { object["updatedAt"] = .string(ISO8601DateFormatter().string(from: updatedAt)) }
        return .object(object)
    }

    /// How stores write overlays: sorted keys, ISO 8601 times.
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    /// How stores read overlays back.
    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

/// Where overlays are kept, per plugin and entity name.
///
/// ``FileOverlayStore`` is the default; ``PostgresOverlayStore`` shares overlays between
/// replicas. Reads come from memory, so they never wait for a disk or a database; `update` is
/// atomic per entity (a transaction), so two concurrent actions on one entity both take effect.
public protocol OverlayStore: Sendable {
    /// Every overlay of a plugin, by entity name, as this server last read them.
    func overlays(plugin: String) -> [String: EntityOverlay]
    /// Applies `change` to the entity's overlay (empty when it has none) and stores the
    /// result durably before returning it; an overlay left empty is removed.
    ///
    /// - Parameters:
    ///   - plugin: the plugin whose entity it is.
    ///   - entity: the entity's name.
    ///   - change: edits the overlay; an error it throws is rethrown and nothing is stored. It
    ///     may run while the store holds its connection or lock: it must not call a store.
    func update(plugin: String, entity: String, _ change: (inout EntityOverlay) throws -> Void) async throws -> EntityOverlay
}

extension OverlayStore {
    /// The overlay of one entity; empty when it has none.
    public func overlay(plugin: String, entity: String) -> EntityOverlay {
        overlays(plugin: plugin)[entity] ?? EntityOverlay()
    }
}
