import Foundation
import Warehouse

/// DeFi Llama bronze assets: chain TVL history (with the chain list that links chains to
/// coins), protocol TVL (with the protocol list), and DEX daily volume.
public enum DefiLlamaAssets {
    public static let chainTVL = AssetKey(.bronze, "defillama_chain_tvl")
    public static let protocolTVL = AssetKey(.bronze, "defillama_protocol_tvl")
    public static let dexVolume = AssetKey(.bronze, "defillama_dex_volume")

    public static func specs(settings: WarehouseSettings) -> [AssetSpec] {
        func request(_ asset: AssetKey, _ key: String, _ path: String, _ params: [QueryParam] = []) -> RawRequest {
            RawRequest(dataset: RawDataset(asset: asset), key: key, path: path, params: params, freshness: .today(maxAge: settings.freshness(of: asset.name)))
        }
        return [
            BronzeAsset.spec(chainTVL, summary: "DeFi Llama /v2/chains and /v2/historicalChainTvl/{chain}", tags: ["defi"], source: "defillama") { _ in
                [request(chainTVL, "chains", "/v2/chains")]
                    + settings.chains.map { request(chainTVL, safeKey($0), "/v2/historicalChainTvl/\(pathSegment($0))") }
            },
            BronzeAsset.spec(protocolTVL, summary: "DeFi Llama /protocols and /protocol/{slug}", tags: ["defi"], source: "defillama") { _ in
                [request(protocolTVL, "protocols", "/protocols")]
                    + settings.protocols.map { request(protocolTVL, safeKey($0), "/protocol/\(pathSegment($0))") }
            },
            BronzeAsset.spec(dexVolume, summary: "DeFi Llama /summary/dexs/{slug}: daily DEX volume", tags: ["defi"], source: "defillama") { _ in
                settings.dexes.map {
                    request(dexVolume, safeKey($0), "/summary/dexs/\(pathSegment($0))",
                            [QueryParam("excludeTotalDataChart", "false"), QueryParam("excludeTotalDataChartBreakdown", "true"),
                             QueryParam("dataType", "dailyVolume")])
                }
            },
        ]
    }

    /// A raw key for a chain or protocol name (`Hyperliquid L1` -> `Hyperliquid-L1`).
    static func safeKey(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || "-_.".contains($0) ? $0 : "-" })
    }

    static func pathSegment(_ name: String) -> String {
        name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))) ?? name
    }
}
