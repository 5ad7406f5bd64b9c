/// A bound on how deeply a JSON document may nest, checked by a flat scan before any
/// recursive decoding, so that no input drives recursion past a fixed depth.
public enum JSONNesting {
    /// Arrays and objects inside each other in one document.
    public static let maximumDepth = 128

    /// Throws when `bytes` nest arrays and objects deeper than `limit`. The scan skips string
    /// contents (with their escapes); it does not validate the document.
    ///
    /// - Parameters:
    ///   - bytes: A JSON document.
    ///   - limit: The deepest nesting allowed.
    /// - Throws: ``JSONNestingError`` when an array or object opens deeper than `limit`.
    public static func check(_ bytes: some Sequence<UInt8>, limit: Int = maximumDepth) throws(JSONNestingError) {
        var depth = 0
        var inString = false
        var escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > limit { throw JSONNestingError(limit: limit) }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
            default:
                break
            }
        }
    }
}

/// A JSON document nests deeper than ``JSONNesting/maximumDepth``.
public struct JSONNestingError: Error, CustomStringConvertible, Sendable {
    /// The depth the document went past.
    public var limit: Int
    /// A message naming the limit, for logs and error answers.
    public var description: String { "the JSON document nests arrays and objects deeper than the limit of \(limit) levels" }
}
