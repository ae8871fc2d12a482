/// What changed between two raw bodies, by JSON path: the review question "what did the API
/// say differently today?". Arrays are matched by identity where they have one, so a coin
/// moving from rank 3 to rank 4 is one changed field, not a whole page of differences:
/// objects by their `id` (or `symbol`, `name`, `ticker`), `[timestamp, value]` pairs by the
/// timestamp, columns beside a `timestamp` array (Yahoo's chart) by that timestamp; other
/// arrays position by position.
public struct RawDiff: Equatable, Sendable {
    public enum Change: Equatable, Sendable {
        case added(JSONValue)
        case removed(JSONValue)
        case changed(from: JSONValue, to: JSONValue)
    }

    public struct Entry: Equatable, Sendable {
        /// Like `$.prices[ts=1700000000000][1]` or `$[id=bitcoin].current_price`.
        public let path: String
        public let change: Change
    }

    /// Every difference, in document order.
    public let entries: [Entry]

    public init(_ old: JSONValue, _ new: JSONValue) {
        var entries: [Entry] = []
        Self.compare(old, new, at: "$", into: &entries)
        self.entries = entries
    }

    private static let identityFields = ["id", "symbol", "ticker", "name"]

    /// Row keys of columnar arrays: the values of a `timestamp` array, old and new.
    private typealias Columns = (old: [String], new: [String])

    private static func compare(_ old: JSONValue, _ new: JSONValue, at path: String, columns: Columns? = nil, into entries: inout [Entry]) {
        switch (old, new) {
        case (.object(let a), .object(let b)):
            var columns = columns
            if let stampsA = a["timestamp"]?.array?.compactMap(\.text), let stampsB = b["timestamp"]?.array?.compactMap(\.text),
               Set(stampsA).count == stampsA.count, Set(stampsB).count == stampsB.count {
                columns = (stampsA, stampsB)
            }
            for key in Set(a.keys).union(b.keys).sorted() {
                let child = path + "." + key
                switch (a[key], b[key]) {
                case (let x?, let y?): compare(x, y, at: child, columns: columns, into: &entries)
                case (let x?, nil): entries.append(Entry(path: child, change: .removed(x)))
                case (nil, let y?): entries.append(Entry(path: child, change: .added(y)))
                case (nil, nil): break
                }
            }
        case (.array(let a), .array(let b)):
            if let (keyA, keyB, label) = keyed(a, b, columns: columns) {
                let indexB = Dictionary(keyB.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
                let setA = Set(keyA)
                for (i, key) in keyA.enumerated() {
                    let child = "\(path)[\(label)=\(key)]"
                    if let j = indexB[key] { compare(a[i], b[j], at: child, columns: columns, into: &entries) } else { entries.append(Entry(path: child, change: .removed(a[i]))) }
                }
                for (j, key) in keyB.enumerated() where !setA.contains(key) {
                    entries.append(Entry(path: "\(path)[\(label)=\(key)]", change: .added(b[j])))
                }
            } else {
                for i in 0..<max(a.count, b.count) {
                    let child = "\(path)[\(i)]"
                    if i >= b.count { entries.append(Entry(path: child, change: .removed(a[i]))) }
                    else if i >= a.count { entries.append(Entry(path: child, change: .added(b[i]))) }
                    else { compare(a[i], b[i], at: child, columns: columns, into: &entries) }
                }
            }
        default:
            if old != new { entries.append(Entry(path: path, change: .changed(from: old, to: new))) }
        }
    }

    /// The identity of each element of both arrays, when every element of both has a distinct one.
    private static func keyed(_ a: [JSONValue], _ b: [JSONValue], columns: Columns?) -> ([String], [String], String)? {
        guard !a.isEmpty || !b.isEmpty else { return nil }
        if let columns, columns.old.count == a.count, columns.new.count == b.count, a.allSatisfy({ $0.array == nil && $0["timestamp"] == nil }) {
            return (columns.old, columns.new, "t")
        }
        for field in identityFields {
            let keysA = a.compactMap { $0[field]?.text }, keysB = b.compactMap { $0[field]?.text }
            if keysA.count == a.count, keysB.count == b.count, Set(keysA).count == a.count, Set(keysB).count == b.count {
                return (keysA, keysB, field)
            }
        }
        let stamp = { (item: JSONValue) -> String? in
            guard let pair = item.array, pair.count >= 2, case .number = pair[0] else { return nil }
            return pair[0].text
        }
        let stampsA = a.compactMap(stamp), stampsB = b.compactMap(stamp)
        if stampsA.count == a.count, stampsB.count == b.count, Set(stampsA).count == a.count, Set(stampsB).count == b.count {
            return (stampsA, stampsB, "ts")
        }
        return nil
    }
}

extension JSONValue {
    /// Compact JSON text, for showing a value in one line.
    public var compactText: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number: return text!
        case .string(let text):
            let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(escaped)\""
        case .array(let items): return "[" + items.map(\.compactText).joined(separator: ",") + "]"
        case .object(let fields): return "{" + fields.keys.sorted().map { "\"\($0)\":\(fields[$0]!.compactText)" }.joined(separator: ",") + "}"
        }
    }
}
