/// The days a run is asked to cover (`--partition D` or `--from D --to D`).
/// Bronze history assets fetch exactly these days; without it they fetch their default lookback.
public struct PartitionRange: Equatable, Sendable, CustomStringConvertible {
    public let from: Day
    public let to: Day

    /// - Throws: `ConfigurationError` when `to` is before `from`.
    public init(from: Day, to: Day) throws {
        guard from <= to else {
            throw ConfigurationError(setting: "--from/--to", problem: "--from \(from) is after --to \(to)", fix: "give --from a day on or before --to")
        }
        self.from = from
        self.to = to
    }

    public var description: String { from == to ? from.description : "\(from)..\(to)" }
}
