import CCatalogPlugin
import Foundation

/// The host's function table, as seen from this plugin image.
///
/// `@unchecked Sendable`: the table is owned by the host, immutable, and valid until exit;
/// its functions may be called from any thread.
struct HostConnection: @unchecked Sendable {
    let api: UnsafePointer<catalog_host_api>

    /// The request or operation the current task is answering: log lines written while it is
    /// set go through `host->log_call`, so the host tags them with the request's id.
    @TaskLocal static var currentCall: catalog_call_id?

    func log(_ handle: OpaquePointer?, _ level: catalog_log_level, _ message: String) {
        message.withCString { text in
            // log_call exists from ABI 1.3 on; an older host gets the line without the id.
            if let call = Self.currentCall, api.pointee.abi_minor >= 3, let logCall = api.pointee.log_call {
                logCall(handle, call, level, text)
            } else {
                api.pointee.log?(handle, level, text)
            }
        }
    }

    /// Finishes a lifecycle call.
    func complete(_ call: catalog_call_id, error: (any Error)?) {
        guard let error else { return api.pointee.complete(call, CATALOG_STATUS_OK, nil) }
        "\(error)".withCString { api.pointee.complete(call, CATALOG_STATUS_ERROR, $0) }
    }

    /// Finishes a request or operation; the host copies the response before returning.
    func respond(_ call: catalog_call_id, _ response: PluginResponse) {
        let headers = response.headers.map { (strdup($0.name)!, strdup($0.value)!) }
        defer { headers.forEach { free($0.0); free($0.1) } }
        let pairs = headers.map { catalog_pair(key: $0.0, value: $0.1) }
        response.contentType.withCString { contentType in
            pairs.withUnsafeBufferPointer { pairs in
                response.body.withUnsafeBufferPointer { body in
                    var answer = catalog_response()
                    answer.struct_size = UInt32(MemoryLayout<catalog_response>.size)
                    answer.status = UInt16(clamping: response.status)
                    answer.content_type = contentType
                    answer.headers = pairs.baseAddress
                    answer.header_count = pairs.count
                    answer.body = body.baseAddress
                    answer.body_length = body.count
                    api.pointee.respond(call, &answer)
                }
            }
        }
    }
}
