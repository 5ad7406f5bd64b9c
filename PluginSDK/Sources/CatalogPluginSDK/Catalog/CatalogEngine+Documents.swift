import Foundation

/// Describing: the asset envelope of an entity and the capabilities document of the catalog.
extension CatalogEngine {
    /// The entity in the universal asset envelope.
    ///
    /// `{apiVersion, kind, metadata {name, description, labels, tags, annotations, sourceRef},
    /// spec, status {lifecycle, health}}`: the source's labels become `metadata.labels`, the
    /// entity's `status` of `deprecated` or `archived` its lifecycle (else `active`), and the
    /// rest of the entity the `spec`.
    ///
    /// - Parameter name: The entity's name.
    /// - Returns: The envelope.
    /// - Throws: ``PluginError/notFound(_:)`` when there is no such entity.
    public func asset(named name: String) throws -> JSONValue {
        guard let entity = entity(named: name), var spec = entity.objectValue else {
            throw PluginError.notFound("\(definition.displayName.lowercased()) \"\(name)\" not found")
        }
        let sourceID = spec.removeValue(forKey: "source_id")?.stringValue ?? ""
        spec.removeValue(forKey: "name")
        let description = spec.removeValue(forKey: "description") ?? ""
        let status = entity["status"]?.stringValue?.lowercased() ?? ""
        let lifecycle = ["deprecated", "archived"].contains(status) ? status : "active"
        return [
            "apiVersion": "catalog/v1alpha1",
            "kind": .string(definition.kind),
            "metadata": [
                "name": .string(name), "description": description,
                "labels": .object(Dictionary(uniqueKeysWithValues: (state.withLock { $0.sourceLabels[sourceID] } ?? []).map { ($0, JSONValue.string("true")) })),
                "tags": [], "annotations": [:], "sourceRef": ["sourceId": .string(sourceID)],
            ],
            "spec": .object(spec),
            "status": ["lifecycle": .string(lifecycle), "health": "unknown"],
        ]
    }

    /// The capabilities V2 document: exactly the endpoints and fields served. The host adds
    /// what it serves itself: management flags, action definitions and action endpoints.
    ///
    /// Columns are the fields with a ``FieldDefinition/columnWidth``, filter fields the
    /// ``FieldDefinition/filterable`` ones, detail fields those with a
    /// ``FieldDefinition/detailSection``.
    ///
    /// - Parameters:
    ///   - name: The plugin's name.
    ///   - version: The plugin's API version.
    ///   - description: The plugin's description.
    /// - Returns: The document (`schemaVersion` `v1`).
    public func capabilitiesDocument(name: String, version: String, description: String) -> JSONValue {
        let basePath = state.withLock { $0.basePath }
        let fields = definition.fields
        var endpoints: [String: JSONValue] = [
            "list": .string("\(basePath)/\(definition.plural)"),
            "get": .string("\(basePath)/\(definition.plural)/{name}"),
            "sources": .string("\(basePath)/sources"),
            "asset": .string("\(basePath)/management/entities/{name}"),
        ]
        for subresource in definition.subresources {
            endpoints[subresource] = .string("\(basePath)/\(definition.plural)/{name}/\(subresource)")
        }
        let columns: [JSONValue] = fields.compactMap { field in
            field.columnWidth.map { width in
                ["name": .string(field.name), "displayName": .string(field.displayName), "path": .string(field.path),
                 "type": .string(field.type.rawValue), "sortable": .bool(field.sortable), "width": .string(width)]
            }
        }
        let filterFields: [JSONValue] = fields.filter(\.filterable).map { field in
            ["name": .string(field.path), "displayName": .string(field.displayName), "type": .string(field.type.rawValue),
             "options": .array(field.options.map(JSONValue.string)), "operators": .array(field.type.operators.map(JSONValue.string))]
        }
        let details: [JSONValue] = fields.compactMap { field in
            field.detailSection.map { section in
                ["name": .string(field.name), "displayName": .string(field.displayName), "path": .string(field.path),
                 "type": .string(field.type.rawValue), "section": .string(section)]
            }
        }
        var sections: [String] = []
        for section in fields.compactMap(\.detailSection) where !sections.contains(section) { sections.append(section) }
        return [
            "schemaVersion": "v1",
            "plugin": ["name": .string(name), "version": .string(version), "description": .string(description),
                       "displayName": .string(definition.catalogDisplayName), "icon": .string(definition.icon)],
            "entities": [[
                "kind": .string(definition.kind), "plural": .string(definition.plural),
                "displayName": .string(definition.displayName), "description": .string(definition.description),
                "endpoints": .object(endpoints),
                "fields": ["columns": .array(columns), "filterFields": .array(filterFields), "detailFields": .array(details)],
                "uiHints": ["icon": .string(definition.icon), "nameField": "name", "detailSections": .array(sections.map(JSONValue.string))],
            ]],
            "sources": ["types": ["yaml"]],
        ]
    }
}
