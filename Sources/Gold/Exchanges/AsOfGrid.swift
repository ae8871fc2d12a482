import Warehouse

/// A time grid of buckets `width` ms wide ending at whole multiples of `width` (Unix ms), and
/// the as-of join onto it: at each bucket's end, every venue's last mid received at or before
/// that end, if it is at most `staleness` ms old (pandas' `merge_asof(direction="backward",
/// tolerance=staleness)`). Of several mids received in the same millisecond the last one counts.
struct AsOfGrid {
    let width: Int64
    let staleness: Int64

    /// Calls `bucket` for each bucket from the one holding the first mid of any venue to the one
    /// holding the last, with the end of the bucket and one fresh mid or nil per series (in
    /// `series` order); buckets where no venue has a fresh mid are skipped.
    func align(_ series: [VenueSeries], _ bucket: (_ end: Int64, _ mids: [Double?]) throws -> Void) rethrows {
        let starts = series.compactMap(\.times.first), ends = series.compactMap(\.times.last)
        guard let first = starts.min(), let last = ends.max() else { return }
        var cursors = [Int](repeating: -1, count: series.count)
        var mids = [Double?](repeating: nil, count: series.count)
        var end = ceiling(first)
        let stop = ceiling(last)
        while end <= stop {
            var fresh = 0
            for (index, one) in series.enumerated() {
                var cursor = cursors[index]
                while cursor + 1 < one.times.count, one.times[cursor + 1] <= end { cursor += 1 }
                cursors[index] = cursor
                if cursor >= 0, end - one.times[cursor] <= staleness {
                    mids[index] = one.mids[cursor]
                    fresh += 1
                } else {
                    mids[index] = nil
                }
            }
            if fresh > 0 { try bucket(end, mids) }
            end = fresh > 0 ? end + width : nextEnd(after: end, series: series, cursors: cursors)
        }
    }

    /// The smallest bucket end that is a multiple of `width` and not before `time`.
    func ceiling(_ time: Int64) -> Int64 {
        let (quotient, remainder) = time.quotientAndRemainder(dividingBy: width)
        return (remainder > 0 ? quotient + 1 : quotient) * width
    }

    /// After an empty bucket, the next end at which some venue has a mid again: the bucket of
    /// the earliest mid still ahead, so a collector switched off for a week costs no empty buckets.
    private func nextEnd(after end: Int64, series: [VenueSeries], cursors: [Int]) -> Int64 {
        let ahead = series.indices.compactMap { index -> Int64? in
            let next = cursors[index] + 1
            return next < series[index].times.count ? series[index].times[next] : nil
        }
        return max(end + width, ceiling(ahead.min() ?? .max / 2))
    }
}
