/// Raw keys must be safe as file names on every filesystem.
public enum RawKey {
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
