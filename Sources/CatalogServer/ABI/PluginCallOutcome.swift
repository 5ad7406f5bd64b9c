import CCatalogPlugin
import CatalogJSON
import Foundation
import Synchronization

/// How an asynchronous call into a plugin ended, and — in one place — what the host makes of
/// an ending that is not the expected one.
enum PluginCallOutcome: Sendable {
    /// A lifecycle call finished through `host->complete`.
    case completed(status: catalog_status, message: String?)
    /// A request or operation finished through `host->respond`.
    case responded(PluginReply)
    /// The plugin did not answer before the deadline; a later answer is ignored.
    case timedOut
    /// The worker process serving the plugin exited while the call was in flight.
    case workerExited(reason: String)

    /// The response of a request or operation, or the HTTP error the host answers in its
    /// place: 504 when the plugin did not answer within `deadline`, 502 when it called
    /// `complete()` instead of `respond()` or its worker process exited.
    ///
    /// - Parameters:
    ///   - plugin: The plugin's name, for the message.
    ///   - call: What was called, e.g. `GET /models` or `sources.list`.
    ///   - deadline: The call's deadline.
    func response(plugin: String, call: String, deadline: Duration) -> Result<PluginReply, APIError> {
        switch self {
        case .responded(let response):
            return .success(response)
        case .timedOut:
            return .failure(APIError(status: .gatewayTimeout, message: "plugin \"\(plugin)\" did not answer \(call) within \(deadline)"))
        case .completed:
            return .failure(APIError(status: .badGateway, message: "plugin \"\(plugin)\" answered \(call) with complete() instead of respond()"))
        case .workerExited(let reason):
            return .failure(APIError(status: .badGateway, message: "the worker for plugin \"\(plugin)\" exited (\(reason)) while handling \(call)"))
        }
    }

    /// How the call ended, as the `outcome` label of `catalog_plugin_calls_total`: `ok`,
    /// `error` (the plugin's own 4xx/5xx), `timeout`, `protocol` (`complete()` instead of
    /// `respond()`, a status out of range) or `crashed` (its worker exited).
    var metricsOutcome: String {
        switch self {
        case .responded(let reply) where !(200...599).contains(reply.status): "protocol"
        case .responded(let reply): reply.status < 400 ? "ok" : "error"
        case .timedOut: "timeout"
        case .completed: "protocol"
        case .workerExited: "crashed"
        }
    }

    /// Why a lifecycle call (`init`, `start`, `stop`) failed, or `nil` when it completed with
    /// `CATALOG_STATUS_OK`.
    ///
    /// - Parameters:
    ///   - call: The lifecycle call, e.g. `init`.
    ///   - deadline: The call's deadline.
    func completionFailure(call: String, deadline: Duration) -> String? {
        switch self {
        case .completed(let status, _) where status == CATALOG_STATUS_OK:
            return nil
        case .completed(let status, let message):
            return message.flatMap { $0.isEmpty ? nil : $0 } ?? "\(call) failed with status \(status) and gave no message"
        case .responded:
            return "\(call) was answered with respond() instead of complete()"
        case .timedOut:
            return "\(call) did not complete within \(deadline)"
        case .workerExited(let reason):
            return "\(call) did not complete: the worker exited (\(reason))"
        }
    }
}
