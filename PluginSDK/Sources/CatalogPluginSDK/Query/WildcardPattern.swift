import Foundation

/// A pattern with a many-character and an optional one-character wildcard: SQL `LIKE` (`%`,
/// `_`) or a source's name glob (`*` only). Matching is linear in practice (greedy with one
/// backtrack point).
///
/// ```swift
/// WildcardPattern("%llama%", many: "%", one: "_", caseInsensitive: true).matches("Meta-Llama-3")  // true
/// WildcardPattern.glob("certified/*").matches("Certified/llm-8b")                                  // true
/// ```
public struct WildcardPattern: Sendable {
    private let pattern: [Character]
    private let many: Character
    private let one: Character?
    private let caseInsensitive: Bool

    /// A pattern with the given wildcards.
    ///
    /// - Parameters:
    ///   - pattern: The pattern.
    ///   - many: The wildcard for any run of characters.
    ///   - one: The wildcard for one character; `nil` for none.
    ///   - caseInsensitive: Whether case is ignored.
    public init(_ pattern: String, many: Character, one: Character?, caseInsensitive: Bool = false) {
        self.pattern = Array(caseInsensitive ? pattern.lowercased() : pattern)
        self.many = many
        self.one = one
        self.caseInsensitive = caseInsensitive
    }

    /// A name glob as upstream's catalog reads `includedModels` and the like: `*` matches any
    /// run of characters, every other character only itself, case ignored.
    ///
    /// - Parameter pattern: The glob; surrounding spaces are ignored.
    /// - Returns: The pattern.
    public static func glob(_ pattern: String) -> WildcardPattern {
        WildcardPattern(pattern.trimmingCharacters(in: .whitespaces), many: "*", one: nil, caseInsensitive: true)
    }

    /// Whether the whole of `text` matches the pattern.
    ///
    /// - Parameter text: The text to match.
    /// - Returns: `true` when it matches.
    public func matches(_ text: String) -> Bool {
        let text = Array(caseInsensitive ? text.lowercased() : text)
        var (t, p) = (0, 0)
        var backtrack: (pattern: Int, text: Int)?
        while t < text.count {
            if p < pattern.count, pattern[p] != many, pattern[p] == one || pattern[p] == text[t] {
                t += 1
                p += 1
            } else if p < pattern.count, pattern[p] == many {
                backtrack = (p, t)
                p += 1
            } else if let point = backtrack {
                p = point.pattern + 1
                t = point.text + 1
                backtrack = (point.pattern, point.text + 1)
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == many { p += 1 }
        return p == pattern.count
    }
}
