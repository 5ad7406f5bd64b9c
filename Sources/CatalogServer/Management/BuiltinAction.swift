import CatalogJSON
import Foundation

/// The asset actions the host implements for every plugin that offers `assets`. Their results
/// are overlays kept in the host's ``OverlayStore``.
enum BuiltinAction: String, CaseIterable {
    /// `params.tags` are added, `params.remove` are dropped.
    case tag
    /// `params.annotations` (string values) are set; a `null` value removes the key.
    case annotate
    /// Marks the entity deprecated, with an optional `params.phase`; `params.restore: true` undoes it.
    case deprecate

    var definition: JSONValue {
        let (displayName, description): (String, String) = switch self {
        case .tag: ("Tag", "Add tags (params.tags) or remove them (params.remove)")
        case .annotate: ("Annotate", "Set annotations (params.annotations, string values; null removes a key)")
        case .deprecate: ("Deprecate", "Mark the entity deprecated (optional params.phase); params.restore: true makes it active again")
        }
        return Self.definition(id: rawValue, displayName: displayName, description: description, scope: "asset")
    }

    /// The source action: reload the source from its data, within the refresh rate limit.
    static let refreshDefinition = definition(
        id: "refresh", displayName: "Refresh", description: "Reload the source from its data (rate-limited like POST /refresh/{id})",
        scope: "source")

    private static func definition(id: String, displayName: String, description: String, scope: String) -> JSONValue {
        ["id": .string(id), "displayName": .string(displayName), "description": .string(description),
         "scope": .string(scope), "supportsDryRun": true, "idempotent": true]
    }

    /// Applies the action to `overlay` and says what it did.
    ///
    /// - Throws: ``APIError`` 400 when `params` do not fit the action.
    func apply(_ params: [String: JSONValue], to overlay: inout EntityOverlay) throws(APIError) -> String {
        switch self {
        case .tag:
            let added = try Self.strings(params["tags"], name: "tags")
            let removed = try Self.strings(params["remove"], name: "remove")
            guard !added.isEmpty || !removed.isEmpty else { throw .badRequest("tag needs params.tags or params.remove: lists of strings") }
            for tag in added where !overlay.tags.contains(tag) { overlay.tags.append(tag) }
            overlay.tags.removeAll { removed.contains($0) }
            return "tags are now [\(overlay.tags.joined(separator: ", "))]"
        case .annotate:
            guard let annotations = params["annotations"]?.objectValue, !annotations.isEmpty else {
                throw .badRequest("annotate needs params.annotations: a mapping of names to strings (null removes one)")
            }
            for (key, value) in annotations {
                switch value {
                case .null: overlay.annotations[key] = nil
                case .string(let text): overlay.annotations[key] = text
                default: throw .badRequest("annotation \"\(key)\" must be a string or null")
                }
            }
            return "\(annotations.count) annotation(s) applied"
        case .deprecate:
            if params["restore"]?.boolValue == true {
                overlay.lifecycle = nil
                overlay.deprecationPhase = nil
                return "the entity is active again"
            }
            if let phase = params["phase"], phase.stringValue == nil { throw .badRequest("params.phase must be a string") }
            overlay.lifecycle = "deprecated"
            overlay.deprecationPhase = params["phase"]?.stringValue
            return "the entity is deprecated" + (overlay.deprecationPhase.map { " (phase \($0))" } ?? "")
        }
    }

    private static func strings(_ value: JSONValue?, name: String) throws(APIError) -> [String] {
        guard let value else { return [] }
        let strings = value.arrayValue?.compactMap(\.stringValue) ?? []
        guard strings.count == value.arrayValue?.count, !strings.contains(where: \.isEmpty) else {
            throw .badRequest("params.\(name) must be a list of non-empty strings")
        }
        return strings
    }
}
