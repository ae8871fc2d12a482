import Foundation

/// What a stream segment holds, counted without interpreting any venue's messages: lines,
/// stream messages, polled answers, events by name, close codes, connections, the time it
/// spans and its longest pause. `warehouse raw ls/show/diff` describe and compare segments
/// with it; a reviewer sees at a glance that one minute had a drop and the next did not.
public struct SegmentSummary: Equatable, Sendable {
    public var lines = 0
    public var messages = 0
    public var polls = 0
    /// Lines that are not segment lines (a cut last line, a foreign writer's mistake).
    public var badLines = 0
    public var events: [String: Int] = [:]
    public var closeCodes: [Int64: Int] = [:]
    public var connections: Set<Int64> = []
    public var firstReceived: Int64?
    public var lastReceived: Int64?
    /// The longest time between two consecutive lines, ms.
    public var longestPause: Int64 = 0

    public init(body: Data) {
        var previous: Int64?
        StreamSegment.forEachLine(in: body) { bytes, _ in
            lines += 1
            guard let line = try? StreamSegment.parse(bytes, messages: false) else { badLines += 1; return }
            switch line.content {
            case .message: if line.poll != nil { polls += 1 } else { messages += 1 }
            case .event(let name, let code, _, _):
                events[name, default: 0] += 1
                if name == "closed", let code { closeCodes[code, default: 0] += 1 }
            }
            if let connection = line.connection, connection > 0 { connections.insert(connection) }
            firstReceived = min(firstReceived ?? line.receivedMillis, line.receivedMillis)
            lastReceived = max(lastReceived ?? line.receivedMillis, line.receivedMillis)
            if let previous { longestPause = max(longestPause, line.receivedMillis - previous) }
            previous = line.receivedMillis
        }
    }

    /// Every figure as a name and its text, in a fixed order (events and close codes by name),
    /// so two segments line up figure by figure.
    public var figures: [(name: String, value: String)] { figures(events: events.keys.sorted(), codes: closeCodes.keys.sorted()) }

    private func figures(events names: [String], codes: [Int64]) -> [(name: String, value: String)] {
        var result: [(String, String)] = [("lines", "\(lines)"), ("messages", "\(messages)"), ("polls", "\(polls)"), ("bad lines", "\(badLines)")]
        for name in names { result.append(("event \(name)", "\(events[name] ?? 0)")) }
        for code in codes { result.append(("close code \(code)", "\(closeCodes[code] ?? 0)")) }
        result.append(("connections", connections.sorted().map(String.init).joined(separator: ",")))
        result.append(("first received", firstReceived.map { ISO8601.format(unixMilliseconds: $0) } ?? ""))
        result.append(("last received", lastReceived.map { ISO8601.format(unixMilliseconds: $0) } ?? ""))
        result.append(("span", span.map { String(format: "%.3f s", Double($0) / 1000) } ?? ""))
        result.append(("longest pause", String(format: "%.3f s", Double(longestPause) / 1000)))
        return result
    }

    /// Last minus first reception, ms.
    public var span: Int64? { firstReceived.flatMap { first in lastReceived.map { $0 - first } } }

    /// The figures of `a` and `b` side by side, in one order (an event only one of them has counts 0 in the other).
    public static func compare(_ a: SegmentSummary, _ b: SegmentSummary) -> [(name: String, old: String, new: String)] {
        let names = Set(a.events.keys).union(b.events.keys).sorted(), codes = Set(a.closeCodes.keys).union(b.closeCodes.keys).sorted()
        return zip(a.figures(events: names, codes: codes), b.figures(events: names, codes: codes)).map { ($0.name, $0.value, $1.value) }
    }
}
