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
    /// What matching reads, in one object: a pattern is copied into every closure that
    /// matches with it, once per value a filter reads.
    private final class Compiled: Sendable {
        let pattern: [Character]
        /// The pattern's and wildcards' bytes when they are plain ASCII (the pattern lower-cased
        /// when case is ignored): such a pattern matches ASCII text byte by byte, without
        /// splitting it into `Character`s.
        let ascii: (pattern: [UInt8], many: UInt8, one: UInt8?)?
        let many: Character
        let one: Character?
        let caseInsensitive: Bool

        init(pattern: String, many: Character, one: Character?, caseInsensitive: Bool) {
            self.pattern = Array(pattern)
            let bytes = Array(pattern.utf8)
            // A wildcard read as a byte must be one byte (`"\r\n"` is one ASCII Character of two).
            let oneIsAByte = one.map { ASCIIText.singleByte($0) != nil } ?? true
            if let manyByte = ASCIIText.singleByte(many), oneIsAByte, ASCIIText.isPlain(bytes) {
                self.ascii = (bytes, manyByte, one.flatMap(ASCIIText.singleByte))
            } else {
                self.ascii = nil
            }
            self.many = many
            self.one = one
            self.caseInsensitive = caseInsensitive
        }
    }

    private let compiled: Compiled

    /// A pattern with the given wildcards.
    ///
    /// - Parameters:
    ///   - pattern: The pattern.
    ///   - many: The wildcard for any run of characters.
    ///   - one: The wildcard for one character; `nil` for none.
    ///   - caseInsensitive: Whether case is ignored.
    public init(_ pattern: String, many: Character, one: Character?, caseInsensitive: Bool = false) {
        compiled = Compiled(
            pattern: caseInsensitive ? pattern.lowercased() : pattern, many: many, one: one, caseInsensitive: caseInsensitive)
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
        let compiled = compiled
        if let (pattern, many, one) = compiled.ascii,
            let matched = ASCIIText.withPlainBytes(of: text, { bytes in
                compiled.caseInsensitive
                    ? Self.matches(bytes, pattern, many: many, one: one, read: ASCIIText.lowered)
                    : Self.matches(bytes, pattern, many: many, one: one, read: { $0 })
            })
        {
            return matched
        }
        return Self.matches(
            Array(compiled.caseInsensitive ? text.lowercased() : text), compiled.pattern, many: compiled.many, one: compiled.one,
            read: { $0 })
    }

    /// Whether the whole of `text`, each element read through `read`, matches `pattern`:
    /// greedy, with one backtrack point.
    private static func matches<Text: RandomAccessCollection<Element>, Element: Equatable>(
        _ text: Text, _ pattern: [Element], many: Element, one: Element?, read: (Element) -> Element
    ) -> Bool where Text.Index == Int {
        var (t, p) = (text.startIndex, 0)
        var backtrack: (pattern: Int, text: Int)?
        while t < text.endIndex {
            if p < pattern.count, pattern[p] != many, pattern[p] == one || pattern[p] == read(text[t]) {
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
