/// A compiled `filterQuery`: parsed once per request, then a plain predicate per entity.
///
/// The language: comparisons `= != < > <= >=`, `LIKE` and `ILIKE` with `%` and `_`,
/// `IN (…)`, `AND`, `OR`, `NOT`, parentheses, single- or double-quoted strings (`\` escapes,
/// or a doubled quote), numbers, `TRUE`, `FALSE`, `NULL`, and dotted paths into nested fields.
/// Keywords are case-insensitive. A comparison is true when any value at the path satisfies it
/// (so lists match by membership); numbers compare numerically, also against numeric strings;
/// a missing field satisfies nothing but `= NULL`. `!=` is true when the field is present and no
/// value equals the literal.
///
/// A query is bounded before it is parsed and while it is: at most ``Limits/maximumLength``
/// characters, ``Limits/maximumDepth`` levels of parentheses and `NOT`, ``Limits/maximumConditions``
/// conditions, and LIKE patterns of at most ``Limits/maximumPatternLength`` characters. Past a
/// limit the query is refused with an error naming it, so no client input drives recursion or
/// matching cost without bound.
public struct FilterQuery: Sendable {
    /// The bounds every query is held to.
    public enum Limits {
        /// Characters in one query.
        public static let maximumLength = 16_384
        /// Nested parentheses and `NOT`s.
        public static let maximumDepth = 64
        /// Comparisons, LIKEs and INs in one query.
        public static let maximumConditions = 512
        /// Characters in one LIKE or ILIKE pattern.
        public static let maximumPatternLength = 1_024
    }

    public let text: String
    private let predicate: @Sendable (JSONValue) -> Bool

    /// Parses and compiles `text`, resolving names with `fields`.
    ///
    /// - Parameters:
    ///   - text: The query, e.g. `provider = 'IBM' AND NOT (tags IN ('beta'))`.
    ///   - fields: How names resolve: declared fields, custom properties, sub-entity lists.
    /// - Throws: ``FilterQueryError`` with the position and a message, also when a limit is passed.
    public init(_ text: String, fields: FilterFields = .any) throws(FilterQueryError) {
        guard text.count <= Limits.maximumLength else {
            throw FilterQueryError(
                position: Limits.maximumLength + 1,
                message: "the query is longer than the limit of \(Limits.maximumLength) characters")
        }
        var parser = FilterParser(tokens: try FilterTokenizer.tokens(of: text), fields: fields)
        self.text = text
        self.predicate = Self.compile(try parser.parse())
    }

    public func matches(_ entity: JSONValue) -> Bool { predicate(entity) }

    private typealias Predicate = @Sendable (JSONValue) -> Bool

    private static func compile(_ expression: FilterExpression) -> Predicate {
        switch expression {
        case .and:
            // Conditions on one sub-entity list joined by AND must hold on the same element.
            var plain: [Predicate] = []
            var scoped: [String: [Predicate]] = [:]
            for part in conjuncts(expression) {
                if let (scope, condition) = scopedCondition(part) {
                    scoped[scope, default: []].append(condition)
                } else {
                    plain.append(compile(part))
                }
            }
            for (scope, conditions) in scoped.sorted(by: { $0.key < $1.key }) {
                plain.append { entity in
                    (entity[scope]?.arrayValue ?? []).contains { element in conditions.allSatisfy { $0(element) } }
                }
            }
            let all = plain
            return { entity in all.allSatisfy { $0(entity) } }
        case .or(let left, let right):
            let (left, right) = (compile(left), compile(right))
            return { left($0) || right($0) }
        case .not(let inner):
            let inner = compile(inner)
            return { !inner($0) }
        case .compare(let path, _, _), .like(let path, _, _), .member(let path, _):
            let condition = leaf(expression)
            guard let scope = path.scope else { return condition }
            return { entity in (entity[scope]?.arrayValue ?? []).contains(where: condition) }
        }
    }

