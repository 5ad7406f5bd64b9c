import CCatalogPlugin
import CatalogJSON

extension PluginIdentity {
    /// Gets the source management routes: it lists and validates (`sources`) and adopts a
    /// changed section while running (`config`).
    var managesSources: Bool { offers(CATALOG_CAPABILITY_SOURCES) && offers(CATALOG_CAPABILITY_CONFIG) }
    var refreshes: Bool { offers(CATALOG_CAPABILITY_REFRESH) }
    /// Gets the builtin asset actions, which need `assets` to know that an entity exists.
    var hasAssetActions: Bool { offers(CATALOG_CAPABILITY_ASSETS) }
}

/// What a capabilities document says about management: the host mounts those routes, so the
/// host states them, and the document stays true for any plugin, in any language.
enum ManagementDocument {
    /// `document` with `sources.manageable`, `sources.refreshable`, the action definitions and,
    /// per entity, its actions and `endpoints.action` set to what the host serves.
    static func advertise(in document: JSONValue, identity: PluginIdentity, basePath: String) -> JSONValue {
        guard var root = document.objectValue else { return document }
        var actions: [JSONValue] = []
        if identity.hasAssetActions {
            actions += BuiltinAction.allCases.map(\.definition)
            root["entities"] = root["entities"]?.arrayValue.map { entities in
                .array(entities.map { entity in
                    guard var object = entity.objectValue else { return entity }
                    var endpoints = object["endpoints"]?.objectValue ?? [:]
                    endpoints["action"] = .string(basePath + "/management/entities/{name}:action")
                    object["endpoints"] = .object(endpoints)
                    object["actions"] = .array(BuiltinAction.allCases.map { .string($0.rawValue) })
                    return .object(object)
                })
            }
        }
        if identity.refreshes { actions.append(BuiltinAction.refreshDefinition) }
        var sources = root["sources"]?.objectValue ?? [:]
        sources["manageable"] = .bool(identity.managesSources)
        sources["refreshable"] = .bool(identity.refreshes)
        root["sources"] = .object(sources)
        root["actions"] = .array(actions)
        return .object(root)
    }
}
