import Foundation

/// Encoding and decoding JSON with the settings every part of catalog-server shares.
public enum JSONCoding {
    /// Encodes `value` as compact JSON with sorted keys (and `/` unescaped), so equal values
    /// always encode to the same bytes.
    ///
    /// ```swift
    /// let bytes = try JSONCoding.encode(["name": "tools"] as JSONValue)   // {"name":"tools"}
    /// ```
    ///
    /// - Parameter value: Any `Encodable` value.
    /// - Returns: The UTF-8 bytes of the JSON text.
    /// A ``JSONValueConvertible`` value (a ``JSONValue`` among them) is written by ``JSONWriter``,
    /// any other through `JSONEncoder`; both give the same text.
    ///
    /// - Throws: The `EncodingError` of `JSONEncoder`, or ``JSONWriter/InvalidValue``, for a
    ///   non-finite number.
    public static func encode<Value: Encodable>(_ value: Value) throws -> Data {
        if let document = value as? any JSONValueConvertible {
            return Data(try JSONWriter.bytes(document.jsonValue))
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    /// Decodes a JSON document into a ``JSONValue``.
    ///
    /// - Parameter data: The UTF-8 bytes of a JSON document.
    /// - Returns: The document as a ``JSONValue``.
    /// - Throws: ``JSONNestingError`` for a document nested deeper than ``JSONNesting/maximumDepth``,
    ///   or the decoder's error.
    public static func decode(_ data: some DataProtocol) throws -> JSONValue {
        try decode(JSONValue.self, from: data)
    }

    /// Decodes a JSON document into `type`, after checking its nesting depth.
    ///
    /// - Parameters:
    ///   - type: The type to decode, e.g. a configuration struct or ``JSONValue``.
    ///   - data: The UTF-8 bytes of a JSON document.
    /// - Returns: The decoded value.
    /// - Throws: ``JSONNestingError`` for a document nested deeper than ``JSONNesting/maximumDepth``,
    ///   or the `DecodingError` of `JSONDecoder`.
    public static func decode<Value: Decodable>(_ type: Value.Type, from data: some DataProtocol) throws -> Value {
        let data = Data(data)
        try JSONNesting.check(data)
        return try JSONDecoder().decode(type, from: data)
    }
}
