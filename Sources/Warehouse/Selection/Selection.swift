/// A parsed selection in dbt's grammar, which users know:
///
/// - a term selects by name or glob (`silver.coin_prices`, `coin_prices`, `silver.*`) or by a
///   method: `layer:gold`, `tag:crypto`, `path:models/` (the file that declares it),
///   `state:modified` / `state:new` (SQL or code changed since the last build / never built),
///   `result:error` (and `success`, `skipped`, `blocked`, `warn`, `fail`) from the last run;
/// - graph operators: `+NAME` every ancestor, `2+NAME` ancestors up to 2 hops, `NAME+`,
///   `NAME+1` descendants likewise, `@NAME` its descendants and all their ancestors;
/// - a space (or another argument) unions terms; a comma intersects them (`tag:crypto,layer:gold`);
/// - `exclude` (the CLI's `--exclude`) takes the same grammar and removes what it selects.
public struct Selection: Equatable, Sendable {
    public enum Pattern: Equatable, Sendable {
        /// A full name, a bare table name, or a glob (`*`, `?`) over `layer.name`.
        case name(String)
        case layer(Layer)
        case tag(String)
        /// A prefix or glob over the declaring file (`AssetSpec.source`).
        case path(String)
        case state(State)
        case result(String)
    }

    public enum State: String, Sendable, CaseIterable {
        /// Built before, with a different code or SQL version than the graph's now.
        case modified
        /// Never built.
        case new
    }

    /// One atom of a set: a pattern and its graph operators.
    public struct Term: Equatable, Sendable {
        public var pattern: Pattern
        /// Ancestors to add: nil none, 0 all, n up to n hops.
        public var upstreamDepth: Int?
        /// Descendants to add, likewise.
        public var downstreamDepth: Int?
        /// `@`: descendants and every ancestor of them.
        public var withAncestorsOfDescendants = false

        public var withUpstream: Bool { upstreamDepth != nil }
        public var withDownstream: Bool { downstreamDepth != nil }
    }

    /// Each inner list is an intersection (`a,b`); the outer list is their union.
    public let sets: [[Term]]
    public let exclusions: [[Term]]

    /// Every term, for callers that only need to know what is named.
    public var terms: [Term] { sets.flatMap { $0 } }

    /// The result values `result:` accepts: run statuses, and `warn` / `fail` for checks.
    public static let results = ["success", "error", "skipped", "blocked", "warn", "fail"]

    /// Parses selection arguments (`--all` is the CLI's, not a term).
    /// - Throws: `SelectionError` naming the argument that cannot be read.
    public init(parsing arguments: [String], exclude: [String] = []) throws {
        sets = try Self.parseSets(arguments)
        exclusions = try Self.parseSets(exclude)
    }

    static func parseSets(_ arguments: [String]) throws -> [[Term]] {
        try arguments.flatMap { $0.split(whereSeparator: \.isWhitespace).map(String.init) }.map { set in
            try set.split(separator: ",", omittingEmptySubsequences: false).map { try parseTerm(String($0), in: set) }
        }
    }

    static func parseTerm(_ text: String, in set: String) throws -> Term {
        var body = Substring(text)
        var term = Term(pattern: .name(""))
        if body.hasPrefix("@") {
            term.withAncestorsOfDescendants = true
            body = body.dropFirst()
        } else if let plus = body.firstIndex(of: "+"), body[..<plus].allSatisfy(\.isNumber) {
            term.upstreamDepth = Int(body[..<plus]) ?? 0
            body = body[body.index(after: plus)...]
        }
        if let plus = body.lastIndex(of: "+"), body[body.index(after: plus)...].allSatisfy(\.isNumber) {
            term.downstreamDepth = Int(body[body.index(after: plus)...]) ?? 0
            body = body[..<plus]
        }
        guard !body.isEmpty, !body.contains("+"), !body.contains("@") else { throw SelectionError.emptyTerm(text.isEmpty ? set : text) }
        if term.withAncestorsOfDescendants, term.withDownstream { throw SelectionError.emptyTerm(text) }
        guard let colon = body.firstIndex(of: ":") else {
            term.pattern = .name(String(body))
            return term
        }
        let method = String(body[..<colon]), value = String(body[body.index(after: colon)...])
        guard !value.isEmpty else { throw SelectionError.emptyTerm(text) }
        switch method {
        case "layer":
            guard let layer = Layer(rawValue: value) else { throw SelectionError.unknownLayer(value) }
            term.pattern = .layer(layer)
        case "tag": term.pattern = .tag(value)
        case "path": term.pattern = .path(value)
        case "state":
            guard let state = State(rawValue: value) else { throw SelectionError.unknownValue(method: method, value: value, known: State.allCases.map(\.rawValue)) }
            term.pattern = .state(state)
        case "result":
            guard results.contains(value) else { throw SelectionError.unknownValue(method: method, value: value, known: results) }
            term.pattern = .result(value)
        default:
            throw SelectionError.unknownMethod(method)
        }
        return term
    }

