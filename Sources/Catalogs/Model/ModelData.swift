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

    /// Why `model` cannot be served, or `nil`.
    @Sendable static func check(_ model: [String: JSONValue]) -> String? {
        guard let artifacts = model["artifacts"], artifacts != .null else { return nil }
        guard let list = artifacts.arrayValue else { return "artifacts must be a list" }
        for (index, artifact) in list.enumerated() {
            guard artifact.objectValue != nil else { return "artifacts[\(index)] must be a mapping" }
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

    private static func contractResource(_ resource: [String: JSONValue]) -> [String: JSONValue] {
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

    /// A custom property as a `MetadataValue`: written that way, it stays; a plain scalar is
    /// wrapped in the value type it is; anything else becomes its JSON text.
    static func metadataValue(_ value: JSONValue) -> JSONValue {
        if let type = value["metadataType"]?.stringValue {
            // int_value is a string in the contract; a data file may write a number.
            guard type == "MetadataIntValue", var object = value.objectValue, let number = object["int_value"],
                number.stringValue == nil, let text = FieldValues.text(number)
            else { return value }
            object["int_value"] = .string(text)
            return .object(object)
        }
        switch value {
        case .string(let text): return ["metadataType": "MetadataStringValue", "string_value": .string(text)]
        case .bool(let flag): return ["metadataType": "MetadataBoolValue", "bool_value": .bool(flag)]
        case .integer(let number) where Int32(exactly: number) != nil:
            return ["metadataType": "MetadataIntValue", "int_value": .string(String(number))]
        case .integer(let number): return ["metadataType": "MetadataDoubleValue", "double_value": .number(Double(number))]
        case .number(let number): return ["metadataType": "MetadataDoubleValue", "double_value": .number(number)]
        default:
            let text = (try? JSONCoding.encode(value)).flatMap { String(data: $0, encoding: .utf8) } ?? ""
            return ["metadataType": "MetadataStringValue", "string_value": .string(text)]
        }
    }
}
