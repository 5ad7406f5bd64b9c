import CatalogJSON
import Foundation

/// A source as the management API receives it, checked field by field:
/// `{id, name?, type, enabled?, labels?, properties?, includedItems?, excludedItems?, refreshAfterApply?}`.
struct SourceInput {
    /// The source as it is stored: the given fields, with `*Path` properties confined to the
    /// data roots, made absolute (a relative one against the first root) and resolved.
    var entry: JSONValue
    var id: String
    var refreshAfterApply: Bool

    private static let stringLists: Set<String> = ["labels", "includedItems", "excludedItems"]
    private static let knownFields = stringLists.union(["id", "name", "type", "enabled", "properties", "refreshAfterApply"])

    /// The input, or every problem with it as `{"field", "message"}`.
    static func parse(_ body: JSONValue, roots: DataRoots) -> Result<SourceInput, Problems> {
        guard var fields = body.objectValue else {
            return .failure(Problems([problem("", "the body must be a JSON object describing a source")]))
        }
        var problems: [JSONValue] = []
        let id = fields["id"]?.stringValue ?? ""
        if !isValidID(id) {
            problems.append(problem("id", "id must be a non-empty string of letters, digits, '_', '.' and '-', starting with a letter or digit"))
        }
        if fields["name"].map({ $0.stringValue == nil }) == true { problems.append(problem("name", "name must be a string")) }
        if fields["type"]?.stringValue?.isEmpty ?? true { problems.append(problem("type", "type must be a non-empty string, e.g. yaml")) }
        if fields["enabled"].map({ $0.boolValue == nil }) == true { problems.append(problem("enabled", "enabled must be true or false")) }
        if fields["refreshAfterApply"].map({ $0.boolValue == nil }) == true {
            problems.append(problem("refreshAfterApply", "refreshAfterApply must be true or false"))
        }
        for name in stringLists where fields[name] != nil {
            if fields[name]?.arrayValue?.allSatisfy({ $0.stringValue != nil }) != true {
                problems.append(problem(name, "\(name) must be a list of strings"))
            }
        }
        if let properties = fields["properties"] {
            if let map = properties.objectValue?.dictionary {
                let (confined, pathProblems) = confinedPaths(in: map, roots: roots)
                fields["properties"] = .object(confined)
                problems += pathProblems
            } else {
                problems.append(problem("properties", "properties must be a mapping"))
            }
        }
        for name in fields.keys.sorted() where !knownFields.contains(name) {
            problems.append(problem(name, "unknown field; a source has \(knownFields.sorted().joined(separator: ", "))"))
        }
        guard problems.isEmpty else { return .failure(Problems(problems)) }
        let refreshAfterApply = fields.removeValue(forKey: "refreshAfterApply")?.boolValue ?? false
        return .success(SourceInput(entry: .object(fields), id: id, refreshAfterApply: refreshAfterApply))
    }

    /// `properties` with every `*Path` property confined to `roots` (see ``DataRoots``), and a
    /// problem for each that is not a string or lies outside them.
    static func confinedPaths(in properties: [String: JSONValue], roots: DataRoots) -> ([String: JSONValue], [JSONValue]) {
        var confined = properties
        var problems: [JSONValue] = []
        for (name, value) in properties.sorted(by: { $0.key < $1.key }) where name.hasSuffix("Path") {
            guard let path = value.stringValue else {
                problems.append(problem("properties.\(name)", "\(name) must be a string naming a file"))
                continue
            }
            if let resolved = roots.confine(path) {
                confined[name] = .string(resolved)
            } else {
                problems.append(problem(
                    "properties.\(name)",
                    "\(name) must name a file inside the data roots (\(roots.directories.joined(separator: ", "))); "
                        + "the operator adds roots with --data-root"))
            }
        }
        return (confined, problems)
    }

    /// Letters, digits, `_`, `.` and `-`, starting with a letter or digit: safe in a URL path
    /// segment and free of the `:` that starts an action.
    private static func isValidID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, first.isASCII, CharacterSet.alphanumerics.contains(first) else { return false }
        return id.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "_.-".unicodeScalars.contains($0)) }
    }

    static func problem(_ field: String, _ message: String) -> JSONValue {
        ["field": .string(field), "message": .string(message)]
    }

    /// What is wrong with an input.
    struct Problems: Error {
        var list: [JSONValue]
        init(_ list: [JSONValue]) { self.list = list }
    }
}
