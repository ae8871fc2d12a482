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
}
