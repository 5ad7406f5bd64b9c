extension SourceState {
    /// The contract's `CatalogSource`: `status` is the state, `error` only when there is one,
    /// the name patterns as `includedModels` / `excludedModels` for models.
    ///
    /// - Parameter assetType: The catalog's asset type, e.g. `models`.
    /// - Returns: `{id, name, enabled, labels, status, assetType, error?}`, plus
    ///   `includedModels`/`excludedModels` for models.
    public func contractItem(assetType: String) -> JSONValue {
        var item: [String: JSONValue] = [
            "id": .string(configuration.id), "name": .string(configuration.name), "enabled": .bool(configuration.enabled),
            "labels": .array(configuration.labels.map(JSONValue.string)), "status": .string(availability.rawValue),
            "assetType": .string(assetType),
        ]
        if let error { item["error"] = .string(error) }
        if assetType == "models" {
            if !configuration.includedItems.isEmpty { item["includedModels"] = .array(configuration.includedItems.map(JSONValue.string)) }
            if !configuration.excludedItems.isEmpty { item["excludedModels"] = .array(configuration.excludedItems.map(JSONValue.string)) }
        }
        return .object(item)
    }
}
