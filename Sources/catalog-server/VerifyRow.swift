import CatalogServer

/// One line of `plugins verify`.
struct VerifyRow {
    var file: String
    var plugins: String
    var abi: String
    var sdk: String
    var capabilities: String
    var verdict: String
    var reason: String
    /// What loads but is wrong: where a plugin's capabilities document breaks the published schema.
    var warnings: [String]

    init(_ screening: FileScreening) {
        file = screening.file.split(separator: "/").last.map(String.init) ?? screening.file
        let report = screening.report
        plugins = report.map { $0.plugins.map { "\($0.name) \($0.version)" }.joined(separator: ", ") }.flatMap { $0.isEmpty ? nil : $0 } ?? "-"
        abi = report.map { Set($0.plugins.map(\.abi)).sorted().joined(separator: ", ") }.flatMap { $0.isEmpty ? nil : $0 } ?? "-"
        sdk = report.map { Set($0.plugins.compactMap(\.sdkVersion)).sorted().joined(separator: ", ") }.flatMap { $0.isEmpty ? nil : $0 } ?? "-"
        capabilities = report.map { Set($0.plugins.flatMap(\.capabilities)).sorted().joined(separator: ",") }.flatMap { $0.isEmpty ? nil : $0 } ?? "-"
        let failures = (screening.failure.map { [$0] } ?? []) + (report?.failures ?? [])
        verdict = failures.isEmpty ? "ok" : "refused"
        reason = failures.map { "\($0.stage.rawValue): \($0.reason)" }.joined(separator: "; ")
        warnings = (report?.plugins ?? []).flatMap { plugin in
            (plugin.capabilitiesProblems ?? []).map { "plugin \"\(plugin.name)\": capabilities document (capabilities-v2.schema.json): \($0)" }
        }
    }

    /// The rows as an aligned text table with a header.
    static func table(_ rows: [VerifyRow]) -> String {
        let header = ["FILE", "PLUGINS", "ABI", "SDK", "CAPABILITIES", "VERDICT", "REASON"]
        let cells = [header] + rows.map { [$0.file, $0.plugins, $0.abi, $0.sdk, $0.capabilities, $0.verdict, $0.reason] }
        let widths = (0..<header.count - 1).map { column in cells.map { $0[column].count }.max() ?? 0 }
        return cells.map { row in
            (0..<row.count).map { column in
                column < widths.count ? row[column].padding(toLength: widths[column], withPad: " ", startingAt: 0) : row[column]
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
