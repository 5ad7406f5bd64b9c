import Logging

/// swift-log's text handler (`--log-format text`), with the logger's metadata rendered only
/// for a line that is written.
///
/// `StreamLogHandler` renders its metadata each time it changes, and every request changes it
/// (the framework's request id, then ours): at `--log-level error` that was a rendering per
/// request for lines never written. This handler keeps the metadata and hands it over when it
/// writes a line.
struct TextLogHandler: LogHandler {
    private var stream: StreamLogHandler
    var metadata: Logger.Metadata = [:]

    init(label: String) {
        stream = StreamLogHandler.standardError(label: label)
    }

    var logLevel: Logger.Level {
        get { stream.logLevel }
        set { stream.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var stream = stream
        guard let explicit = event.metadata, stream.metadataProvider == nil else {
            stream.metadata = metadata
            return stream.log(event: event)
        }
        // The line's own metadata wins over the logger's, as in the stream handler: merged
        // here, the line is rendered once.
        var event = event
        event.metadata = metadata.merging(explicit) { _, line in line }
        stream.log(event: event)
    }
}
