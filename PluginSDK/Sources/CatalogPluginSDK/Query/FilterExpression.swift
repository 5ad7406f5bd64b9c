/// A parsed `filterQuery`.
indirect enum FilterExpression: Equatable, Sendable {
    case and(FilterExpression, FilterExpression)
    case or(FilterExpression, FilterExpression)
    case not(FilterExpression)
    case compare(FieldPath, ComparisonOperator, FilterLiteral)
    /// `path [NOT] LIKE pattern`; `negated` for NOT LIKE, so that on a sub-entity list it holds per element.
    case like(FieldPath, pattern: String, caseInsensitive: Bool, negated: Bool)
    /// `path [NOT] IN (…)`; `negated` for NOT IN.
    case member(FieldPath, [FilterLiteral], negated: Bool)
}

/// A field a query names, resolved against the catalog (see ``FilterFields``): the paths its
/// values are read from, and the list of sub-entities it is evaluated in, if any.
struct FieldPath: Equatable, Sendable {
    /// As written, segment by segment (a backtick-quoted name is one segment).
    var segments: [String]
    /// Where the values are: each path is read and the values united.
    var paths: [[String]]
    /// A list of sub-entities (e.g. a model's `artifacts`) the condition is evaluated in: it
    /// holds when one element satisfies it, and conditions joined by AND hold on the same element.
    var scope: String?
    var description: String { segments.joined(separator: ".") }
}

/// A literal value in a filter.
enum FilterLiteral: Equatable, Sendable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
}

/// Recursive-descent parser of the filter language:
///
/// ```
/// expression := term (OR term)*
/// term       := factor (AND factor)*
/// factor     := NOT factor | '(' expression ')' | condition
/// condition  := path comparison value
///             | path [NOT] (LIKE | ILIKE) string
///             | path [NOT] IN '(' value (',' value)* ')'
/// path       := identifier ('.' identifier)*
/// value      := string | number | TRUE | FALSE | NULL
/// ```
struct FilterParser {
    private let tokens: [FilterToken]
    private var index = 0
    /// Open parentheses and `NOT`s around the current position.
    private var depth = 0
    private var conditions = 0
    private let fields: FilterFields

    init(tokens: [FilterToken], fields: FilterFields) {
        self.tokens = tokens
        self.fields = fields
    }

    mutating func parse() throws(FilterQueryError) -> FilterExpression {
        let expression = try parseExpression()
        guard current.kind == .end else {
            throw error("expected AND, OR or the end of the query")
        }
        return expression
    }

    private var current: FilterToken { tokens[index] }

    private mutating func advance() -> FilterToken {
        defer { if index < tokens.count - 1 { index += 1 } }
        return tokens[index]
    }

    private func error(_ expectation: String) -> FilterQueryError {
        FilterQueryError(position: current.position, message: "\(expectation), found \(current.spelling)")
    }

    private mutating func parseExpression() throws(FilterQueryError) -> FilterExpression {
        var expression = try parseTerm()
        while current.kind == .keyword(.or) {
            _ = advance()
            expression = .or(expression, try parseTerm())
        }
        return expression
    }

    private mutating func parseTerm() throws(FilterQueryError) -> FilterExpression {
        var expression = try parseFactor()
        while current.kind == .keyword(.and) {
            _ = advance()
            expression = .and(expression, try parseFactor())
        }
        return expression
    }

    private mutating func parseFactor() throws(FilterQueryError) -> FilterExpression {
        switch current.kind {
        case .keyword(.not):
            try enterNesting()
            defer { depth -= 1 }
            _ = advance()
            return .not(try parseFactor())
        case .leftParenthesis:
            try enterNesting()
            defer { depth -= 1 }
            _ = advance()
            let inner = try parseExpression()
            guard current.kind == .rightParenthesis else { throw error("expected ')'") }
            _ = advance()
            return inner
        default:
            return try parseCondition()
        }
    }