    /// The selected assets in the graph's order.
    /// - Parameter facts: what `state:` and `result:` read; asked only when a term uses them.
    /// - Throws: `SelectionError.noMatch` for a name or glob that selects nothing, with a suggestion.
    public func resolve(in graph: AssetGraph, facts: () throws -> SelectionFacts = { SelectionFacts() }) throws -> [AssetKey] {
        var known: SelectionFacts?
        func lazyFacts() throws -> SelectionFacts {
            if let known { return known }
            let fetched = try facts()
            known = fetched
            return fetched
        }
        func select(_ sets: [[Term]]) throws -> Set<AssetKey> {
            var selected = Set<AssetKey>()
            for set in sets {
                var intersection: Set<AssetKey>?
                for term in set {
                    let picked = try term.resolve(in: graph, facts: lazyFacts)
                    intersection = intersection.map { $0.intersection(picked) } ?? picked
                }
                selected.formUnion(intersection ?? [])
            }
            return selected
        }
        let selected = try select(sets).subtracting(try select(exclusions))
        return graph.order.filter(selected.contains)
    }
}

/// What a selection reads from the root: which assets changed or are new, and how each fared
/// in the last run (`success`, `failed`, `skipped`, `blocked`, and for checks `warn` / `fail`).
public struct SelectionFacts: Sendable {
    public var modified: Set<AssetKey>
    public var new: Set<AssetKey>
    /// Asset -> the result values it matches from the last run.
    public var results: [AssetKey: Set<String>]

    public init(modified: Set<AssetKey> = [], new: Set<AssetKey> = [], results: [AssetKey: Set<String>] = [:]) {
        self.modified = modified
        self.new = new
        self.results = results
    }
}

extension Selection.Term {
    func resolve(in graph: AssetGraph, facts: () throws -> SelectionFacts) throws -> Set<AssetKey> {
        let matched: [AssetKey]
        switch pattern {
        case .state(let state):
            let known = try facts()
            matched = graph.order.filter { (state == .modified ? known.modified : known.new).contains($0) }
        case .result(let value):
            let known = try facts()
            matched = graph.order.filter { known.results[$0]?.contains(value) ?? false }
        default:
            matched = graph.order.filter { pattern.matches($0, spec: graph.specs[$0]!) }
            if matched.isEmpty {
                var suggestion: AssetKey?
                if case .name(let name) = pattern, !Glob.isGlob(name) {
                    if let key = AssetKey(parsing: name) {
                        suggestion = AssetGraph.closest(to: key, in: graph.order)
                    } else {
                        // A bare name is compared with the table names.
                        suggestion = graph.order.map { ($0, EditDistance.between(name, $0.name)) }.filter { $0.1 <= max(3, name.count / 3) }
                            .min { ($0.1, $0.0) < ($1.1, $1.0) }?.0
                    }
                }
                throw SelectionError.noMatch(term: pattern.text, suggestion: suggestion)
            }
        }
        var selected = Set(matched)
        for key in matched {
            if let depth = upstreamDepth { selected.formUnion(graph.ancestors(of: key, depth: depth)) }
            if let depth = downstreamDepth { selected.formUnion(graph.descendants(of: key, depth: depth)) }
            if withAncestorsOfDescendants {
                let descendants = graph.descendants(of: key, depth: 0).union([key])
                selected.formUnion(descendants)
                for descendant in descendants { selected.formUnion(graph.ancestors(of: descendant, depth: 0)) }
            }
        }
        return selected
    }
}

extension Selection.Pattern {
    func matches(_ key: AssetKey, spec: AssetSpec) -> Bool {
        switch self {
        case .name(let pattern):
            // A bare name (no layer) matches the table name, as dbt's model names do.
            return Glob.matches(pattern, key.description) || (!pattern.contains(".") && Glob.matches(pattern, key.name))
        case .layer(let layer): return key.layer == layer
        case .tag(let tag): return spec.tags.contains(tag)
        case .path(let path):
            guard let source = spec.source else { return false }
            return Glob.isGlob(path) ? Glob.matches(path, source) : (source == path || source.hasPrefix(path.hasSuffix("/") ? path : path + "/"))
        case .state, .result: return false
        }
    }

    var text: String {
        switch self {
        case .name(let name): return name
        case .layer(let layer): return "layer:\(layer.rawValue)"
        case .tag(let tag): return "tag:\(tag)"
        case .path(let path): return "path:\(path)"
        case .state(let state): return "state:\(state.rawValue)"
        case .result(let value): return "result:\(value)"
        }
    }
}

/// A selection that cannot be used.
public enum SelectionError: WarehouseError, Equatable {
    case emptyTerm(String)
    case unknownLayer(String)
    case unknownMethod(String)
    case unknownValue(method: String, value: String, known: [String])
    case noMatch(term: String, suggestion: AssetKey?)

    static let grammar = "write NAME, +NAME, NAME+, 2+NAME, NAME+1, @NAME, a glob such as silver.*, or METHOD:VALUE (layer, tag, path, state, result); a comma intersects, a space unions"

    public var parts: (problem: String, fix: String?) {
        switch self {
        case .emptyTerm(let text):
            return ("selection '\(text)' names no asset", Self.grammar)
        case .unknownLayer(let name):
            return ("selection layer:\(name) is not a layer", "use layer:bronze, layer:silver or layer:gold")
        case .unknownMethod(let method):
            return ("selection method '\(method):' is not known", "use layer:, tag:, path:, state: or result:")
        case .unknownValue(let method, let value, let known):
            return ("selection \(method):\(value) is not known", "use \(known.map { "\(method):\($0)" }.joined(separator: ", "))")
        case .noMatch(let term, let suggestion):
            let hint = suggestion.map { " Did you mean \($0)?" } ?? ""
            return ("selection '\(term)' matches no asset.\(hint)", "run `warehouse ls` to list the asset names")
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
