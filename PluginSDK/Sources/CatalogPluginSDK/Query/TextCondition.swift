/// A condition every match of a query satisfies that a ``TextIndex`` answers: a value at
/// `paths`, lower-cased, contains `needle`, plain ASCII (``ASCIIText/isPlain(_:)``).
///
/// A list's `q` is one (its text over the search fields); so is a filter's `LIKE` or `ILIKE`
/// on an entity's own field, joined by AND at the top and not negated: a plain value that
/// matches the pattern holds each run of plain characters between its wildcards, so the
/// longest run, lower-cased, is the needle (`name LIKE '%Llama-3%'` → `llama-3`). Case is
/// ignored even for a `LIKE`: an index then serves both, and it only narrows.
struct TextCondition: Sendable {
    /// The paths whose values are searched.
    let paths: [[String]]
    /// The text a value, lower-cased, must contain: lower-cased plain ASCII, not empty.
    let needle: [UInt8]

    /// A `q`: `nil` when its text is empty (every value holds it) or not plain ASCII.
    ///
    /// - Parameters:
    ///   - search: The `q`.
    ///   - paths: The search fields' paths.
    init?(_ search: TextSearch, in paths: [[String]]) {
        guard let needle = search.ascii, !needle.isEmpty else { return nil }
        self.paths = paths
        self.needle = needle
    }

    /// A `LIKE` (or `ILIKE`) pattern's longest run of plain characters between wildcards
    /// (`%`, `_`), lower-cased: `nil` when it has none.
    ///
    /// - Parameters:
    ///   - pattern: The pattern as written.
    ///   - paths: The field's paths.
    ///   - caseInsensitive: Whether it is an `ILIKE`.
    init?(like pattern: String, in paths: [[String]], caseInsensitive: Bool) {
        // Read as `WildcardPattern` reads it: character by character, lower-cased for ILIKE.
        var longest: [UInt8] = []
        var run: [UInt8] = []
        for character in caseInsensitive ? pattern.lowercased() : pattern {
            if character != "%" && character != "_", let byte = ASCIIText.singleByte(character), byte != UInt8(ascii: "\r") {
                run.append(ASCIIText.lowered(byte))
                if run.count > longest.count { longest = run }
            } else {
                run = []
            }
        }
        guard !longest.isEmpty else { return nil }
        self.paths = paths
        self.needle = longest
    }
}
