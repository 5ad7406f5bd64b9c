import CatalogPluginSDK
import Foundation

/// Models as upstream's data files write them, checked on load and shaped for the contract.
///
/// A model's `artifacts` are `model-artifact`s (the default type) with a `uri` of a scheme
/// upstream accepts, and `metrics-artifact`s with a `metricsType` of `performance-metrics` or
/// `accuracy-metrics`. A model that breaks these rules is left out and its source is
/// `partially-available`, naming it (upstream refuses the whole file).
enum ModelData {
    static let artifactTypes = ["model-artifact", "metrics-artifact"]
    static let metricsTypes = ["performance-metrics", "accuracy-metrics"]
    /// Upstream's `ValidArtifactURISchemes`.
    static let uriSchemes: Set<String> = ["oci", "http", "https", "s3", "gs", "az", "file"]

    /// Model fields the contract types as strings, and as lists of strings.
    static let stringFields = ["description", "readme", "maturity", "provider", "logo", "license", "licenseLink", "libraryName"]
    static let listFields = ["language", "tasks"]

    /// Why `model` cannot be served, or `nil`: a field of the wrong type, as upstream's typed
    /// reader refuses it, or an artifact that breaks upstream's rules.
    @Sendable static func check(_ model: JSONObject) -> String? {
        if let problem = typeProblem(.object(model), strings: stringFields, lists: listFields) { return problem }
        guard let artifacts = model["artifacts"], artifacts != .null else { return nil }
        guard let list = artifacts.arrayValue else { return "artifacts must be a list" }
        for (index, artifact) in list.enumerated() {
            guard artifact.objectValue != nil else { return "artifacts[\(index)] must be a mapping" }
            if let problem = typeProblem(artifact, strings: ["description", "uri", "artifactType", "metricsType"], lists: []) {
                return "artifacts[\(index)]: \(problem)"
            }
            if let name = artifact["name"], name != .null, name.stringValue?.isEmpty != false {
                return "artifacts[\(index)]: name must be a non-empty string"
            }
            switch artifactType(of: artifact) {
            case "model-artifact":
                if let problem = uriProblem(artifact["uri"]?.stringValue) { return "artifacts[\(index)]: \(problem)" }
            case "metrics-artifact":
                guard let metrics = artifact["metricsType"]?.stringValue, metricsTypes.contains(metrics) else {
                    return "artifacts[\(index)]: a metrics-artifact needs metricsType \(metricsTypes.joined(separator: " or "))"
                }
            case let other:
                return "artifacts[\(index)]: unknown artifactType \"\(other)\"; use \(artifactTypes.joined(separator: " or "))"
            }
        }
        return nil
    }

    /// Which of `strings` is not a string, of `lists` not a list of strings, or a
    /// `customProperties` that is not a mapping, in `resource`.
    private static func typeProblem(_ resource: JSONValue, strings: [String], lists: [String]) -> String? {
        for field in strings where resource[field].map({ $0 != .null && $0.stringValue == nil }) == true {
            return "\(field) must be a string"
        }
        for field in lists where resource[field].map({ $0 != .null && $0.arrayValue?.allSatisfy({ $0.stringValue != nil }) != true }) == true {
            return "\(field) must be a list of strings"
        }
        if let properties = resource["customProperties"], properties != .null, properties.objectValue == nil {
            return "customProperties must be a mapping"
        }
        return nil
    }

    /// An artifact's type: `model-artifact` when absent or empty, as upstream reads it.
    static func artifactType(of artifact: JSONValue) -> String {
        guard let type = artifact["artifactType"]?.stringValue, !type.isEmpty else { return "model-artifact" }
        return type
    }

