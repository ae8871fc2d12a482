import Foundation

/// Files under `Tests/Fixtures`.
public enum Fixtures {
    public static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Tests/Fixtures")

    /// A fixture's URL, e.g. `real/coingecko/coins_bitcoin_ohlc_OFFICIAL_DOC_EXAMPLE.json`.
    public static func url(_ path: String) -> URL { directory.appendingPathComponent(path) }

    public static func data(_ path: String) throws -> Data { try Data(contentsOf: url(path)) }

    /// A fixture parsed with JSONSerialization.
    public static func json(_ path: String) throws -> Any { try JSONSerialization.jsonObject(with: data(path)) }
}
