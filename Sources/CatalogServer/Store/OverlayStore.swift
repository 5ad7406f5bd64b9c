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
}

/// Where overlays are kept, per plugin and entity name.
///
/// ``FileOverlayStore`` is the default. A store shared by several replicas (a database) takes
/// its place by implementing the same two calls; `update` must be atomic per entity (a
/// transaction), so two concurrent actions on one entity both take effect.
public protocol OverlayStore: Sendable {
    /// Every overlay of a plugin, by entity name.
    func overlays(plugin: String) -> [String: EntityOverlay]
    /// Applies `change` to the entity's overlay (empty when it has none) and stores the
    /// result durably before returning it; an overlay left empty is removed.
    func update(plugin: String, entity: String, _ change: (inout EntityOverlay) throws -> Void) throws -> EntityOverlay
}

extension OverlayStore {
    /// The overlay of one entity; empty when it has none.
    public func overlay(plugin: String, entity: String) -> EntityOverlay {
        overlays(plugin: plugin)[entity] ?? EntityOverlay()
    }
}
