import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// docs/diagrams holds the exchange system's stage diagrams as the code draws them; a part of
/// the graph shows its inputs as context; a file the user wrote is never replaced.
final class DiagramTests: XCTestCase {
    private let repository = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent()

    /// RECORD_GOLDEN=1 rewrites docs/diagrams (and the protocol in docs/exchanges.md).
    func testDocsDiagramsAreTheOnesTheCodeDraws() throws {
        let root = TemporaryRoot("diagrams")
        let out = root.url.appendingPathComponent("diagrams")
        let written = try CLIRunner().run(["graph", "--diagrams", out.path, "--root", root.path])
        XCTAssertEqual(written.status, 0, written.stderr)
        let docs = repository.appendingPathComponent("docs/diagrams")
        let generated = try files(under: out)
        XCTAssertEqual(Set(generated.keys), ["1_overview/assets.mmd", "2_ingestion/assets.mmd", "2_ingestion/collector_protocol.mmd", "3_staging/assets.mmd",
                                              "4_cleansing/assets.mmd", "5_core/assets.mmd", "6_marts/assets.mmd", "7_forecasting/assets.mmd"])
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            XCTAssertEqual(try CLIRunner().run(["graph", "--diagrams", docs.path, "--root", root.path]).status, 0)
        }
        XCTAssertEqual(try files(under: docs), generated, "run the tests with RECORD_GOLDEN=1 to update docs/diagrams")

        // Each stage shows its own assets and, dashed, what they read from other stages.
        let cleansing = try XCTUnwrap(generated["4_cleansing/assets.mmd"])
        XCTAssertTrue(cleansing.contains(#"silver_exchange_gaps["silver.exchange_gaps"]"#) && !cleansing.contains(#"silver_exchange_gaps["silver.exchange_gaps"]:::context"#), cleansing)
        XCTAssertTrue(cleansing.contains(#"silver_exchange_ticks["silver.exchange_ticks"]:::context"#), cleansing)
        XCTAssertTrue(cleansing.contains("silver_exchange_ticks --> silver_exchange_outliers"), cleansing)
        XCTAssertFalse(cleansing.contains("gold_"), cleansing)
        let marts = try XCTUnwrap(generated["6_marts/assets.mmd"])
        XCTAssertTrue(marts.contains(#"gold_cross_exchange_spread_daily["gold.cross_exchange_spread_daily"]"#), marts)
        XCTAssertFalse(marts.contains("forecast"), marts)
        // The protocol's timings are the collector's defaults.
        let sequence = try XCTUnwrap(generated["2_ingestion/collector_protocol.mmd"])
        XCTAssertTrue(sequence.contains("min(30 s, 0.5 s x 2^failures)"), sequence)
        XCTAssertTrue(sequence.contains("written at least every 1 s; rolled every 60 s"), sequence)

        // docs/exchanges.md shows the same protocol.
        let page = repository.appendingPathComponent("docs/exchanges.md")
        let text = try String(contentsOf: page, encoding: .utf8)
        let body = sequence.components(separatedBy: "\n").dropFirst().joined(separator: "\n")
        let start = try XCTUnwrap(text.range(of: "```mermaid\nsequenceDiagram")).lowerBound
        let blockStart = text.index(start, offsetBy: "```mermaid\n".count)
        let end = try XCTUnwrap(text.range(of: "```", range: blockStart..<text.endIndex))
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try text.replacingCharacters(in: blockStart..<end.lowerBound, with: body).write(to: page, atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(String(text[blockStart..<end.lowerBound]), body, "run the tests with RECORD_GOLDEN=1 to update docs/exchanges.md")
    }

    func testASelectionDrawsItsPartAndAUsersFileIsNeverReplaced() throws {
        let root = TemporaryRoot("diagram-user")
        let part = try CLIRunner().run(["graph", "gold.price_forecasts", "--root", root.path])
        XCTAssertEqual(part.status, 0, part.stderr)
        XCTAssertTrue(part.stdout.contains(#"gold_price_forecasts["gold.price_forecasts"]"#), part.stdout)
        XCTAssertTrue(part.stdout.contains(#"gold_forecast_metrics["gold.forecast_metrics"]:::context"#), part.stdout)
        XCTAssertFalse(part.stdout.contains("coin_prices"), part.stdout)
        let dot = try CLIRunner().run(["graph", "+gold.exchange_kpis", "--format", "dot", "--root", root.path])
        XCTAssertTrue(dot.stdout.contains(#""silver.exchange_connections" -> "gold.exchange_kpis";"#), dot.stdout)
        XCTAssertFalse(dot.stdout.contains("dashed"), "an upstream closure has no context nodes: \(dot.stdout)")
        let json = try CLIRunner().run(["graph", "silver.exchange_gaps", "--json", "--root", root.path])
        let parsed = try XCTUnwrap(try json.json() as? [String: Any])
        XCTAssertEqual((parsed["nodes"] as? [[String: String]])?.map { $0["asset"] }, ["silver.exchange_gaps"])
        XCTAssertEqual((parsed["edges"] as? [Any])?.count, 0)

        let mine = root.url.appendingPathComponent("mine/5_core")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try "my own notes".write(to: mine.appendingPathComponent("assets.mmd"), atomically: true, encoding: .utf8)
        let refused = try CLIRunner().run(["graph", "--diagrams", root.url.appendingPathComponent("mine").path, "--root", root.path])
        XCTAssertEqual(refused.status, 2, refused.stdout)
        XCTAssertTrue(refused.stderr.contains("5_core/assets.mmd exists and was not generated"), refused.stderr)
        XCTAssertEqual(try String(contentsOf: mine.appendingPathComponent("assets.mmd"), encoding: .utf8), "my own notes")
        let mixed = try CLIRunner().run(["graph", "tag:exchanges", "--diagrams", "x", "--root", root.path])
        XCTAssertEqual(mixed.status, 2)
        XCTAssertTrue(mixed.stderr.contains("--diagrams writes every stage's diagram"), mixed.stderr)
    }

    private func files(under folder: URL) throws -> [String: String] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [:] }
        var found: [String: String] = [:]
        for case let url as URL in walker where url.pathExtension == "mmd" {
            found[String(url.standardizedFileURL.path.dropFirst(folder.standardizedFileURL.path.count + 1))] = try String(contentsOf: url, encoding: .utf8)
        }
        return found
    }
}
