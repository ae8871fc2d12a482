import Foundation

/// Raw keys name the entity a snapshot is about (`bitcoin`, `page-1`, `AAPL`). When one
/// entity needs several snapshots on one day (history windows), the extra ones carry an
/// `@suffix`: `bitcoin@20250101-20250331` is still about `bitcoin`.
public enum RawKey {
    /// The entity of a key: everything before the first `@`.
    public static func entity(of key: String) -> String {
        key.split(separator: "@", maxSplits: 1).first.map(String.init) ?? key
    }

    /// Characters allowed in a key: letters, digits and `-_.=@+`.
    public static func isValid(_ key: String) -> Bool {
        guard !key.isEmpty, key.count <= 200, !key.hasPrefix("."), !key.hasSuffix(".meta") else { return false }
        return key.unicodeScalars.allSatisfy { scalar in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", "=", "@", "+": return true
            default: return false
            }
        }
    }

    /// The key a refetch of `key` on the same day is stored under: `<key>@HHMMSS` (the fetch's
    /// UTC time), then `-2`, `-3` ... should that be taken too. Bronze never overwrites a snapshot.
    public static func refetch(of key: String, at time: Date, attempt: Int) -> String {
        let seconds = Int(time.timeIntervalSince1970.rounded(.down)) % 86_400
        let stamp = String(format: "%02d%02d%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
        return "\(key)@\(stamp)" + (attempt > 1 ? "-\(attempt)" : "")
    }

    /// The key a snapshot answers for: the key itself, without a refetch stamp (`page-1@134502`
    /// and `page-1@134502-2` answer for `page-1`).
    public static func base(of key: String) -> String { refetchStamp(of: key)?.base ?? key }

    /// Where a snapshot of a key falls among that day's fetches of it: the first fetch, then
    /// refetches by time and attempt. (File names do not sort so: `-2` sorts before `.json`.)
    public static func fetchOrder(of key: String) -> (time: String, attempt: Int) {
        guard let stamp = refetchStamp(of: key) else { return ("", 0) }
        return (stamp.time, stamp.attempt)
    }

    private static func refetchStamp(of key: String) -> (base: String, time: String, attempt: Int)? {
        guard let at = key.lastIndex(of: "@") else { return nil }
        let stamp = key[key.index(after: at)...]
        let time = stamp.prefix { $0 != "-" }
        let suffix = stamp.dropFirst(time.count)
        guard time.count == 6, time.allSatisfy(\.isNumber) else { return nil }
        if suffix.isEmpty { return (String(key[..<at]), String(time), 1) }
        guard suffix.count > 1, let attempt = Int(suffix.dropFirst()), attempt > 1 else { return nil }
        return (String(key[..<at]), String(time), attempt)
    }
}
