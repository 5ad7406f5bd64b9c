import Foundation

/// Encoding and decoding JSON with the settings every part of catalog-server shares.
public enum JSONCoding {
    /// Encodes `value` as compact JSON with sorted keys.
    public static func encode<Value: Encodable>(_ value: Value) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// Decodes a JSON document into a ``JSONValue``.
    public static func decode(_ data: some DataProtocol) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(data))
    }

    /// Decodes a JSON document into `type`.
    public static func decode<Value: Decodable>(_ type: Value.Type, from data: some DataProtocol) throws -> Value {
        try JSONDecoder().decode(type, from: Data(data))
    }
}
