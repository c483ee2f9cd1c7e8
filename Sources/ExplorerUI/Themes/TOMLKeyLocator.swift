/// Finds the line a TOML key or table header sits on, by reading the source text.
///
/// Why: TOMLKit reports positions only for syntax errors, not for the keys of a parsed table,
/// and theme errors must say where to look. Good enough for hand-written theme files: it knows
/// `[table]` headers, dotted and quoted keys and comments, not keys hidden inside multi-line strings.
struct TOMLKeyLocator {
    private let lines: [Substring]

    init(text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    }

    /// 1-based line where `path` (e.g. ["colors", "scale"]) is assigned; failing that, the line of
    /// the nearest enclosing table that is written out (header or inline table).
    func line(ofKey path: [String]) -> Int? {
        var header: [String] = []
        var best: (line: Int, depth: Int)?
        for (index, raw) in lines.enumerated() {
            let line = raw.drop(while: { $0 == " " || $0 == "\t" })
            if line.hasPrefix("#") || line.isEmpty { continue }
            var full: [String]
            if line.hasPrefix("[") {
                header = Self.keyParts(line.drop(while: { $0 == "[" }).prefix(while: { $0 != "]" }))
                full = header
            } else if let equals = line.firstIndex(of: "=") {
                full = header + Self.keyParts(line[..<equals])
            } else {
                continue
            }
            if full == path { return index + 1 }
            if full.count < path.count, Array(path.prefix(full.count)) == full, full.count > (best?.depth ?? 0) {
                best = (index + 1, full.count)
            }
        }
        return best?.line
    }

    /// 1-based line of the first line at or after `start` that contains `needle`.
    func line(containing needle: String, from start: Int) -> Int? {
        guard start >= 1, start <= lines.count else { return nil }
        for index in (start - 1)..<lines.count where lines[index].contains(needle) {
            return index + 1
        }
        return nil
    }

    private static func keyParts(_ key: Substring) -> [String] {
        key.split(separator: ".").map { part in
            part.trimmingCharacters(in: " \t\"'")
        }
    }
}

private extension Substring {
    func trimmingCharacters(in set: String) -> String {
        let skip = Set(set)
        let head = drop(while: { skip.contains($0) })
        return String(head.reversed().drop(while: { skip.contains($0) }).reversed())
    }
}
