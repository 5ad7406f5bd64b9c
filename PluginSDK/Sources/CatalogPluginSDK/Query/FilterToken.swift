/// One lexical token of a `filterQuery`, with the 1-based character position where it starts.
struct FilterToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case identifier(String)
        /// A backtick-quoted name: one path segment, dots included.
        case quotedIdentifier(String)
        case string(String)
        case number(Double)
        case keyword(Keyword)
        case comparison(ComparisonOperator)
        case leftParenthesis, rightParenthesis, comma, dot
        case end
    }

    enum Keyword: String, Sendable, CaseIterable {
        case and = "AND", or = "OR", not = "NOT", `in` = "IN", like = "LIKE", ilike = "ILIKE"
        case `true` = "TRUE", `false` = "FALSE", null = "NULL"
    }

    var kind: Kind
    var position: Int

    /// How the token reads in an error message.
    var spelling: String {
        switch kind {
        case .identifier(let name): "'\(name)'"
        case .quotedIdentifier(let name): "`\(name)`"
        case .string(let value): "string '\(value)'"
        case .number(let value): "number \(value)"
        case .keyword(let keyword): keyword.rawValue
        case .comparison(let op): "'\(op.rawValue)'"
        case .leftParenthesis: "'('"
        case .rightParenthesis: "')'"
        case .comma: "','"
        case .dot: "'.'"
        case .end: "the end of the query"
        }
    }
}

/// A comparison operator of the filter language.
public enum ComparisonOperator: String, Sendable, CaseIterable {
    /// The six comparisons, their raw values as written in a query: `equal` (`=`), `notEqual`
    /// (`!=`; `<>` is read as it too), `less` (`<`), `greater` (`>`), `lessOrEqual` (`<=`) and
    /// `greaterOrEqual` (`>=`).
    case equal = "=", notEqual = "!=", less = "<", greater = ">", lessOrEqual = "<=", greaterOrEqual = ">="
}

/// A `filterQuery` that could not be understood: where, and what was expected there.
public struct FilterQueryError: Error, CustomStringConvertible, Sendable, Equatable {
    /// 1-based character position in the query.
    public var position: Int
    /// What was expected there, and what was found, e.g. `expected a field name, found the end
    /// of the query`.
    public var message: String

    /// `invalid filterQuery at position N: message`, as the 400 answer says it.
    public var description: String { "invalid filterQuery at position \(position): \(message)" }
}

/// Splits a filter query into tokens.
struct FilterTokenizer {
    private let characters: [Character]
    private var index = 0

    init(_ query: String) {
        characters = Array(query)
    }

    static func tokens(of query: String) throws(FilterQueryError) -> [FilterToken] {
        var tokenizer = FilterTokenizer(query)
        var tokens: [FilterToken] = []
        repeat {
            tokens.append(try tokenizer.next())
        } while tokens.last?.kind != .end
        return tokens
    }

    private mutating func next() throws(FilterQueryError) -> FilterToken {
        while index < characters.count, characters[index].isWhitespace { index += 1 }
        let start = index + 1
        guard index < characters.count else { return FilterToken(kind: .end, position: start) }
        let character = characters[index]
        func single(_ kind: FilterToken.Kind) -> FilterToken {
            index += 1
            return FilterToken(kind: kind, position: start)
        }
        switch character {
        case "(": return single(.leftParenthesis)
        case ")": return single(.rightParenthesis)
        case ",": return single(.comma)
        case "=": return single(.comparison(.equal))
        case "!", "<", ">":
            let following = index + 1 < characters.count ? characters[index + 1] : nil
            index += following == "=" || (character == "<" && following == ">") ? 2 : 1
            switch (character, following) {
            case ("!", "="), ("<", ">"): return FilterToken(kind: .comparison(.notEqual), position: start)
            case ("<", "="): return FilterToken(kind: .comparison(.lessOrEqual), position: start)
            case (">", "="): return FilterToken(kind: .comparison(.greaterOrEqual), position: start)
            case ("<", _): return FilterToken(kind: .comparison(.less), position: start)
            case (">", _): return FilterToken(kind: .comparison(.greater), position: start)
            default: throw FilterQueryError(position: start, message: "expected '!=' but found '!' alone")
            }
        case "'", "\"":
            return FilterToken(kind: .string(try quoted(closing: character, start: start)), position: start)
        case "`":
            let name = try quoted(closing: "`", start: start)
            guard !name.isEmpty else { throw FilterQueryError(position: start, message: "a backtick-quoted name is empty") }
            return FilterToken(kind: .quotedIdentifier(name), position: start)
        case "-", ".", "0"..."9":
            if character == "." && !(index + 1 < characters.count && characters[index + 1].isASCIIDigit) {
                return single(.dot)
            }
            return FilterToken(kind: .number(try number(start: start)), position: start)
        default:
            guard character.isIdentifierStart else {
                throw FilterQueryError(position: start, message: "unexpected character '\(character)'")
            }
            var word = ""
            while index < characters.count, characters[index].isIdentifierPart {
                word.append(characters[index])
                index += 1
            }
            if let keyword = FilterToken.Keyword(rawValue: word.uppercased()) {
                return FilterToken(kind: .keyword(keyword), position: start)
            }
            return FilterToken(kind: .identifier(word), position: start)
        }
    }

    /// A quoted string: `\` escapes the next character (`\n`, `\t` and `\\` as usual), and a
    /// doubled quote stands for one quote.
    private mutating func quoted(closing quote: Character, start: Int) throws(FilterQueryError) -> String {
        index += 1
        var value = ""
        while index < characters.count {
            let character = characters[index]
            index += 1
            if character == "\\" {
                guard index < characters.count else { break }
                let escaped = characters[index]
                index += 1
                switch escaped {
                case "n": value.append("\n")
                case "t": value.append("\t")
                default: value.append(escaped)
                }
            } else if character == quote {
                if index < characters.count, characters[index] == quote {
                    value.append(quote)
                    index += 1
                } else {
                    return value
                }
            } else {
                value.append(character)
            }
        }
        throw FilterQueryError(position: start, message: "string starting here is not closed with \(quote)")
    }

    private mutating func number(start: Int) throws(FilterQueryError) -> Double {
        var text = ""
        if characters[index] == "-" {
            text.append("-")
            index += 1
        }
        while index < characters.count, characters[index].isASCIIDigit || ".eE".contains(characters[index])
            || ("+-".contains(characters[index]) && "eE".contains(text.last ?? " "))
        {
            text.append(characters[index])
            index += 1
        }
        guard let value = Double(text), value.isFinite else {
            throw FilterQueryError(position: start, message: "expected a number but found '\(text)'")
        }
        return value
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
    fileprivate var isIdentifierStart: Bool { isLetter || self == "_" }
    fileprivate var isIdentifierPart: Bool { isLetter || isNumber || self == "_" || self == "-" }
}
