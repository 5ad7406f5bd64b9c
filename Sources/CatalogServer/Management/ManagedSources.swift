import CatalogJSON
import Foundation

/// Reading and editing the sources of the managed configuration document.
enum ManagedSources {
    /// The managed entry of source `id` in section `key`, if the document has one.
    static func entry(_ id: String, section key: String, in document: JSONValue) -> JSONValue? {
        document["catalogs"]?[key]?["sources"]?.arrayValue?.first { $0["id"]?.stringValue == id }
    }

    /// Replaces the managed entry of source `id` with `entry`, appends it when new, or removes
    /// it when `entry` is `nil`.
    static func set(_ entry: JSONValue?, id: String, section key: String, in document: inout JSONValue) {
        var root = document.objectValue ?? [:]
        var catalogs = root["catalogs"]?.objectValue ?? [:]
        var section = catalogs[key]?.objectValue ?? [:]
        var sources = section["sources"]?.arrayValue ?? []
        if let index = sources.firstIndex(where: { $0["id"]?.stringValue == id }) {
            if let entry { sources[index] = entry } else { sources.remove(at: index) }
        } else if let entry {
            sources.append(entry)
        }
        section["sources"] = .array(sources)
        catalogs[key] = .object(section)
        root["catalogs"] = .object(catalogs)
        document = .object(root)
    }
}