    private static func uriProblem(_ uri: String?) -> String? {
        guard let uri, !uri.isEmpty else { return "artifact URI cannot be empty" }
        guard let colon = uri.firstIndex(of: ":"), colon != uri.startIndex,
            uri[..<colon].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }), uri.first!.isLetter
        else {
            return "artifact URI \"\(uri)\" must have a scheme (valid schemes: \(uriSchemes.sorted().joined(separator: ", ")))"
        }
        let scheme = uri[..<colon].lowercased()
        guard uriSchemes.contains(scheme) else {
            return "artifact URI \"\(uri)\" has unsupported scheme \"\(scheme)\" (valid schemes: \(uriSchemes.sorted().joined(separator: ", ")))"
        }
        return nil
    }

    // MARK: The contract's shapes

    /// A model as the contract's `CatalogModel`: without its artifacts, timestamps and id as
    /// strings, custom properties as `MetadataValue`s.
    static func contractModel(_ entity: JSONValue) -> JSONValue {
        guard var model = entity.objectValue else { return entity }
        model.removeValue(forKey: "artifacts")
        return .object(contractResource(model))
    }

    /// An artifact as the contract's `CatalogArtifact`: `artifactType` always, the rest as for models.
    static func contractArtifact(_ entity: JSONValue) -> JSONValue {
        guard var artifact = entity.objectValue else { return entity }
        artifact["artifactType"] = .string(artifactType(of: entity))
        return .object(contractResource(artifact))
    }

    private static func contractResource(_ resource: JSONObject) -> JSONObject {
        var resource = resource
        for key in ["id", "createTimeSinceEpoch", "lastUpdateTimeSinceEpoch"] {
            guard let value = resource[key], value.stringValue == nil else { continue }
            if let text = FieldValues.text(value) {
                resource[key] = .string(text)
            } else {
                resource.removeValue(forKey: key)
            }
        }
        if let properties = resource["customProperties"]?.objectValue {
            resource["customProperties"] = .object(properties.mapValues(metadataValue))
        } else {
            resource.removeValue(forKey: "customProperties")
        }
        return resource
    }

    /// The largest `int_value` the contract's pattern allows (nine digits).
    static let maximumIntValue: Int64 = 999_999_999

    /// A custom property as the contract's `MetadataValue`, whatever the data file wrote: a
    /// well-formed one keeps its type with only its own keys; a value of the wrong kind for its
    /// `metadataType`, or a plain scalar, becomes the type it is (an integer past nine digits a
    /// double); anything else, an unknown `metadataType` included, becomes its text.
    static func metadataValue(_ value: JSONValue) -> JSONValue {
        guard let type = value["metadataType"]?.stringValue else { return plain(value) }
        switch type {
        case "MetadataStringValue": return plain(value["string_value"] ?? .null, as: "MetadataStringValue")
        case "MetadataIntValue": return plain(value["int_value"] ?? .null, as: "MetadataIntValue")
        case "MetadataDoubleValue": return plain(value["double_value"] ?? .null, as: "MetadataDoubleValue")
        case "MetadataBoolValue": return plain(value["bool_value"] ?? .null, as: "MetadataBoolValue")
        case "MetadataStructValue" where value["struct_value"]?.stringValue != nil:
            return ["metadataType": "MetadataStructValue", "struct_value": value["struct_value"]!]
        case "MetadataProtoValue" where value["type"]?.stringValue != nil && value["proto_value"]?.stringValue != nil:
            return ["metadataType": "MetadataProtoValue", "type": value["type"]!, "proto_value": value["proto_value"]!]
        default: return text(value)
        }
    }

    private static func fitsIntValue(_ number: Int64) -> Bool {
        (-maximumIntValue...maximumIntValue).contains(number)
    }

    /// `value` as the `MetadataValue` of the type it is, preferring `preferred` when it fits.
    private static func plain(_ value: JSONValue, as preferred: String? = nil) -> JSONValue {
        switch (preferred, value) {
        case ("MetadataIntValue", .string(let digits)) where Int64(digits).map(fitsIntValue) == true:
            return ["metadataType": "MetadataIntValue", "int_value": .string(String(Int64(digits)!))]
        case ("MetadataIntValue", .string(let digits)) where Int64(digits) != nil:
            return ["metadataType": "MetadataDoubleValue", "double_value": .number(Double(Int64(digits)!))]
        case ("MetadataDoubleValue", .string) where FieldValues.number(value) != nil:
            return ["metadataType": "MetadataDoubleValue", "double_value": .number(FieldValues.number(value)!)]
        case (_, .string(let text)): return ["metadataType": "MetadataStringValue", "string_value": .string(text)]
        case (_, .bool(let flag)): return ["metadataType": "MetadataBoolValue", "bool_value": .bool(flag)]
        case ("MetadataDoubleValue", .integer(let number)):
            return ["metadataType": "MetadataDoubleValue", "double_value": .number(Double(number))]
        case (_, .integer(let number)) where fitsIntValue(number):
            return ["metadataType": "MetadataIntValue", "int_value": .string(String(number))]
        case (_, .integer(let number)): return ["metadataType": "MetadataDoubleValue", "double_value": .number(Double(number))]
        case (_, .number(let number)): return ["metadataType": "MetadataDoubleValue", "double_value": .number(number)]
        default: return text(value)
        }
    }

    /// Anything else as a string value holding its JSON text.
    private static func text(_ value: JSONValue) -> JSONValue {
        let text = (try? JSONCoding.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return ["metadataType": "MetadataStringValue", "string_value": .string(text)]
    }
}
