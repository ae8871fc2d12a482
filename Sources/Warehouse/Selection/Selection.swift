/// A parsed selection, dbt-style: terms are unioned; each term picks assets by name, glob,
/// layer or tag, optionally with their upstream (`+term`) and/or downstream (`term+`) assets.
public struct Selection: Equatable, Sendable {
    public enum Pattern: Equatable, Sendable {
        /// A full name or a glob (`*`, `?`) over `layer.name`.
        case name(String)
        case layer(Layer)
        case tag(String)
    }

    public struct Term: Equatable, Sendable {
        public var pattern: Pattern
        public var withUpstream: Bool
        public var withDownstream: Bool
    }

    public let terms: [Term]

    /// Parses selection arguments (`--all` is the CLI's, not a term).
    /// - Throws: `SelectionError` naming the argument that cannot be read.
    public init(parsing arguments: [String]) throws {
        terms = try arguments.flatMap { $0.split(separator: " ").map(String.init) }.map(Self.parseTerm)
    }

    static func parseTerm(_ text: String) throws -> Term {
        var body = Substring(text)
        let upstream = body.hasPrefix("+")
        if upstream { body = body.dropFirst() }
        let downstream = body.hasSuffix("+")
        if downstream { body = body.dropLast() }
        guard !body.isEmpty else { throw SelectionError.emptyTerm(text) }
        let pattern: Pattern
        if body.hasPrefix("layer:") {
            let name = String(body.dropFirst(6))
            guard let layer = Layer(rawValue: name) else { throw SelectionError.unknownLayer(name) }
            pattern = .layer(layer)
        } else if body.hasPrefix("tag:") {
            let tag = String(body.dropFirst(4))
            guard !tag.isEmpty else { throw SelectionError.emptyTerm(text) }
            pattern = .tag(tag)
        } else {
            pattern = .name(String(body))
        }
        return Term(pattern: pattern, withUpstream: upstream, withDownstream: downstream)
    }

    /// The selected assets in the graph's order.
    /// - Throws: `SelectionError.noMatch` for a term that selects nothing, with a suggestion.
    public func resolve(in graph: AssetGraph) throws -> [AssetKey] {
        var selected = Set<AssetKey>()
        for term in terms {
            let matched = graph.order.filter { term.pattern.matches($0, tags: graph.specs[$0]!.tags) }
            guard !matched.isEmpty else {
                var suggestion: AssetKey?
                if case .name(let name) = term.pattern, !Glob.isGlob(name) {
                    suggestion = AssetGraph.closest(to: AssetKey(parsing: name) ?? AssetKey(.bronze, name), in: graph.order)
                }
                throw SelectionError.noMatch(term: term.pattern.text, suggestion: suggestion)
            }
            for key in matched {
                selected.insert(key)
                if term.withUpstream { selected.formUnion(graph.ancestors(of: key)) }
                if term.withDownstream { selected.formUnion(graph.descendants(of: key)) }
            }
        }
        return graph.order.filter(selected.contains)
    }
}

extension Selection.Pattern {
    func matches(_ key: AssetKey, tags: Set<String>) -> Bool {
        switch self {
        case .name(let pattern): return Glob.matches(pattern, key.description)
        case .layer(let layer): return key.layer == layer
        case .tag(let tag): return tags.contains(tag)
        }
    }

    var text: String {
        switch self {
        case .name(let name): return name
        case .layer(let layer): return "layer:\(layer.rawValue)"
        case .tag(let tag): return "tag:\(tag)"
        }
    }
}

/// A selection that cannot be used.
public enum SelectionError: WarehouseError, Equatable {
    case emptyTerm(String)
    case unknownLayer(String)
    case noMatch(term: String, suggestion: AssetKey?)

    public var parts: (problem: String, fix: String?) {
        switch self {
        case .emptyTerm(let text):
            return ("selection '\(text)' names no asset", "write NAME, NAME+, +NAME, layer:LAYER, tag:TAG or a glob such as silver.*")
        case .unknownLayer(let name):
            return ("selection layer:\(name) is not a layer", "use layer:bronze, layer:silver or layer:gold")
        case .noMatch(let term, let suggestion):
            let hint = suggestion.map { " Did you mean \($0)?" } ?? ""
            return ("selection '\(term)' matches no asset.\(hint)", "run `warehouse assets` to list the asset names")
        }
    }
}

/// Shell-style globs over asset names: `*` any run, `?` one character.
public enum Glob {
    public static func isGlob(_ pattern: String) -> Bool { pattern.contains("*") || pattern.contains("?") }

    public static func matches(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.utf8), t = Array(text.utf8)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == UInt8(ascii: "?") || p[pi] == t[ti] { pi += 1; ti += 1 }
            else if pi < p.count, p[pi] == UInt8(ascii: "*") { star = pi; mark = ti; pi += 1 }
            else if star >= 0 { pi = star + 1; mark += 1; ti = mark }
            else { return false }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
