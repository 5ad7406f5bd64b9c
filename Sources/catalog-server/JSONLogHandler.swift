import CatalogJSON
import Foundation
import Logging

/// Log entries as one JSON object per line on standard error — `time`, `level`, `label`,
/// `message`, `source` and the entry's metadata (e.g. `request_id`) — for log collectors that
/// read JSON (`--log-format json`). swift-log brings only a text handler.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    /// One writer for every handler, so lines of concurrent entries never interleave.
    private static let output = NSLock()
    /// Characters of a message kept; a longer one (a plugin may log anything) is cut.
    static let maximumMessageLength = 16 * 1024

    init(label: String) {
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var message = "\(event.message)"
        if message.count > Self.maximumMessageLength { message = message.prefix(Self.maximumMessageLength) + "…(truncated)" }
        var entry: [String: JSONValue] = [
            "time": .string(Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))),
            "level": .string(event.level.rawValue), "label": .string(label), "message": .string(message),
            "source": .string(event.source),
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { _, entry in entry }) where entry[key] == nil {
            entry[key] = Self.json(value)
        }
        guard var line = try? JSONCoding.encode(JSONValue.object(entry)) else { return }
        line.append(UInt8(ascii: "\n"))
        // A failed write (a closed or full standard error) loses the line, never the process.
        Self.output.withLock { try? FileHandle.standardError.write(contentsOf: line) }
    }

    private static func json(_ value: Logger.MetadataValue) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let value as any BinaryInteger): .integer(Int64(clamping: value))
        case .stringConvertible(let value): .string(value.description)
        case .array(let values): .array(values.map(json))
        case .dictionary(let values): .object(values.mapValues(json))
        }
    }
}
