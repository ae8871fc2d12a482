import Foundation
import Warehouse

/// `silver.chain_tvl`, `silver.protocol_tvl` and `silver.dex_volume` from DeFi Llama bodies,
/// each row linked to a CoinGecko coin id where DeFi Llama gives one (`gecko_id`).
enum DefiLlamaBuilders {
    /// A daily series per chain, protocol or DEX, linked to its coin.
    static func layout(_ name: String, entity: (name: String, description: String), value: (name: String, description: String),
                       extra: [TableLayout.Column] = []) -> TableLayout {
        TableLayout(name, [
            .init(entity.name, .text, notNull: true, entity.description),
            .init("date", .text, notNull: true, "UTC day (YYYY-MM-DD)"),
            .init(value.name, .real, notNull: true, value.description),
            .init("coin_id", .text, "the CoinGecko coin linked by DeFi Llama's gecko_id"),
        ] + extra + [.rawFile], primaryKey: [entity.name, "date"], indexes: [.init("\(name)_coin", on: ["coin_id", "date"])], withoutRowID: true)
    }

    static let chainTVLLayout = layout("chain_tvl", entity: ("chain", "DeFi Llama chain name"), value: ("tvl", "total value locked, USD"))
    static let protocolTVLLayout = layout("protocol_tvl", entity: ("protocol", "DeFi Llama protocol slug"), value: ("tvl", "total value locked, USD"),
                                          extra: [.init("category", .text, "DeFi Llama category (Lending, Dexes, ...)")])
    static let dexVolumeLayout = layout("dex_volume", entity: ("protocol", "DeFi Llama DEX slug"), value: ("volume", "traded volume that day, USD"))

    /// `{chain name (lowercased) -> gecko_id}` from a `/v2/chains` body.
    static func chainCoins(_ list: JSONValue?) -> [String: String] {
        var coins: [String: String] = [:]
        for chain in list?.array ?? [] {
            if let name = chain["name"]?.text, let gecko = chain["gecko_id"]?.text {
                coins[name.lowercased()] = gecko
                coins[name.lowercased().replacingOccurrences(of: " ", with: "-")] = gecko
            }
        }
        return coins
    }

    static func chainTVL(_ context: BuildContext) -> SnapshotTableBuilder {
        var builder = SnapshotTableBuilder(context: context, dataset: SilverInputs.chainTVL, layout: chainTVLLayout) { snapshot, body, _, chains in
            let coins = chainCoins(chains)
            let chain = RawKey.entity(of: snapshot.key)
            guard let points = try SilverValues.document(body, expecting: "an array of {date, tvl}").array else {
                throw SilverParseError(message: "body is not an array of {date, tvl} points")
            }
            var parsed = ParsedRows()
            for (i, point) in points.enumerated() {
                guard let time = point["date"]?.number, let tvl = point["tvl"]?.number, tvl >= 0 else {
                    parsed.reject("[\(i)]", "point has no numeric date and non-negative tvl")
                    continue
                }
                guard let date = SilverValues.date(unixSeconds: time) else {
                    parsed.reject("[\(i)].date", "date \(time) is not a Unix time in seconds between 1970 and 2200")
                    continue
                }
                parsed.add("[\(i)]", [.text(chain), date, .real(tvl), coins[chain.lowercased()].sqlValue])
            }
            return parsed
        }
        builder.referenceKey = "chains"
        return builder
    }

    /// `{slug -> (gecko_id, category)}` from a `/protocols` body.
    static func protocolInfo(_ list: JSONValue?) -> [String: (String?, String?)] {
        var info: [String: (String?, String?)] = [:]
        for item in list?.array ?? [] {
            if let slug = item["slug"]?.text { info[slug] = (item["gecko_id"]?.text, item["category"]?.text) }
        }
        return info
    }

    static func protocolTVL(_ context: BuildContext) -> SnapshotTableBuilder {
        var builder = SnapshotTableBuilder(context: context, dataset: SilverInputs.protocolTVL, layout: protocolTVLLayout) { snapshot, body, _, protocols in
            let info = protocolInfo(protocols)
            let slug = RawKey.entity(of: snapshot.key)
            let document = try SilverValues.document(body, expecting: "a protocol object")
            guard let points = document["tvl"]?.array else { throw SilverParseError(message: "no \"tvl\" array: not a /protocol/{slug} body") }
            let coin = document["gecko_id"]?.text ?? info[slug]?.0
            let category = document["category"]?.text ?? info[slug]?.1
            var parsed = ParsedRows()
            for (i, point) in points.enumerated() {
                guard let time = point["date"]?.number, let tvl = point["totalLiquidityUSD"]?.number, tvl >= 0 else {
                    parsed.reject("tvl[\(i)]", "point has no numeric date and non-negative totalLiquidityUSD")
                    continue
                }
                guard let date = SilverValues.date(unixSeconds: time) else {
                    parsed.reject("tvl[\(i)].date", "date \(time) is not a Unix time in seconds between 1970 and 2200")
                    continue
                }
                parsed.add("tvl[\(i)]", [.text(slug), date, .real(tvl), coin.sqlValue, category.sqlValue])
            }
            return parsed
        }
        builder.referenceKey = "protocols"
        return builder
    }

    static func dexVolume(_ context: BuildContext) -> SnapshotTableBuilder {
        SnapshotTableBuilder(context: context, dataset: SilverInputs.dexVolume, layout: dexVolumeLayout) { snapshot, body, _, _ in
            let slug = RawKey.entity(of: snapshot.key)
            let document = try SilverValues.document(body, expecting: "a DEX summary object")
            guard let chart = document["totalDataChart"]?.array else {
                throw SilverParseError(message: "no \"totalDataChart\" array: not a /summary/dexs/{slug} body")
            }
            var parsed = ParsedRows()
            for (i, pair) in chart.enumerated() {
                let values = pair.array?.map(\.number) ?? []
                guard values.count == 2, let time = values[0], let volume = values[1], volume >= 0 else {
                    parsed.reject("totalDataChart[\(i)]", "point is not [time, volume] with a non-negative volume")
                    continue
                }
                guard let date = SilverValues.date(unixSeconds: time) else {
                    parsed.reject("totalDataChart[\(i)][0]", "time \(time) is not a Unix time in seconds between 1970 and 2200")
                    continue
                }
                parsed.add("totalDataChart[\(i)]", [.text(slug), date, .real(volume), (document["gecko_id"]?.text).sqlValue])
            }
            return parsed
        }
    }
}
