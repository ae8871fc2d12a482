import Foundation

/// A request URL from a base URL as a user gives it and a vendor's path: what the API fetchers
/// and the collector's polls both send.
public enum EndpointURL {
    /// The full URL. A base given as the vendor's documented API root
    /// (`https://api.coingecko.com/api/v3`, `https://api.kraken.com/0/public`) is joined without
    /// repeating the prefix the path already carries; query values are percent-encoded.
    public static func make(base: String, path: String, query: [(name: String, value: String)]) -> String {
        let joined = join(base: base, path: path)
        guard !query.isEmpty else { return joined }
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+,")
        return joined + "?" + query.map { "\($0.name)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? $0.value)" }.joined(separator: "&")
    }

    /// `base` and `path` joined: the longest run of path segments that ends the base and starts
    /// the path is written once.
    public static func join(base: String, path: String) -> String {
        let base = base.hasSuffix("/") ? String(base.dropLast()) : base
        guard let url = URL(string: base), let host = url.host, !url.path.isEmpty, url.path != "/" else { return base + path }
        let baseSegments = url.path.split(separator: "/")
        let pathSegments = path.split(separator: "/")
        guard !pathSegments.isEmpty, !baseSegments.isEmpty else { return base + path }
        let overlap = (1...min(baseSegments.count, pathSegments.count)).reversed().first { n in
            Array(baseSegments.suffix(n)) == Array(pathSegments.prefix(n))
        } ?? 0
        guard overlap > 0, let range = base.range(of: host) else { return base + path }
        // Keep the scheme, user, host and port as written; drop the overlapping segments from the base.
        let origin = String(base[..<range.upperBound]) + (url.port.map { ":\($0)" } ?? "")
        let kept = baseSegments.dropLast(overlap)
        return origin + (kept.isEmpty ? "" : "/" + kept.joined(separator: "/")) + path
    }
}
