/// A condition every match of a query satisfies that a ``TextIndex`` answers: a value at
/// `paths` contains `needle`, plain ASCII (``ASCIIText/isPlain(_:)``), case ignored or not.
///
/// A list's `q` is one (its text, case ignored, over the search fields); so is a filter's
/// `LIKE` or `ILIKE` on an entity's own field, joined by AND at the top and not negated: a
/// plain value that matches the pattern holds each run of plain characters between its
/// wildcards, so the longest run is the needle (`name LIKE '%llama-3%'` → `llama-3`).
struct TextCondition: Sendable {
    /// The paths whose values are searched.
    let paths: [[String]]
    /// The text a value must contain: plain ASCII, not empty, lower-cased when case is ignored.
    let needle: [UInt8]
    /// Whether case is ignored.
    let caseIgnored: Bool

    /// A `q`: `nil` when its text is empty (every value holds it) or not plain ASCII.
    ///
    /// - Parameters:
    ///   - search: The `q`.
    ///   - paths: The search fields' paths.
    init?(_ search: TextSearch, in paths: [[String]]) {
        guard let needle = search.ascii, !needle.isEmpty else { return nil }
        self.init(paths: paths, needle: needle, caseIgnored: true)
    }

    /// A `LIKE` (or `ILIKE`) pattern's longest run of plain characters between wildcards
    /// (`%`, `_`): `nil` when it has none.
    ///
    /// - Parameters:
    ///   - pattern: The pattern as written.
    ///   - paths: The field's paths.
    ///   - caseIgnored: Whether it is an `ILIKE`.
    init?(like pattern: String, in paths: [[String]], caseIgnored: Bool) {
        // As `WildcardPattern` reads it: lower-cased for ILIKE, character by character.
        var longest: [UInt8] = []
        var run: [UInt8] = []
        for character in caseIgnored ? pattern.lowercased() : pattern {
            if character != "%" && character != "_", let byte = ASCIIText.singleByte(character), byte != UInt8(ascii: "\r") {
                run.append(byte)
                if run.count > longest.count { longest = run }
            } else {
                run = []
            }
        }
        guard !longest.isEmpty else { return nil }
        self.init(paths: paths, needle: longest, caseIgnored: caseIgnored)
    }

    private init(paths: [[String]], needle: [UInt8], caseIgnored: Bool) {
        self.paths = paths
        self.needle = needle
        self.caseIgnored = caseIgnored
    }
}
