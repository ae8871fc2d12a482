import Foundation
import Warehouse

/// Markets, exchanges, and quality and drift.
extension DashboardPages {
    static let analyticsColumns: [(key: String, title: String, numeric: Bool)] = [
        ("rank", "#", true), ("name", "Coin", false), ("price", "Price", true), ("market_cap", "Market cap", true), ("market_cap_category", "Category", false),
        ("total_volume", "Volume 24h", true), ("change_24h_pct", "24h", true), ("change_7d_pct", "7d", true), ("volatility_30d", "Volatility 30d", true),
    ]

    func markets(coin requestedCoin: String?, window requestedWindow: String?, sort: String?, direction: String?) -> APIResponse {
        guarded("Markets", "/markets") {
            let analytics = try api.analytics()["crypto_analytics_mart"]?.items ?? []
            let coin = requestedCoin.flatMap { $0.isEmpty ? nil : $0 } ?? analytics.first?["coin_id"]?.string ?? "bitcoin"
            let windowName = requestedWindow.flatMap { WarehouseAPI.windows[$0] != nil ? $0 : nil } ?? "7d"
            let coins = try api.coins(search: nil, limit: "300")["coins"]?.items ?? []
            var body = """
                <form class="inline" method="get" action="/markets">
                <label>Coin <input name="coin" list="coin-list" value="\(HTML.escape(coin))" aria-label="coin" autocomplete="off"></label>
                <input type="hidden" name="window" value="\(HTML.escape(windowName))"><button type="submit">Show</button>
                <datalist id="coin-list">\(coins.map { "<option value=\"\(HTML.escape($0["coin_id"]?.string ?? ""))\">\(HTML.escape($0["name"]?.string ?? ""))</option>" }.joined())</datalist>
                </form>
                """
            body += "<p class=\"tabs\">" + ["24h", "7d", "30d", "1y", "all"].map { name in
                "<a href=\"/markets?coin=\(HTML.component(coin))&amp;window=\(name)\"\(name == windowName ? " class=\"active\"" : "")>\(name)</a>"
            }.joined() + "</p>"
            body += try coinCharts(coin, window: windowName, analytics: analytics)
            let segments = try api.segments()["market_segment_analysis"]?.items ?? []
            body += "<h2>Market segments</h2>" + Self.table([("Category", false), ("Coins", true), ("Market cap", true), ("Share", true), ("24h", true), ("7d", true)], segments.map { s in
                [HTML.escape(s["market_cap_category"]?.string ?? ""), HTML.number(s["coin_count"]?.double), HTML.compact(s["total_market_cap"]?.double),
                 String(format: "%.1f%%", s["market_share_pct"]?.double ?? 0), HTML.percent(s["avg_change_24h_pct"]?.double), HTML.percent(s["avg_change_7d_pct"]?.double)]
            }, id: "segments")
            body += "<h2>Top coins</h2>" + analyticsTable(analytics, coin: coin, window: windowName, sort: sort, direction: direction)
            return body
        }
    }

    private func coinCharts(_ coin: String, window: String, analytics: [JSONBody]) throws -> String {
        let history: JSONBody
        do { history = try api.coinHistory(coin, window: window) } catch let error as APIError where error.status == 404 {
            return "<p class=\"muted\">\(HTML.escape(error.detail)).</p>"
        }
        let points = history["points"]?.items ?? []
        let daily = history["daily"]?.items ?? []
        let row = analytics.first { $0["coin_id"]?.string == coin }
        let last = points.last
        var body = "<div class=\"cards\">"
        body += Self.card("Coin", HTML.escape(row?["name"]?.string ?? coin) + (row.map { " <span class=\"muted\">#\($0["rank"]?.int ?? 0)</span>" } ?? ""))
        body += Self.card("Price", "<span id=\"coin-price\" data-value=\"\(last?["price"]?.double ?? 0)\">$\(HTML.number(last?["price"]?.double))</span>")
        body += Self.card("Market cap", HTML.compact(last?["market_cap"]?.double)) + Self.card("Points", HTML.number(history["points_in_window"]?.double)) + "</div>"
        let times = points.compactMap { $0["ts"]?.double.map { $0 / 1000 } }
        let span = (times.last ?? 0) - (times.first ?? 0)
        let label = SVGChart.timeLabel(spanSeconds: span)
        func series(_ name: String, _ key: String, _ color: String, kind: SVGChart.Kind = .line, from rows: [JSONBody], time: (JSONBody) -> Double?) -> SVGChart.Series {
            SVGChart.Series(name: name, kind: kind, color: color, points: rows.compactMap { row in time(row).map { ($0, row[key]?.double) } })
        }
        let pointTime = { (row: JSONBody) in row["ts"]?.double.map { $0 / 1000 } }
        let dayTime = { (row: JSONBody) in row["date"]?.string.flatMap(Day.init(parsing:)).map { Double($0.startUnixSeconds) } }
        body += SVGChart(series: [series("Price (USD)", "price", "var(--series1)", from: points, time: pointTime)], xLabel: label, yLabel: { HTML.number($0) })
            .render(title: "\(coin) price")
        body += SVGChart(height: 140, series: [series("Volume", "volume", "var(--series3)", kind: .bars, from: points, time: pointTime)], xLabel: label)
            .render(title: "\(coin) volume")
        if daily.count > 1 {
            let dayLabel = SVGChart.timeLabel(spanSeconds: max(span, 5 * 86_400))
            body += "<h2>Daily close, SMA 20 and SMA 50</h2>" + SVGChart(series: [
                series("Close", "close", "var(--series1)", from: daily, time: dayTime), series("SMA 20", "sma_20", "var(--series2)", from: daily, time: dayTime),
                series("SMA 50", "sma_50", "var(--series4)", from: daily, time: dayTime),
            ], xLabel: dayLabel, yLabel: { HTML.number($0) }).render(title: "\(coin) daily close and moving averages")
            body += "<h2>RSI 14</h2>" + SVGChart(height: 150, series: [series("RSI 14", "rsi_14", "var(--series2)", from: daily, time: dayTime)],
                                                 yRange: 0...100, xLabel: dayLabel, yLabel: { String(format: "%.0f", $0) }, guides: [30, 70]).render(title: "\(coin) RSI")
        }
        let ranks = history["rank"]?.items ?? []
        if ranks.count > 1 {
            body += "<h2>Rank in the point-in-time universe</h2>" + SVGChart(height: 150, series: [series("Rank", "rank", "var(--series3)", from: ranks, time: dayTime)],
                                                                           xLabel: SVGChart.timeLabel(spanSeconds: max(span, 5 * 86_400)), yLabel: { String(format: "%.0f", $0) })
                .render(title: "\(coin) rank")
        }
        return body
    }

    private func analyticsTable(_ rows: [JSONBody], coin: String, window: String, sort: String?, direction: String?) -> String {
        let column = Self.analyticsColumns.first { $0.key == sort } ?? Self.analyticsColumns[0]
        let descending = direction == "desc"
        let sorted = rows.sorted { a, b in
            let x = a[column.key] ?? .null, y = b[column.key] ?? .null
            let less: Bool
            if let p = x.double, let q = y.double { less = p < q } else { less = (x.string ?? "") < (y.string ?? "") }
            return descending ? !less && x != y : less
        }
        let head = Self.analyticsColumns.map { c in
            let nextDirection = c.key == column.key && !descending ? "desc" : "asc"
            let arrow = c.key == column.key ? (descending ? " ↓" : " ↑") : ""
            return "<th\(c.numeric ? " class=\"num\"" : "")><a href=\"/markets?coin=\(HTML.component(coin))&amp;window=\(window)&amp;sort=\(c.key)&amp;dir=\(nextDirection)\">\(c.title)\(arrow)</a></th>"
        }.joined()
        let body = sorted.map { row -> String in
            let id = row["coin_id"]?.string ?? ""
            let cells = [HTML.number(row["rank"]?.double), "<a href=\"/markets?coin=\(HTML.component(id))&amp;window=\(window)\">\(HTML.escape(row["name"]?.string ?? id))</a>",
                         "<span data-price=\"\(row["price"]?.double ?? 0)\">$\(HTML.number(row["price"]?.double))</span>", HTML.compact(row["market_cap"]?.double),
                         HTML.escape(row["market_cap_category"]?.string ?? ""), HTML.compact(row["total_volume"]?.double), HTML.percent(row["change_24h_pct"]?.double),
                         HTML.percent(row["change_7d_pct"]?.double), HTML.number(row["volatility_30d"]?.double)]
            return "<tr data-coin=\"\(HTML.escape(id))\">" + zip(cells, Self.analyticsColumns).map { "<td\($1.numeric ? " class=\"num\"" : "")>\($0)</td>" }.joined() + "</tr>"
        }.joined()
        return "<div class=\"scroll\"><table id=\"analytics\"><thead><tr>\(head)</tr></thead><tbody>\(body)</tbody></table></div>"
    }

    func exchanges() -> APIResponse {
        guarded("Exchanges", "/exchanges") {
            do {
                let body = try api.exchanges()
                let marts = body["marts"]?.items.compactMap(\.string) ?? []
                var html = "<p>Built: \(marts.map(HTML.escape).joined(separator: ", ")).</p>"
                let kpis = body["kpis"]?.items ?? []
                guard !kpis.isEmpty else {
                    return html + """
                        <div class="card" id="exchanges-empty"><div class="label">No stream collected yet</div>
                        <p>gold.exchange_kpis is built from the exchanges' WebSocket streams.</p><p class="muted">To fill it, run <code>warehouse collect --duration 10m</code>, then <code>warehouse materialize tag:exchanges+</code>.</p></div>
                        """
                }
                html += "<h2>Market-data quality, \(HTML.escape(kpis[0]["date"]?.string ?? ""))</h2>"
                html += Self.table([("Exchange", false), ("Symbol", false), ("Messages", true), ("Updates/min", true), ("Latency p50 ms", true),
                                    ("Latency p95 ms", true), ("Disconnects", true), ("Downtime s", true), ("Day covered", true)], kpis.map { row in
                    [HTML.escape(row["exchange"]?.string ?? ""), HTML.escape(row["symbol"]?.string ?? ""), HTML.number(row["messages"]?.double),
                     HTML.number(row["updates_per_minute"]?.double), row["latency_p50_ms"]?.double.map { HTML.number($0) } ?? "not sent by the venue",
                     HTML.number(row["latency_p95_ms"]?.double), HTML.number(row["disconnects"]?.double), HTML.number(row["downtime_seconds"]?.double),
                     (row["share_covered"]?.double).map { HTML.number($0 * 100) + " %" } ?? "–"]
                }, id: "exchange-kpis")
                return html
            } catch let error as APIError where error.status == 404 {
                return """
                    <div class="card" id="exchanges-missing"><div class="label">Not built yet</div>
                    <p>\(HTML.escape(error.detail)).</p><p class="muted">To fix this, \(HTML.escape(error.fix ?? "")).</p></div>
                    <p>Until then, the daily ticker polls are in <a href="/assets/silver.exchange_ticks">silver.exchange_ticks</a>.</p>
                    """
            }
        }
    }

    func quality() -> APIResponse {
        guarded("Quality & drift", "/quality") {
            let checks = try api.checks()["checks"]?.items ?? []
            var body = "<h2>Latest check results</h2>" + Self.table([("Asset", false), ("Check", false), ("Status", false), ("Failing rows", true), ("Of rows", true),
                                                                     ("Thresholds", false), ("Sample", false)], checks.map { check in
                [HTML.escape(check["asset"]?.string ?? ""), HTML.escape(check["check"]?.string ?? ""), HTML.badge(check["status"]?.string ?? ""),
                 HTML.number(check["failing_rows"]?.double), HTML.number(check["total_rows"]?.double), HTML.escape(check["thresholds"]?.string ?? ""),
                 HTML.escape(String((check["sample"]?.items.first?.string ?? "").prefix(140)))]
            }, id: "checks")
            let history = (try api.checkHistory(limit: "60")["runs"]?.items ?? []).reversed()
            if history.count > 1 {
                let times = history.compactMap { $0["started_at"]?.string.flatMap(ISO8601.parse)?.timeIntervalSince1970 }
                let label = SVGChart.timeLabel(spanSeconds: (times.last ?? 0) - (times.first ?? 0))
                func series(_ name: String, _ key: String, _ color: String) -> SVGChart.Series {
                    SVGChart.Series(name: name, kind: .line, color: color, points: history.compactMap { run in
                        run["started_at"]?.string.flatMap(ISO8601.parse).map { ($0.timeIntervalSince1970, run[key]?.double) }
                    })
                }
                body += "<h2>Check results over runs</h2>" + SVGChart(height: 180, series: [series("passed", "passed", "var(--good)"), series("warned", "warned", "var(--warn)"),
                                                                                            series("failed", "failed", "var(--bad)")], xLabel: label, yLabel: { String(format: "%.0f", $0) })
                    .render(title: "check results over runs")
            }
            let rejects = try api.rejects(asset: nil)["rejects"]?.items ?? []
            body += "<h2>Rejects per asset</h2>" + (rejects.isEmpty ? "<p class=\"muted\">Nothing rejected.</p>" :
                Self.table([("Asset", false), ("Rule", false), ("Reason", false), ("Rows", true), ("Example", false)], rejects.map { reject in
                    [HTML.escape(reject["asset"]?.string ?? ""), HTML.escape(reject["rule"]?.string ?? ""), HTML.escape(reject["reason"]?.string ?? ""),
                     HTML.number(reject["count"]?.double), HTML.escape((reject["example_file"]?.string ?? "") + " " + (reject["example_locator"]?.string ?? ""))]
                }, id: "rejects"))
            body += "<h2>Feature drift</h2>"
            do {
                let drift = try api.drift()["feature_drift"]?.items ?? []
                guard !drift.isEmpty else { return body + "<p class=\"muted\">No drift measured yet: <code>warehouse baseline create gold.stock_features</code>, then a run.</p>" }
                let features = Array(Set(drift.compactMap { $0["feature"]?.string })).sorted()
                let times = drift.compactMap { $0["computed_at"]?.string.flatMap(ISO8601.parse)?.timeIntervalSince1970 }
                let label = SVGChart.timeLabel(spanSeconds: max((times.max() ?? 0) - (times.min() ?? 0), 86_400))
                let colors = ["var(--series1)", "var(--series2)", "var(--series3)", "var(--series4)", "var(--warn)", "var(--good)", "var(--muted)"]
                let series = features.enumerated().map { i, feature in
                    SVGChart.Series(name: feature, kind: .line, color: colors[i % colors.count], points: drift.filter { $0["feature"]?.string == feature }.compactMap { row in
                        row["computed_at"]?.string.flatMap(ISO8601.parse).map { ($0.timeIntervalSince1970, row["p_value"]?.double) }
                    })
                }
                body += SVGChart(height: 200, series: series, yRange: 0...1, xLabel: label, yLabel: { String(format: "%.2f", $0) }, guides: [drift.first?["alpha"]?.double ?? 0.05])
                    .render(title: "KS p-value per feature over runs")
                let newest = drift.filter { $0["sequence"]?.int == drift.compactMap { $0["sequence"]?.int }.max() }
                body += Self.table([("Feature", false), ("KS statistic", true), ("p-value", true), ("Drifted", false)], newest.map { row in
                    [HTML.escape(row["feature"]?.string ?? ""), String(format: "%.4f", row["ks_stat"]?.double ?? 0), String(format: "%.4g", row["p_value"]?.double ?? 0),
                     HTML.badge(row["drifted"]?.int == 1 ? "warn" : "ok")]
                }, id: "drift")
            } catch let error as APIError where error.status == 404 {
                body += "<p class=\"muted\">\(HTML.escape(error.detail)).</p>"
            }
            return body
        }
    }
}
