import Foundation
import Warehouse

/// `silver.chain_tvl`, `silver.protocol_tvl` and `silver.dex_volume` from DeFi Llama bodies,
/// each row linked to a CoinGecko coin id where DeFi Llama gives one (`gecko_id`).
enum DefiLlamaBuilders {
    static func table(_ name: String, entity: String, value: String, extra: String = "") -> TableRebuild {
        TableRebuild(table: name, create: { build in
            """
            CREATE TABLE \(build) (
                \(entity) TEXT NOT NULL, date TEXT NOT NULL, \(value) REAL NOT NULL, coin_id TEXT,\(extra)
                raw_file_id INTEGER NOT NULL,
                PRIMARY KEY (\(entity), date)
            ) WITHOUT ROWID
            """
        }, indexes: ["CREATE INDEX \(name)_coin ON \(name)(coin_id, date)"])
    }

    /// `{chain name (lowercased) -> gecko_id}` from the newest `/v2/chains` snapshot.
    static func chainCoins(_ context: BuildContext) throws -> [String: String] {
        guard let snapshot = try context.raw.snapshots(of: SilverInputs.chainTVL).last(where: { $0.key == "chains" }) else { return [:] }
        var coins: [String: String] = [:]
        for chain in try JSONValue.parse(context.raw.body(of: snapshot)).array ?? [] {
            if let name = chain["name"]?.text, let gecko = chain["gecko_id"]?.text {
                coins[name.lowercased()] = gecko
                coins[name.lowercased().replacingOccurrences(of: " ", with: "-")] = gecko
            }
        }
        return coins
    }

    static func chainTVL(_ context: BuildContext) throws -> SnapshotTableBuilder {
        let coins = try chainCoins(context)
        return SnapshotTableBuilder(context: context, dataset: SilverInputs.chainTVL, table: table("chain_tvl", entity: "chain", value: "tvl"),
                                    columns: ["chain", "date", "tvl", "coin_id"], includes: { $0.key != "chains" }) { snapshot, body, _ in
            let chain = RawKey.entity(of: snapshot.key)
            guard let points = try SilverValues.document(body, expecting: "an array of {date, tvl}").array else {
                throw SilverParseError(message: "body is not an array of {date, tvl} points")
            }
            var parsed = ParsedRows()
            for (i, point) in points.enumerated() {
                guard let date = point["date"]?.number, let tvl = point["tvl"]?.number, tvl >= 0 else {
                    parsed.reject("[\(i)]", "point has no numeric date and tvl")
                    continue
                }
                parsed.rows.append([.text(chain), SilverValues.date(unixSeconds: date), .real(tvl), coins[chain.lowercased()].sqlValue])
            }
            return parsed
        }
    }

    /// `{slug -> (gecko_id, category)}` from the newest `/protocols` snapshot.
    static func protocolInfo(_ context: BuildContext) throws -> [String: (String?, String?)] {
        guard let snapshot = try context.raw.snapshots(of: SilverInputs.protocolTVL).last(where: { $0.key == "protocols" }) else { return [:] }
        var info: [String: (String?, String?)] = [:]
        for item in try JSONValue.parse(context.raw.body(of: snapshot)).array ?? [] {
            if let slug = item["slug"]?.text { info[slug] = (item["gecko_id"]?.text, item["category"]?.text) }
        }
        return info
    }

    static func protocolTVL(_ context: BuildContext) throws -> SnapshotTableBuilder {
        let info = try protocolInfo(context)
        return SnapshotTableBuilder(context: context, dataset: SilverInputs.protocolTVL,
                                    table: table("protocol_tvl", entity: "protocol", value: "tvl", extra: " category TEXT,"),
                                    columns: ["protocol", "date", "tvl", "coin_id", "category"], includes: { $0.key != "protocols" }) { snapshot, body, _ in
            let slug = RawKey.entity(of: snapshot.key)
            let document = try SilverValues.document(body, expecting: "a protocol object")
            guard let points = document["tvl"]?.array else { throw SilverParseError(message: "no \"tvl\" array: not a /protocol/{slug} body") }
            let coin = document["gecko_id"]?.text ?? info[slug]?.0
            let category = document["category"]?.text ?? info[slug]?.1
            var parsed = ParsedRows()
            for (i, point) in points.enumerated() {
                guard let date = point["date"]?.number, let tvl = point["totalLiquidityUSD"]?.number, tvl >= 0 else {
                    parsed.reject("tvl[\(i)]", "point has no numeric date and totalLiquidityUSD")
                    continue
                }
                parsed.rows.append([.text(slug), SilverValues.date(unixSeconds: date), .real(tvl), coin.sqlValue, category.sqlValue])
            }
            return parsed
        }
    }

    static func dexVolume(_ context: BuildContext) -> SnapshotTableBuilder {
        SnapshotTableBuilder(context: context, dataset: SilverInputs.dexVolume, table: table("dex_volume", entity: "protocol", value: "volume"),
                             columns: ["protocol", "date", "volume", "coin_id"]) { snapshot, body, _ in
            let slug = RawKey.entity(of: snapshot.key)
            let document = try SilverValues.document(body, expecting: "a DEX summary object")
            guard let chart = document["totalDataChart"]?.array else {
                throw SilverParseError(message: "no \"totalDataChart\" array: not a /summary/dexs/{slug} body")
            }
            var parsed = ParsedRows()
            for (i, pair) in chart.enumerated() {
                let values = pair.array?.map(\.number) ?? []
                guard values.count == 2, let date = values[0], let volume = values[1], volume >= 0 else {
                    parsed.reject("totalDataChart[\(i)]", "point is not [time, volume]")
                    continue
                }
                parsed.rows.append([.text(slug), SilverValues.date(unixSeconds: date), .real(volume), (document["gecko_id"]?.text).sqlValue])
            }
            return parsed
        }
    }
}
