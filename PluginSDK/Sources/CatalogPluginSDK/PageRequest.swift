import Foundation

/// The paging parameters of a list request: `pageSize` (default 100, at most 1000) and an
/// opaque `pageToken`.
///
/// Tokens are cursors on the entity name, not offsets: a page that follows a reload neither
/// skips nor repeats an entity that stayed.
public struct PageRequest: Sendable {
    public static let defaultSize = 100
    public static let maximumSize = 1000

    public var size: Int
    /// The name of the last entity of the previous page.
    public var after: String?

    /// Reads `pageSize` and `pageToken`; malformed values are a 400 naming the parameter.
    public init(_ request: PluginRequest) throws {
        if let text = request.query("pageSize") {
            guard let size = Int(text), size > 0 else {
                throw PluginError.badRequest("pageSize must be a positive integer, got \"\(text)\"")
            }
            self.size = min(size, Self.maximumSize)
        } else {
            self.size = Self.defaultSize
        }
        if let token = request.query("pageToken"), !token.isEmpty {
            guard let after = Self.decode(token) else {
                throw PluginError.badRequest("pageToken is not a token this server issued")
            }
            self.after = after
        }
    }

    /// One page of `entities`, which must be sorted by name.
    public func page(of entities: [JSONValue]) -> (items: [JSONValue], nextPageToken: String?) {
        let start = after.map { after in entities.firstIndex { name(of: $0) > after } ?? entities.endIndex } ?? entities.startIndex
        let end = min(start + size, entities.endIndex)
        let items = Array(entities[start..<end])
        let next = end < entities.endIndex ? items.last.map { Self.encode(name(of: $0)) } : nil
        return (items, next)
    }

    private func name(of entity: JSONValue) -> String { entity["name"]?.stringValue ?? "" }

    private static func encode(_ name: String) -> String {
        Data(("n:" + name).utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    private static func decode(_ token: String) -> String? {
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8), text.hasPrefix("n:") else {
            return nil
        }
        return String(text.dropFirst(2))
    }
}