    /// One more level of parentheses or `NOT`, within ``FilterQuery/Limits/maximumDepth``.
    private mutating func enterNesting() throws(FilterQueryError) {
        depth += 1
        guard depth <= FilterQuery.Limits.maximumDepth else {
            throw FilterQueryError(
                position: current.position,
                message: "parentheses and NOT nest deeper than the limit of \(FilterQuery.Limits.maximumDepth) levels")
        }
    }

    private mutating func parseCondition() throws(FilterQueryError) -> FilterExpression {
        conditions += 1
        guard conditions <= FilterQuery.Limits.maximumConditions else {
            throw FilterQueryError(
                position: current.position,
                message: "the query has more than the limit of \(FilterQuery.Limits.maximumConditions) conditions")
        }
        let path = try parsePath()
        switch current.kind {
        case .comparison(let op):
            _ = advance()
            return .compare(path, op, try parseValue())
        case .keyword(.like), .keyword(.ilike):
            return try parseLike(path, negated: false)
        case .keyword(.in):
            return try parseMembership(path, negated: false)
        case .keyword(.not):
            _ = advance()
            switch current.kind {
            case .keyword(.like), .keyword(.ilike): return try parseLike(path, negated: true)
            case .keyword(.in): return try parseMembership(path, negated: true)
            default: throw error("expected LIKE, ILIKE or IN after NOT")
            }
        default:
            throw error("expected a comparison (= != < > <= >=), LIKE, ILIKE or IN after '\(path.description)'")
        }
    }

    private mutating func parsePath() throws(FilterQueryError) -> FieldPath {
        let position = current.position
        var segments = [try parseSegment(expected: "expected a field name")]
        while current.kind == .dot {
            _ = advance()
            segments.append(try parseSegment(expected: "expected a field name after '.'"))
        }
        guard let path = fields.resolve(segments) else {
            throw FilterQueryError(position: position, message: "unknown field '\(segments[0])'")
        }
        return path
    }

    private mutating func parseSegment(expected: String) throws(FilterQueryError) -> String {
        switch current.kind {
        case .identifier(let name), .quotedIdentifier(let name):
            _ = advance()
            return name
        default:
            throw error(expected)
        }
    }

    private mutating func parseLike(_ path: FieldPath, negated: Bool) throws(FilterQueryError) -> FilterExpression {
        let caseInsensitive = advance().kind == .keyword(.ilike)
        guard case .string(let pattern) = current.kind else { throw error("expected a quoted pattern") }
        guard pattern.count <= FilterQuery.Limits.maximumPatternLength else {
            throw FilterQueryError(
                position: current.position,
                message: "the pattern is longer than the limit of \(FilterQuery.Limits.maximumPatternLength) characters")
        }
        _ = advance()
        return .like(path, pattern: pattern, caseInsensitive: caseInsensitive, negated: negated)
    }

    private mutating func parseMembership(_ path: FieldPath, negated: Bool) throws(FilterQueryError) -> FilterExpression {
        _ = advance()
        guard current.kind == .leftParenthesis else { throw error("expected '(' after IN") }
        _ = advance()
        var values = [try parseValue()]
        while current.kind == .comma {
            _ = advance()
            values.append(try parseValue())
        }
        guard current.kind == .rightParenthesis else { throw error("expected ',' or ')' in the IN list") }
        _ = advance()
        return .member(path, values, negated: negated)
    }

    private mutating func parseValue() throws(FilterQueryError) -> FilterLiteral {
        let literal: FilterLiteral
        switch current.kind {
        case .string(let value): literal = .string(value)
        case .number(let value): literal = .number(value)
        case .keyword(.true): literal = .bool(true)
        case .keyword(.false): literal = .bool(false)
        case .keyword(.null): literal = .null
        default: throw error("expected a value (a quoted string, a number, TRUE, FALSE or NULL)")
        }
        _ = advance()
        return literal
    }
}
