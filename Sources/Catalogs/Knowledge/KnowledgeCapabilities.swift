import CatalogPluginSDK

/// The capabilities V2 document of the knowledge catalog: exactly the endpoints and fields
/// it serves.
enum KnowledgeCapabilities {
    static func document(basePath: String, plugin: KnowledgeCatalog) -> JSONValue {
        func column(_ name: String, _ displayName: String, _ type: String, width: String = "md") -> JSONValue {
            ["name": .string(name), "displayName": .string(displayName), "path": .string(name), "type": .string(type),
             "sortable": false, "width": .string(width)]
        }
        func detail(_ name: String, _ displayName: String, _ type: String, section: String) -> JSONValue {
            ["name": .string(name), "displayName": .string(displayName), "path": .string(name), "type": .string(type),
             "section": .string(section)]
        }
        return [
            "schemaVersion": "v1",
            "plugin": [
                "name": .string(plugin.name), "version": .string(plugin.version), "description": .string(plugin.description),
                "displayName": "Knowledge Sources", "icon": "database",
            ],
            "entities": [
                [
                    "kind": "KnowledgeSource",
                    "plural": "knowledgesources",
                    "displayName": "Knowledge Source",
                    "description": "A store of documents, embeddings or facts that agents retrieve from",
                    "endpoints": [
                        "list": .string("\(basePath)/knowledgesources"),
                        "get": .string("\(basePath)/knowledgesources/{name}"),
                    ],
                    "fields": [
                        "columns": [
                            column("name", "Name", "string", width: "lg"),
                            column("sourceType", "Type", "string"),
                            column("provider", "Provider", "string"),
                            column("status", "Status", "string", width: "sm"),
                            column("documentCount", "Documents", "integer", width: "sm"),
                        ],
                        "filterFields": [],
                        "detailFields": [
                            detail("description", "Description", "string", section: "Overview"),
                            detail("location", "Location", "string", section: "Overview"),
                            detail("contentType", "Content type", "string", section: "Overview"),
                            detail("vectorDimensions", "Vector dimensions", "integer", section: "Index"),
                            detail("indexType", "Index type", "string", section: "Index"),
                            detail("source_id", "Source", "string", section: "Provenance"),
                        ],
                    ],
                    "uiHints": ["icon": "database", "nameField": "name", "detailSections": ["Overview", "Index", "Provenance"]],
                    "actions": [],
                ]
            ],
            "sources": ["manageable": false, "refreshable": false, "types": ["yaml"]],
            "actions": [],
        ]
    }
}
