#!/usr/bin/env bash
# check-docs.sh — proves that every public symbol of the plugin SDK has a DocC comment.
#
#   PluginSDK/Scripts/check-docs.sh [DIR|FILE ...]     (default: PluginSDK/Sources; relative
#                                                        paths are taken from PluginSDK/)
#
# It reads the Swift sources; it builds nothing (no `swift build`, no symbol graph). Every
# declaration that is public is checked:
#
#   - a declaration marked `public` or `open`: func, var, let, init, subscript, struct, class,
#     enum, protocol, typealias, actor, associatedtype, case, macro — members of extensions
#     included, static ones too;
#   - a requirement of a public protocol (protocol members carry no access modifier);
#   - a case of a public enum (a `case a, b, c` line is one group: one comment documents it);
#   - a member of a `public extension` that states no access level of its own.
#
# Such a declaration is documented when the line before it — skipping attribute lines such as
# `@discardableResult` — is a `///` comment. A blank line or a plain `//` comment in between
# does not count. Code inside string literals and comments is never read as a declaration,
# and nesting is followed brace by brace, so locals and `case`s of a `switch` are not checked.
#
# Limits, honestly: `/** … */` doc blocks are not recognised (the SDK uses `///`); a member
# marked `public` inside a type that is not is checked all the same (stricter than DocC); and
# the check is that a comment exists, not what it says. For DocC's own view, build the symbol
# graph and run `docc convert --experimental-documentation-coverage` — this script exists so
# that the check needs no build.
#
# Prints each undocumented declaration as FILE:LINE and exits 1 when there is any (2 when a
# file's braces, strings or comments do not balance, so that its check could not be trusted).
set -euo pipefail

cd "$(dirname "$0")/.."
if [ "$#" -eq 0 ]; then set -- Sources; fi

files=()
while IFS= read -r file; do files+=("$file"); done < <(find "$@" -name '*.swift' -type f | LC_ALL=C sort)
if [ "${#files[@]}" -eq 0 ]; then
    echo "check-docs: no Swift files under $*" >&2
    exit 2
fi

program=$(cat <<'AWK'
function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t\r]+$/, "", s); return s }

# Removes one leading attribute (`@name` or `@name(…)` with balanced parentheses) from s;
# returns the rest, trimmed.
function drop_attribute(s,    i, depth, c) {
    if (!match(s, /^@[A-Za-z_][A-Za-z0-9_]*/)) return s
    s = substr(s, RLENGTH + 1)
    if (substr(s, 1, 1) == "(") {
        depth = 0
        for (i = 1; i <= length(s); i++) {
            c = substr(s, i, 1)
            if (c == "(") depth++
            else if (c == ")") { depth--; if (depth == 0) break }
        }
        s = substr(s, i + 1)
    }
    return trim(s)
}

function reset_file() {
    msp = 0; ssp = 0; pending_kind = ""; pending_public = 0; documented = 0
}

# Follows strings, comments and braces through one line.
function lex(line,    i, n, c, top, h, j) {
    n = length(line)
    i = 1
    while (i <= n) {
        c = substr(line, i, 1)
        top = (msp > 0) ? ms[msp] : ""
        if (top == "" || top == "I") {
            if (c == "/" && substr(line, i + 1, 1) == "/") return
            if (c == "/" && substr(line, i + 1, 1) == "*") { ms[++msp] = "C"; i += 2; continue }
            if (c == "#" || c == "\"") {
                h = 0
                while (substr(line, i + h, 1) == "#") h++
                if (substr(line, i + h, 1) != "\"") { i += h; continue }
                if (substr(line, i + h, 3) == "\"\"\"") { ms[++msp] = "m" h; i += h + 3 }
                else { ms[++msp] = "s" h; i += h + 1 }
                continue
            }
            if (top == "I") {
                if (c == "(") { ipd[msp]++; i++; continue }
                if (c == ")") { if (ipd[msp] == 0) msp--; else ipd[msp]--; i++; continue }
            }
            if (c == "{") {
                ssp++
                if (pending_kind != "") { sk[ssp] = pending_kind; spub[ssp] = pending_public; pending_kind = "" }
                else { sk[ssp] = "block"; spub[ssp] = 0 }
            } else if (c == "}") {
                if (ssp > 0) ssp--
            }
            i++
            continue
        }
        if (top == "C") {
            if (c == "/" && substr(line, i + 1, 1) == "*") { ms[++msp] = "C"; i += 2; continue }
            if (c == "*" && substr(line, i + 1, 1) == "/") { msp--; i += 2; continue }
            i++
            continue
        }
        # In a string literal: "s<hashes>" on one line, "m<hashes>" multi-line.
        h = substr(top, 2) + 0
        if (c == "\\") {
            for (j = 0; j < h; j++) if (substr(line, i + 1 + j, 1) != "#") break
            if (j < h) { i++; continue }                      # a plain backslash in a raw string
            if (substr(line, i + 1 + h, 1) == "(") { ms[++msp] = "I"; ipd[msp] = 0; i += h + 2; continue }
            i += h + 2                                        # an escaped character
            continue
        }
        if (c == "\"") {
            if (substr(top, 1, 1) == "m") {
                if (substr(line, i, 3) == "\"\"\"" && hashes(line, i + 3, h)) { msp--; i += 3 + h; continue }
            } else if (hashes(line, i + 1, h)) { msp--; i += 1 + h; continue }
        }
        i++
    }
    # A single-line string cannot run past its line; a lexing slip must not spread.
    while (msp > 0 && substr(ms[msp], 1, 1) == "s") msp--
}

