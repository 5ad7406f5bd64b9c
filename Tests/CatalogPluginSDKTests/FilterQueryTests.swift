import CatalogJSON
import CatalogPluginSDK
import Foundation
import Testing

/// The filter language, run against the reference project's own data files.
@Suite("filterQuery language")
struct FilterQueryTests {
    /// The reference project's sample data, in `shared/` beside the repository.
    static let referenceData = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("shared/reference/data")

    static func entities(_ file: String, _ key: String) throws -> [JSONValue] {
        let path = referenceData.appendingPathComponent(file).path
        let document = try YAMLDocument.load(path: path)
        return try #require(document[key]?.arrayValue, "\(path) has a \(key) list")
    }

    static func names(matching query: String, in entities: [JSONValue]) throws -> [String] {
        let filter = try FilterQuery(query)
        return entities.filter(filter.matches).compactMap { $0["name"]?.stringValue }.sorted()
    }

    @Test(arguments: [
        ("provider = 'Red Hat'", ["ansible-mcp-server", "kubernetes-mcp-server", "openshift-mcp-server"]),
        ("provider='Red Hat' AND toolCount>12", ["openshift-mcp-server"]),
        ("toolCount >= 12 AND toolCount <= 15", ["jira-mcp-server", "kubernetes-mcp-server", "openshift-mcp-server"]),
        ("verified = true AND certified = false", ["github-mcp-server", "postgres-mcp-server"]),
        ("NOT verified = true", ["jira-mcp-server"]),
        ("transportType != 'stdio'", ["github-mcp-server", "jira-mcp-server"]),
        ("name LIKE '%shift%'", ["openshift-mcp-server"]),
        ("name LIKE 'j_ra-%'", ["jira-mcp-server"]),
        ("provider ILIKE 'red hat'", ["ansible-mcp-server", "kubernetes-mcp-server", "openshift-mcp-server"]),
        ("provider LIKE 'red hat'", []),
        ("name IN ('jira-mcp-server', \"github-mcp-server\", 'nope')", ["github-mcp-server", "jira-mcp-server"]),
        ("name NOT IN ('openshift-mcp-server') AND provider = 'Red Hat'", ["ansible-mcp-server", "kubernetes-mcp-server"]),
        ("(provider = 'Red Hat' OR provider = 'Atlassian') AND promptCount < 4", ["ansible-mcp-server", "jira-mcp-server", "kubernetes-mcp-server"]),
        ("provider = 'Red Hat' OR provider = 'Atlassian' AND promptCount < 4", ["ansible-mcp-server", "jira-mcp-server", "kubernetes-mcp-server", "openshift-mcp-server"]),
        ("endpoint = NULL AND deploymentMode = 'local'", ["ansible-mcp-server", "kubernetes-mcp-server", "openshift-mcp-server", "postgres-mcp-server"]),
        ("endpoint != null", ["github-mcp-server", "jira-mcp-server"]),
        ("toolCount = 12.0", ["jira-mcp-server", "kubernetes-mcp-server"]),
        ("toolCount > '11'", ["github-mcp-server", "jira-mcp-server", "kubernetes-mcp-server", "openshift-mcp-server"]),
        ("and_not_a_field = 1", []),
    ])
    func mcpServers(query: String, expected: [String]) throws {
        #expect(try Self.names(matching: query, in: Self.entities("mcp-servers.yaml", "mcpservers")) == expected, "\(query)")
    }

    @Test(arguments: [
        ("modelConfig.maxTokens > 4096 AND agentType = 'task_oriented'", ["code-review-agent", "data-analyst", "security-scanner"]),
        ("tools.skillRef = 'web-search'", ["customer-support-agent", "research-orchestrator"]),
        ("knowledge.knowledgeSourceRef IN ('company-docs')", ["code-review-agent", "customer-support-agent", "data-analyst", "onboarding-guide"]),
        ("modelConfig.temperature < 0.2", ["code-executor", "query-router", "security-scanner"]),
        ("instructions ILIKE '%security%' OR category = 'security'", ["code-review-agent", "security-scanner"]),
    ])
    func agents(query: String, expected: [String]) throws {
        let names = try Self.names(matching: query, in: Self.entities("agents.yaml", "agents"))
        #expect(names == expected, "\(query)")
    }

    @Test(arguments: [
        ("customProperties.model_type = 'generative' AND tasks = 'summarization'", ["certified/production-llm-8b"]),
        ("language = 'ja'", ["acme-ai/neural-7b-instruct", "stellar-labs/quantum-13b-base"]),
        ("createTimeSinceEpoch > 1737000000000 AND license = 'apache-2.0'", ["acme-ai/multimodal-vision-7b", "certified/compliance-assistant-3b", "certified/production-llm-8b"]),
        ("name LIKE 'certified/%' AND maturity = 'Production'", ["certified/analytics-forecaster-5b", "certified/compliance-assistant-3b", "certified/production-llm-8b", "certified/secure-embeddings-v2"]),
    ])
    func models(query: String, expected: [String]) throws {
        let names = try Self.names(matching: query, in: Self.entities("models-validated.yaml", "models") + Self.entities("models-organization.yaml", "models") + Self.entities("models-community.yaml", "models"))
        #expect(names == expected, "\(query)")
    }