    /// The conditions of a chain of ANDs.
    private static func conjuncts(_ expression: FilterExpression) -> [FilterExpression] {
        if case .and(let left, let right) = expression { return conjuncts(left) + conjuncts(right) }
        return [expression]
    }

    /// A condition on a sub-entity list, as a predicate on one element.
    private static func scopedCondition(_ expression: FilterExpression) -> (String, Predicate)? {
        switch expression {
        case .compare(let path, _, _), .like(let path, _, _), .member(let path, _):
            guard let scope = path.scope else { return nil }
            return (scope, leaf(expression))
        default:
            return nil
        }
    }

    /// A comparison, LIKE or IN on the values at its paths (of an entity, or of one element).
    private static func leaf(_ expression: FilterExpression) -> Predicate {
        switch expression {
        case .compare(let path, let op, let literal):
            let paths = path.paths
            return { target in compare(values(paths, in: target), op, literal) }
        case .like(let path, let pattern, let caseInsensitive):
            let paths = path.paths
            let matcher = WildcardPattern(pattern, many: "%", one: "_", caseInsensitive: caseInsensitive)
            return { target in values(paths, in: target).contains { FieldValues.text($0).map(matcher.matches) ?? false } }
        case .member(let path, let literals):
            let paths = path.paths
            return { target in
                let values = values(paths, in: target)
                return literals.contains { literal in values.contains { equals($0, literal) } }
            }
        default:
            return compile(expression)
        }
    }

    private static func values(_ paths: [[String]], in target: JSONValue) -> [JSONValue] {
        paths.count == 1 ? FieldValues.values(at: paths[0], in: target) : paths.flatMap { FieldValues.values(at: $0, in: target) }
    }

    private static func compare(_ values: [JSONValue], _ op: ComparisonOperator, _ literal: FilterLiteral) -> Bool {
        if literal == .null {
            switch op {
            case .equal: return values.isEmpty
            case .notEqual: return !values.isEmpty
            default: return false
            }
        }
        switch op {
        case .equal: return values.contains { equals($0, literal) }
        case .notEqual: return !values.isEmpty && !values.contains { equals($0, literal) }
        default: return values.contains { order($0, literal).map { satisfies($0, op) } ?? false }
        }
    }

    private static func equals(_ value: JSONValue, _ literal: FilterLiteral) -> Bool {
        switch literal {
        case .null: return value == .null
        case .bool(let bool):
            return value.boolValue == bool || value.stringValue?.lowercased() == String(bool)
        case .number(let number):
            return FieldValues.number(value) == number
        case .string(let text):
            if let number = FieldValues.number(value), value.stringValue == nil, let literalNumber = Double(text) {
                return number == literalNumber
            }
            return FieldValues.text(value) == text
        }
    }

    /// How `value` orders against `literal`: numerically when both are numbers, else as text.
    private static func order(_ value: JSONValue, _ literal: FilterLiteral) -> ComparisonResult? {
        switch literal {
        case .number(let number):
            return FieldValues.number(value).map { ComparisonResult($0, number) }
        case .string(let text):
            if let number = FieldValues.number(value), let literalNumber = Double(text) {
                return ComparisonResult(number, literalNumber)
            }
            return FieldValues.text(value).map { ComparisonResult($0, text) }
        case .bool, .null:
            return nil
        }
    }

    private static func satisfies(_ result: ComparisonResult, _ op: ComparisonOperator) -> Bool {
        switch op {
        case .less: result == .ascending
        case .lessOrEqual: result != .descending
        case .greater: result == .descending
        case .greaterOrEqual: result != .ascending
        case .equal: result == .same
        case .notEqual: result != .same
        }
    }
}

/// The order of two values.
enum ComparisonResult {
    case ascending, same, descending

    init<Value: Comparable>(_ left: Value, _ right: Value) {
        self = left < right ? .ascending : (left == right ? .same : .descending)
    }
}