function hashes(line, at, h,    j) {
    for (j = 0; j < h; j++) if (substr(line, at + j, 1) != "#") return 0
    return 1
}

BEGIN {
    split("public open package internal private fileprivate static final override mutating nonmutating " \
          "convenience required lazy weak unowned nonisolated dynamic indirect optional prefix postfix " \
          "infix consuming borrowing distributed isolated", list, " ")
    for (k in list) modifier[list[k]] = 1
    split("func var let init subscript struct class enum protocol typealias case actor associatedtype " \
          "extension macro", list, " ")
    for (k in list) declaration[list[k]] = 1
    undocumented = 0; checked = 0; nfiles = 0; unbalanced = 0; previous_file = ""
}

# A file must end with every brace, string and comment closed, or its check cannot be trusted.
function check_balanced(file) {
    if (file != "" && (ssp != 0 || msp != 0)) {
        printf "%s: braces, strings or comments do not balance at the end of the file; cannot check it\n", file
        unbalanced++
    }
}

FNR == 1 { check_balanced(previous_file); previous_file = FILENAME; reset_file(); nfiles++ }

{
    line = $0
    if (msp > 0 && ms[msp] != "I") { documented = 0; lex(line); next }   # inside a comment or string
    t = trim(line)
    if (substr(t, 1, 3) == "///") { documented = 1; next }
    if (t == "" || substr(t, 1, 2) == "//") { documented = 0; lex(line); next }

    rest = t
    while (substr(rest, 1, 1) == "@") rest = drop_attribute(rest)
    if (rest == "") { lex(line); next }                  # attribute lines keep the comment above

    # Modifiers, then the declaration keyword.
    explicit_public = 0; explicit_access = 0; keyword = ""
    while (match(rest, /^[A-Za-z_][A-Za-z0-9_]*(\([a-z]+\))?/)) {
        word = substr(rest, 1, RLENGTH)
        after = trim(substr(rest, RLENGTH + 1))
        if (word == "class" && match(after, /^(func|var|let|subscript)[^A-Za-z0-9_]/)) { rest = after; continue }
        if (word in modifier) {
            if (word == "public" || word == "open") explicit_public = 1
            if (word == "public" || word == "open" || word == "package" || word == "internal" || word == "private" || word == "fileprivate") explicit_access = 1
            rest = after
            continue
        }
        if (match(word, /\(/)) { rest = after; continue }   # private(set) and the like
        keyword = word
        break
    }

    if (keyword in declaration) {
        scope = (ssp > 0) ? sk[ssp] : ""
        scope_public = (ssp > 0) ? spub[ssp] : 0
        public = explicit_public
        if (!explicit_access && scope_public && scope == "protocol") public = 1
        if (!explicit_access && scope_public && scope == "enum" && keyword == "case") public = 1
        if (!explicit_access && scope_public && scope == "extension") public = 1
        if (public) {
            checked++
            if (!documented) {
                printf "%s:%d: undocumented public declaration: %s\n", FILENAME, FNR, t
                undocumented++
            }
        }
        if (keyword == "struct" || keyword == "class" || keyword == "enum" || keyword == "protocol" \
            || keyword == "actor" || keyword == "extension") {
            pending_kind = keyword
            pending_public = public
        }
    }
    documented = 0
    lex(line)
}

END {
    check_balanced(previous_file)
    if (unbalanced > 0) exit 2
    if (undocumented > 0) {
        printf "check-docs: %d of %d public declaration(s) in %d file(s) have no /// comment\n", undocumented, checked, nfiles
        exit 1
    }
    printf "check-docs: all %d public declaration(s) in %d file(s) are documented\n", checked, nfiles
}
AWK
)

LC_ALL=C awk "$program" "${files[@]}"