    @Test(arguments: [
        ("", 1, "expected a field name, found the end of the query"),
        ("name =", 7, "expected a value"),
        ("name = 'x' AND (toolCount > 1", 30, "expected ')'"),
        ("name 'x'", 6, "expected a comparison"),
        ("name = 'unterminated", 8, "is not closed"),
        ("name = 'x' toolCount = 1", 12, "expected AND, OR or the end of the query"),
        ("name IN 'x'", 9, "expected '(' after IN"),
        ("name IN ('x' 'y')", 14, "expected ',' or ')'"),
        ("name NOT = 'x'", 10, "expected LIKE, ILIKE or IN after NOT"),
        ("name LIKE 5", 11, "expected a quoted pattern"),
        ("name = 'x' # comment", 12, "unexpected character '#'"),
        ("name ! 'x'", 6, "expected '!=' but found '!' alone"),
        ("customProperties. = 1", 19, "expected a field name after '.'"),
    ])
    func invalidQueriesSayWhereAndWhat(query: String, position: Int, message: String) {
        #expect {
            _ = try FilterQuery(query)
        } throws: { error in
            guard let error = error as? FilterQueryError else { return false }
            return error.position == position && error.message.contains(message)
        }
    }

    @Test func unknownFieldsAreRejectedWhenFieldsAreKnown() {
        #expect {
            try FilterQuery("name = 'x' AND bogus = 1", fields: FilterFields(isField: { $0 == "name" }))
        } throws: { error in
            (error as? FilterQueryError).map { $0.position == 16 && $0.message == "unknown field 'bogus'" } ?? false
        }
    }

    @Test func stringsHonourEscapesAndDoubledQuotes() async throws {
        let entity: JSONValue = ["name": "it's \"quoted\"\\"]
        #expect(try FilterQuery(#"name = 'it''s "quoted"\\'"#).matches(entity))
        #expect(try FilterQuery(#"name = "it's \"quoted\"\\""#).matches(entity))
        #expect(try FilterQuery("NAME LIKE 'it%'").matches(entity) == false, "field names are case-sensitive")
        #expect(try FilterQuery("name = 'x' or name like 'it%'").matches(entity), "keywords are not")
    }

    @Test func wildcardPatterns() {
        #expect(WildcardPattern.glob("llama-*").matches("llama-3-8b"))
        #expect(!WildcardPattern.glob("llama-*").matches("code-llama"))
        #expect(WildcardPattern.glob("*-old").matches("model-old"))
        // Source globs follow upstream: `*` only (a `?` is itself), case ignored, spaces trimmed.
        #expect(WildcardPattern.glob("a?c").matches("a?c") && !WildcardPattern.glob("a?c").matches("abc"))
        #expect(WildcardPattern.glob(" Llama-* ").matches("LLAMA-3"))
        #expect(WildcardPattern("%b%b%", many: "%", one: "_").matches("abcabc"))
        #expect(!WildcardPattern("%b%b%", many: "%", one: "_").matches("abc"))
        #expect(WildcardPattern("A%", many: "%", one: "_", caseInsensitive: true).matches("apple"))
    }

    /// ASCII text is matched byte by byte; anything else as `Character`s. Both read alike.
    @Test(arguments: [
        // (pattern, text, case ignored, matches)
        ("a_c", "abc", false, true), ("A_C", "abc", true, true), ("a_c", "ABC", false, false),
        ("%Z%", "xyz", true, true), ("[%]", "[anything]", false, true), ("%@%", "a@b", false, true),
        // `\r\n` is one Character, so one `_`, whether the text is otherwise ASCII or not.
        ("a_b", "a\r\nb", false, true), ("a__b", "a\r\nb", false, false), ("é_b", "é\r\nb", false, true),
        // Non-ASCII text against an ASCII pattern: `_` is one Character, not one byte.
        ("a_c", "aéc", false, true), ("a_c", "ae\u{301}c", false, true), ("%É%", "café", true, true),
        ("caf_", "CAFÉ", true, true), ("%z%", "ÿ", true, false),
        // The ends of A–Z in the text, read case-insensitively byte by byte.
        ("%z%", "XYZ", true, true), ("[%", "[A", true, true), ("a%", "Ab", true, true), ("{%", "[", true, false),
    ])
    func wildcardPatternsReadCharacters(_ pattern: String, _ text: String, _ caseInsensitive: Bool, _ matches: Bool) {
        #expect(WildcardPattern(pattern, many: "%", one: "_", caseInsensitive: caseInsensitive).matches(text) == matches)
    }

    /// A wildcard of two bytes (`"\r\n"` is one Character) is never read as one byte.
    @Test func aTwoByteWildcardStaysACharacter() {
        #expect(!WildcardPattern("a\nb", many: "\r\n", one: nil).matches("aXYZb"))
        #expect(WildcardPattern("a\r\nb", many: "\r\n", one: nil).matches("aXYZb"))
        #expect(!WildcardPattern("a\nb", many: "%", one: "\r\n").matches("aXb"))
    }

    /// NULL: a field that is missing or holds only nulls equals NULL; nothing orders against it.
    @Test(arguments: [
        ("a = NULL", true), ("a != NULL", false), ("b = NULL", true), ("b != NULL", false),
        ("c = NULL", false), ("c != NULL", true), ("missing = NULL", true), ("missing != NULL", false),
        ("c < NULL", false), ("c IN (NULL)", false), ("c NOT IN (NULL)", true),
    ])
    func nullIsAMissingValue(query: String, expected: Bool) throws {
        let entity: JSONValue = ["a": nil, "b": [nil], "c": 1]
        #expect(try FilterQuery(query).matches(entity) == expected, "\(query)")
    }

    /// Upstream's additions, on a model as upstream's data files write one.
    static let model: JSONValue = [
        "name": "org/granite-8b", "tasks": ["text-generation"],
        "customProperties": [
            "size": ["metadataType": "MetadataStringValue", "string_value": "7B"],
            "context": ["metadataType": "MetadataIntValue", "int_value": "32768"],
            "mlflow.source.type": ["metadataType": "MetadataStringValue", "string_value": "NOTEBOOK"],
            "custom-metric": ["metadataType": "MetadataDoubleValue", "double_value": .number(0.93)],
        ],
        "artifacts": [
            ["uri": "oci://r/granite:1", "customProperties": ["format": ["string_value": "safetensors"], "precision": ["string_value": "fp16"]]],
            ["artifactType": "metrics-artifact", "metricsType": "accuracy-metrics",
             "customProperties": ["format": ["string_value": "gguf"], "precision": ["string_value": "int4"]]],
        ],
    ]

    static let modelFields = FilterFields(
        isField: { ["name", "tasks", "customProperties"].contains($0) }, customProperties: "customProperties", scopes: ["artifacts"])

    @Test(arguments: [
        ("size IN ('7B', '13B')", true), ("size = '13B'", false),
        ("size.string_value = '7B'", true), ("size.int_value = 7", false),
        ("context > 4096", true), ("context.int_value = 32768", true),
        ("`mlflow.source.type` = 'NOTEBOOK'", true), ("`custom-metric` >= 0.9", true),
        ("name.string_value = 'org/granite-8b'", true), ("nothing = 'x'", false), ("nothing != 'x'", false),
        ("artifacts.format = 'gguf'", true), ("artifacts.uri LIKE 'oci://%'", true),
        ("artifacts.format = 'gguf' AND artifacts.precision = 'int4'", true),
        ("artifacts.format = 'gguf' AND artifacts.precision = 'fp16'", false),
        ("artifacts.format = 'gguf' OR artifacts.precision = 'fp16'", true),
        ("artifacts.format = 'safetensors' AND tasks = 'text-generation'", true),
        ("NOT artifacts.format = 'onnx'", true),
        // A part naming only artifacts holds on one artifact, with AND on the same one.
        ("artifacts.format = 'gguf' AND (artifacts.precision = 'fp16' OR artifacts.precision = 'int8')", false),
        ("artifacts.format = 'gguf' AND (artifacts.precision = 'int4' OR artifacts.precision = 'int8')", true),
        ("artifacts.precision = 'fp16' AND artifacts.format NOT IN ('gguf')", true),
        ("artifacts.format NOT IN ('gguf', 'safetensors')", false),
        ("artifacts.format NOT LIKE 'g%' AND artifacts.precision = 'fp16'", true),
        // An explicit NOT: no artifact satisfies what it negates.
        ("NOT (artifacts.format = 'gguf')", false),
        ("name = 'org/granite-8b' AND NOT artifacts.format = 'onnx' AND artifacts.format = 'gguf'", true),
        // Literals against values: a list is != only when no value equals; numbers compare
        // numerically with a string that spells one, text otherwise.
        ("tasks != 'text-generation'", false), ("tasks != 'chat'", true),
        ("context = '32768'", true), ("context = 32768.0", true), ("size = 7", false), ("context > 'abc'", false),
        ("context < '40000'", true), ("size IN (7, '7B')", true), ("name NOT IN ('x', 'org/granite-8b')", false),
        ("`custom-metric` = '0.93'", true), ("`custom-metric` != 0.93", false),
    ])
    func upstreamNamesResolve(query: String, expected: Bool) throws {
        #expect(try FilterQuery(query, fields: Self.modelFields).matches(Self.model) == expected, "\(query)")
    }

    @Test func unknownNamesAreRefusedWithoutCustomProperties() {
        let fields = FilterFields(isField: { $0 == "name" })
        #expect(throws: FilterQueryError.self) { try FilterQuery("size = '7B'", fields: fields) }
        #expect(throws: FilterQueryError.self) { try FilterQuery("`unclosed = 1", fields: Self.modelFields) }
        #expect(throws: FilterQueryError.self) { try FilterQuery("artifacts = 'x'", fields: Self.modelFields) }
    }
}
