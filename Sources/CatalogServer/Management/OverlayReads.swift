import CatalogJSON

/// Adds stored overlays to what plugins answer, so every read of an entity shows them: list
/// items and single entities get an `overlay` member beside their own fields; an asset
/// envelope gets them in `metadata.tags`, `metadata.annotations` and `status.lifecycle`.
enum OverlayReads {
    /// Which entity reads a plugin route serves, known from the endpoints of the plugin's
    /// capabilities document.
    enum Kind {
        case list, get
    }

    /// The kind of entity read `route` serves, or `nil` for any other route.
    static func kind(of route: PluginRoute, basePath: String, document: JSONValue?) -> Kind? {
        guard route.method == "GET", let entities = document?["entities"]?.arrayValue else { return nil }
        let served = PluginRoute.shape(of: basePath + route.pattern)
        for entity in entities {
            if entity["endpoints"]?["list"]?.stringValue.map(PluginRoute.shape) == served { return .list }
            if entity["endpoints"]?["get"]?.stringValue.map(PluginRoute.shape) == served { return .get }
        }
        return nil
    }

    /// The body of a successful list or get answer with overlays added; `nil` when there is
    /// nothing to add or the body is not the JSON expected.
    static func body(_ body: [UInt8], kind: Kind, requestedName: String?, overlays: [String: EntityOverlay]) -> [UInt8]? {
        guard !overlays.isEmpty, var object = (try? JSONCoding.decode(body))?.objectValue else { return nil }
        switch kind {
        case .list:
            guard let items = object["items"]?.arrayValue else { return nil }
            object["items"] = .array(items.map { item in
                item["name"]?.stringValue.flatMap { overlays[$0] }.map { with($0, beside: item) } ?? item
            })
        case .get:
            guard let name = object["name"]?.stringValue, name == requestedName, let overlay = overlays[name] else { return nil }
            object = with(overlay, beside: .object(object)).objectValue ?? object
        }
        return (try? JSONCoding.encode(JSONValue.object(object))).map(Array.init)
    }

    private static func with(_ overlay: EntityOverlay, beside entity: JSONValue) -> JSONValue {
        guard var object = entity.objectValue else { return entity }
        object["overlay"] = overlay.json
        return .object(object)
    }

    /// An asset envelope with the overlay merged into its metadata and status.
    static func asset(_ envelope: JSONValue, overlay: EntityOverlay) -> JSONValue {
        guard !overlay.isEmpty, var object = envelope.objectValue else { return envelope }
        var metadata = object["metadata"]?.objectValue ?? [:]
        var tags = metadata["tags"]?.arrayValue ?? []
        for tag in overlay.tags where !tags.contains(.string(tag)) { tags.append(.string(tag)) }
        metadata["tags"] = .array(tags)
        var annotations = metadata["annotations"]?.objectValue ?? [:]
        // Merged in one pass: member by member would move the members after each one.
        annotations.merge(JSONObject(overlay.annotations.mapValues(JSONValue.string))) { _, overlaid in overlaid }
        if let phase = overlay.deprecationPhase { annotations["catalog/deprecation-phase"] = .string(phase) }
        metadata["annotations"] = .object(annotations)
        object["metadata"] = .object(metadata)
        if let lifecycle = overlay.lifecycle {
            var status = object["status"]?.objectValue ?? [:]
            status["lifecycle"] = .string(lifecycle)
            object["status"] = .object(status)
        }
        return .object(object)
    }
}
