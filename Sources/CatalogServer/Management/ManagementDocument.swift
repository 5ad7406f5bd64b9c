import CCatalogPlugin
import CatalogJSON

/// What a capabilities document says about management: the host mounts those routes, so the
/// host states them, and the document stays true for any plugin, in any language.
enum ManagementDocument {
    /// `document` with `sources.manageable`, `sources.refreshable`, the action definitions and,
    /// per entity, its actions and `endpoints.action` set to what the host serves.
    static func advertise(in document: JSONValue, identity: PluginIdentity, basePath: String) -> JSONValue {
        guard var root = document.objectValue else { return document }
        var actions: [JSONValue] = []
        let assets = identity.supports(.assets)
        if assets { actions += BuiltinAction.allCases.map(\.definition) }
        // The host's word, whatever the plugin wrote: a plugin cannot point a client's writes
        // (and its token) at another catalog's management routes.
        root["entities"] = root["entities"]?.arrayValue.map { entities in
            .array(entities.map { entity in
                guard var object = entity.objectValue else { return entity }
                var endpoints = object["endpoints"]?.objectValue ?? [:]
                if assets {
                    endpoints["action"] = .string(basePath + "/management/entities/{name}:action")
                    object["actions"] = .array(BuiltinAction.allCases.map { .string($0.rawValue) })
                } else {
                    endpoints.removeValue(forKey: "action")
                    object.removeValue(forKey: "actions")
                }
                object["endpoints"] = .object(endpoints)
                return .object(object)
            })
        }
        if identity.supports(.refresh) { actions.append(BuiltinAction.refreshDefinition) }
        var sources = root["sources"]?.objectValue ?? [:]
        sources["manageable"] = .bool(identity.supports(.sources))
        sources["refreshable"] = .bool(identity.supports(.refresh))
        root["sources"] = .object(sources)
        root["actions"] = .array(actions)
        return .object(root)
    }
}
