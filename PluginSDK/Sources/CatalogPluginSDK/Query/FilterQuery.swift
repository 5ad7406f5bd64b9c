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
///
/// ```swift
/// let query = try FilterQuery("category = 'search' AND callCount > 100",
///                             fields: engine.definition.filterFields)
/// let busy = engine.snapshot.entities.filter(query.matches)
/// ```
///
/// ``ListQuery`` compiles the request's `filterQuery` this way; its errors become 400s.
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

    /// The query as written.
    public let text: String
    private let expression: FilterExpression
    private let predicate: @Sendable (JSONValue) -> Bool
    /// The conditions an index can narrow the entities by (see ``IndexedCondition``).
    let indexedConditions: [IndexedCondition]
    /// The `LIKE`s and `ILIKE`s a text index can narrow the entities by (see ``TextCondition``).
    let textConditions: [TextCondition]

    /// A condition every match satisfies that an index of a field answers: an `=` or `IN` of
    /// string or number literals on an entity's own field, joined to the rest of the query by
    /// AND at the top. An entity satisfies the query only if a value at `paths` equals one of
    /// `literals`.
    struct IndexedCondition: Sendable {
        /// The field's paths.
        let paths: [[String]]
        /// The literals, one of which a value must equal.
        let literals: [FilterLiteral]
    }

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
        self.expression = try parser.parse()
        self.predicate = Self.compile(expression)
        let conjuncts = Self.conjuncts(expression)
        self.indexedConditions = conjuncts.compactMap(Self.indexed)
        self.textConditions = conjuncts.compactMap(Self.textCondition)
    }

    /// `condition` as a ``TextCondition``, when it is a `LIKE` or `ILIKE` on an entity's own
    /// field with a plain run in its pattern.
    private static func textCondition(_ condition: FilterExpression) -> TextCondition? {
        guard case .like(let path, let pattern, let caseInsensitive, negated: false) = condition, path.scope == nil else { return nil }
        return TextCondition(like: pattern, in: path.paths, caseInsensitive: caseInsensitive)
    }

    /// `condition` as an ``IndexedCondition``, when it is one.
    private static func indexed(_ condition: FilterExpression) -> IndexedCondition? {
        let path: FieldPath
        let literals: [FilterLiteral]
        switch condition {
        case .compare(let compared, .equal, let literal):
            (path, literals) = (compared, [literal])
        case .member(let member, let members, negated: false):
            (path, literals) = (member, members)
        default:
            return nil
        }
        let indexable = literals.allSatisfy { literal in
            switch literal {
            case .string, .number: true
            case .bool, .null: false
            }
        }
        guard path.scope == nil, indexable, !literals.isEmpty else { return nil }
        return IndexedCondition(paths: path.paths, literals: literals)
    }

    /// Whether `entity` satisfies the query.
    ///
    /// - Parameter entity: An entity, as loaded.
    /// - Returns: `true` when it satisfies the query.
    public func matches(_ entity: JSONValue) -> Bool { predicate(entity) }

    /// The query's conditions on one element of the sub-entity list `scope`: the parts joined
    /// by AND at the top that name only that list (`artifacts.ttft_p90 < 100`), as a predicate
    /// on one element, or `nil` when there are none. For example the model catalog chooses with
    /// it which of a model's artifacts a request's filter speaks of.
    ///
    /// - Parameter scope: A sub-entity list of the catalog, e.g. `artifacts`.
    /// - Returns: The predicate on one element, or `nil` when the query names no such condition.
    public func elementCondition(_ scope: String) -> (@Sendable (JSONValue) -> Bool)? {
        let parts = Self.conjuncts(expression).filter { Self.scope(of: $0) == scope }.map(Self.onElement)
        guard !parts.isEmpty else { return nil }
        return { element in parts.allSatisfy { $0(element) } }
    }

    private typealias Predicate = @Sendable (JSONValue) -> Bool

    /// The predicate of `expression` on an entity.
    ///
    /// A part of the query that names only one sub-entity list (`artifacts.format = 'gguf'`,
    /// `(artifacts.a = 1 OR artifacts.b = 2)`, `artifacts.c NOT IN (…)`) holds when one element
    /// satisfies it, and such parts joined by AND must hold on the same element. An explicit
    /// `NOT (…)` around them means that no element satisfies what it negates.
    private static func compile(_ expression: FilterExpression) -> Predicate {
        if let scope = scope(of: expression) {
            let condition = onElement(expression)
            return { entity in (entity[scope]?.arrayValue ?? []).contains(where: condition) }
        }
        switch expression {
        case .and:
            var plain: [Predicate] = []
            var scoped: [String: [Predicate]] = [:]
            for part in conjuncts(expression) {
                if let scope = scope(of: part) {
                    scoped[scope, default: []].append(onElement(part))
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
        case .compare, .like, .member:
            return leaf(expression)
        }
    }

    /// The one sub-entity list every condition of `expression` names, if there is one. An
    /// explicit NOT is not evaluated per element.
    private static func scope(of expression: FilterExpression) -> String? {
        switch expression {
        case .compare(let path, _, _), .like(let path, _, _, _), .member(let path, _, _):
            return path.scope
        case .and(let left, let right), .or(let left, let right):
            guard let list = scope(of: left), list == scope(of: right) else { return nil }
            return list
        case .not:
            return nil
        }
    }

    /// The predicate of a part that names one sub-entity list, on one element of that list.
    private static func onElement(_ expression: FilterExpression) -> Predicate {
        switch expression {
        case .and(let left, let right):
            let (left, right) = (onElement(left), onElement(right))
            return { left($0) && right($0) }
        case .or(let left, let right):
            let (left, right) = (onElement(left), onElement(right))
            return { left($0) || right($0) }
        default:
            return leaf(expression)
        }
    }

    /// The conditions of a chain of ANDs.
    private static func conjuncts(_ expression: FilterExpression) -> [FilterExpression] {
        if case .and(let left, let right) = expression { return conjuncts(left) + conjuncts(right) }
        return [expression]
    }

    /// A comparison, LIKE or IN on the values at its paths (of an entity, or of one element).
    /// Values are read one by one (``FieldValues/contains(at:in:where:)``), never collected, and
    /// each test on a value is made for its literal once, when the query is compiled.
    private static func leaf(_ expression: FilterExpression) -> Predicate {
        switch expression {
        case .compare(let path, let op, .null):
            let paths = path.paths
            switch op {
            case .equal: return { target in !anyValue(paths, in: target) { _ in true } }
            case .notEqual: return { target in anyValue(paths, in: target) { _ in true } }
            default: return { _ in false }
            }
        case .compare(let path, .equal, let literal):
            let (paths, equal) = (path.paths, equality(literal))
            return { target in anyValue(paths, in: target, where: equal) }
        case .compare(let path, .notEqual, let literal):
            let (paths, equal) = (path.paths, equality(literal))
            return { target in
                var present = false
                let anyEqual = anyValue(paths, in: target) { value in
                    present = true
                    return equal(value)
                }
                return present && !anyEqual
            }
        case .compare(let path, let op, let literal):
            let (paths, order) = (path.paths, ordering(literal))
            return { target in anyValue(paths, in: target) { order($0).map { satisfies($0, op) } ?? false } }
        case .like(let path, let pattern, let caseInsensitive, let negated):
            let paths = path.paths
            let matcher = WildcardPattern(pattern, many: "%", one: "_", caseInsensitive: caseInsensitive)
            return { target in
                negated != anyValue(paths, in: target) { value in
                    guard let text = FieldValues.text(value) else { return false }
                    return matcher.matches(text)
                }
            }
        case .member(let path, let literals, let negated):
            let (paths, tests) = (path.paths, literals.map(equality))
            return { target in
                negated != anyValue(paths, in: target) { value in tests.contains { $0(value) } }
            }
        case .and, .or, .not:
            return compile(expression)
        }
    }

    /// Whether a value at one of `paths` in `target` satisfies `predicate`.
    private static func anyValue(_ paths: [[String]], in target: JSONValue, where predicate: (JSONValue) -> Bool) -> Bool {
        paths.contains { FieldValues.contains(at: $0, in: target, where: predicate) }
    }

    /// Whether a value equals `literal`: a number compares numerically, also with a string
    /// literal that spells one; a string compares as text.
    private static func equality(_ literal: FilterLiteral) -> Predicate {
        switch literal {
        case .null:
            return { $0 == .null }
        case .bool(let bool):
            let spelled = String(bool)
            return { $0.boolValue == bool || $0.stringValue?.lowercased() == spelled }
        case .number(let number):
            return { FieldValues.number($0) == number }
        case .string(let text):
            let literalNumber = Double(text)
            return { value in
                if case .string(let string) = value { return string == text }
                if let literalNumber, let number = FieldValues.number(value) { return number == literalNumber }
                return FieldValues.text(value) == text
            }
        }
    }

    /// How a value orders against `literal`: numerically when both are numbers, else as text.
    private static func ordering(_ literal: FilterLiteral) -> @Sendable (JSONValue) -> ComparisonResult? {
        switch literal {
        case .number(let number):
            return { FieldValues.number($0).map { ComparisonResult($0, number) } }
        case .string(let text):
            let literalNumber = Double(text)
            return { value in
                if let literalNumber, let number = FieldValues.number(value) {
                    return ComparisonResult(number, literalNumber)
                }
                return FieldValues.text(value).map { ComparisonResult($0, text) }
            }
        case .bool, .null:
            return { _ in nil }
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
