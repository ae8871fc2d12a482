import Warehouse

/// One coin's snapshots, newest first.
struct CoinSources {
    let coinID: String
    let sources: [SnapshotSource]
}

/// A part of one coin's history that merges on its own: the snapshots whose requested windows
/// fall in a span of time that no other part's windows reach. A coin's points are merged in
/// memory before they are inserted, so a coin with decades of history would hold all of it at
/// once; cut into slices of a few megabytes of body each, a rebuild holds a few slices whatever
/// the history's length.
///
/// The windows are what was asked, not what came back: merging a slice checks every point
/// against `span`, and a point outside it means the slices cannot be trusted for that coin,
/// which is then merged whole (see `CoinPricesBuilder`).
struct CoinSlice {
    /// The whole coin (its snapshots are shared, not copied, by its slices).
    let coin: CoinSources
    var coinID: String { coin.coinID }
    /// This slice's snapshots, in the coin's newest-first order.
    let sources: [SnapshotSource]
    /// The times this slice's points must fall in, Unix milliseconds; `allTime` for a whole coin.
    let span: ClosedRange<Int64>
    /// Every time: the span of a coin merged whole.
    static let allTime = Int64.min...Int64.max
    /// Whether this is the coin's first slice, or last.
    let isFirst: Bool
    let isLast: Bool

    /// The whole coin as one slice.
    init(whole coin: CoinSources) {
        self.init(coin: coin, sources: coin.sources, span: Self.allTime, isFirst: true, isLast: true)
    }

    private init(coin: CoinSources, sources: [SnapshotSource], span: ClosedRange<Int64>, isFirst: Bool, isLast: Bool) {
        self.coin = coin
        self.sources = sources
        self.span = span
        self.isFirst = isFirst
        self.isLast = isLast
    }

    /// The coin cut into slices of about `bytes` of body each, in time order. Cuts fall only
    /// between windows that do not overlap, so every snapshot that may hold a given time is in
    /// the same slice. A coin with a snapshot whose window is unknown stays whole.
    static func slices(of coin: CoinSources, bytes budget: Int) -> [CoinSlice] {
        guard coin.sources.count > 1, coin.sources.reduce(0, { $0 + ($1.meta?.bytes ?? 0) }) > budget else { return [CoinSlice(whole: coin)] }
        var windows: [(index: Int, window: ClosedRange<Int64>, bytes: Int)] = []
        for (index, source) in coin.sources.enumerated() {
            guard let meta = source.meta, let window = meta.window else { return [CoinSlice(whole: coin)] }
            windows.append((index, window, meta.bytes))
        }
        windows.sort { $0.window.lowerBound < $1.window.lowerBound }
        // Groups of windows, cut where the next window starts after every window so far ends.
        var groups: [(members: [Int], start: Int64)] = []
        var members: [Int] = []
        var start = Int64.min, reach = Int64.min, size = 0
        for window in windows {
            if !members.isEmpty, size >= budget, window.window.lowerBound > reach {
                groups.append((members, start))
                members = []
                start = window.window.lowerBound
                size = 0
            }
            members.append(window.index)
            reach = max(reach, window.window.upperBound)
            size += window.bytes
        }
        groups.append((members, start))
        guard groups.count > 1 else { return [CoinSlice(whole: coin)] }
        return groups.indices.map { g in
            let end = g + 1 < groups.count ? groups[g + 1].start - 1 : Int64.max
            return CoinSlice(coin: coin, sources: groups[g].members.sorted().map { coin.sources[$0] },
                             span: groups[g].start...end, isFirst: g == 0, isLast: g == groups.count - 1)
        }
    }
}
