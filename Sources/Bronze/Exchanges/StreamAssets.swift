import Foundation
import Warehouse

/// The exchanges' ticker streams as bronze assets: `bronze.<venue>_ws_ticker`, stored as stream
/// segments under `raw/DAY/<venue>/ws_ticker/` by `warehouse collect`, which runs apart from
/// the graph. Materializing one fetches nothing: it takes stock of the closed segments, so
/// silver downstream is stale exactly when a segment closed since its last build.
public enum StreamAssets {
    public static func key(venue: String) -> AssetKey { AssetKey(.bronze, "\(venue)_\(StreamSegment.tickerDataset)") }

    public static func specs(settings: WarehouseSettings) -> [AssetSpec] {
        settings.exchanges.map { venue in
            let key = key(venue: venue)
            let dataset = RawDataset(asset: key)
            return AssetSpec(
                key: key, tags: ["crypto", "exchanges", "streams"],
                summary: "\(venue)'s WebSocket ticker stream as written by `warehouse collect`: closed segments, one message or connection event per line",
                version: "stream-segments-1",
                inputs: { context in ["segments": try context.raw.fingerprint(of: dataset)] },
                build: { context in
                    BuildOutcome(rows: try context.raw.segments(of: dataset).count, inputsAfter: ["segments": try context.raw.fingerprint(of: dataset)])
                })
        }
    }
}
