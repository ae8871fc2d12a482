import Foundation
import Publisher
import Warehouse
import WarehouseTestSupport
import XCTest

/// The publisher on a small gold table it is handed directly: schema changes applied with
/// ALTER TABLE and never by dropping data, untrusted versions held back, bad values refused
/// with PostgreSQL left as it was.
final class PublisherSchemaTests: XCTestCase {
    private static var cluster: PostgresCluster?

    override class func tearDown() {
        cluster = nil
        super.tearDown()
    }

    private var root: TemporaryRoot!
    private var gold: Database!
    private var publisher: Publisher!
    private var postgres: PostgresConnection!
    private var run = 0

    private let spec = AssetSpec(key: AssetKey(.gold, "toy_prices"), summary: "Toy prices", columns: ["coin_id": "the coin", "price": "USD"],
                                 version: "1", build: { _ in BuildOutcome(rows: 0, recorded: true) })

    override func setUpWithError() throws {
        let cluster = try Self.cluster ?? PostgresCluster()
        Self.cluster = cluster
        let name = "schema_\(UUID().uuidString.prefix(6).lowercased())"
        try cluster.createDatabase(name)
        root = TemporaryRoot("publisher")
        try root.layout.prepare()
        gold = try Database(path: root.layout.goldDatabase.path)
        try MaterializationLog.prepare(gold)
        try gold.execute("CREATE TABLE toy_prices (coin_id TEXT NOT NULL, day TEXT NOT NULL, price REAL NOT NULL, PRIMARY KEY (coin_id, day))")
        try gold.execute("CREATE UNIQUE INDEX toy_prices_rank ON toy_prices(day, price)")
        let target = try PostgresTarget(url: cluster.url(name), setting: "test")
        publisher = try Publisher(target: target, password: cluster.password, layout: root.layout)
        postgres = try PostgresConnection(target, password: cluster.password)
    }

    /// XCTest keeps every test case object until the process ends: release the root now so its folder is removed.
    override func tearDown() {
        postgres = nil
        publisher = nil
        gold = nil
        root = nil
        super.tearDown()
    }

    /// Records a new version of the table, as a build would.
    private func materialized(_ status: MaterializationRecord.Status = .complete) throws {
        run += 1
        try MaterializationLog.insert(MaterializationRecord(asset: spec.key, runID: "run-\(run)", materializedAt: "2026-12-0\(run)T00:00:00Z",
                                                            fingerprint: "f\(run)", version: "1", inputs: [:], rows: 0, rejects: 0, status: status), into: gold)
    }

    private func rows(_ sql: String) throws -> [[String?]] { try postgres.query(sql) }

    func testNewColumnsAreAddedAndDroppedOnesKeepTheirData() throws {
        try gold.execute("INSERT INTO toy_prices VALUES ('btc', '2026-12-01', 100.5), ('eth', '2026-12-01', 7.25)")
        try materialized()
        XCTAssertEqual(try publisher.publish(spec).outcome, .whole)
        XCTAssertEqual(try rows("SELECT coin_id, price FROM gold.toy_prices ORDER BY coin_id"), [["btc", "100.5"], ["eth", "7.25"]])

        try gold.execute("ALTER TABLE toy_prices ADD COLUMN volume INTEGER")
        try gold.execute("UPDATE toy_prices SET volume = 10")
        try materialized()
        XCTAssertEqual(try publisher.publish(spec).outcome, .whole)
        XCTAssertEqual(try rows("SELECT data_type FROM information_schema.columns WHERE table_schema = 'gold' AND table_name = 'toy_prices' AND column_name = 'volume'"), [["bigint"]])
        XCTAssertEqual(try rows("SELECT coin_id, volume FROM gold.toy_prices ORDER BY coin_id"), [["btc", "10"], ["eth", "10"]])

        // The warehouse stops writing a column: PostgreSQL keeps it and its values, and it takes NULL from now on.
        try gold.execute("ALTER TABLE toy_prices DROP COLUMN volume")
        try gold.execute("INSERT INTO toy_prices VALUES ('sol', '2026-12-01', 1.5)")
        try materialized()
        let publication = try publisher.publish(spec)
        XCTAssertEqual(publication.outcome, .whole)
        XCTAssertEqual(publication.written, 1, "only the new row is written; the unchanged ones stay as they are")
        XCTAssertEqual(try rows("SELECT coin_id, volume FROM gold.toy_prices ORDER BY coin_id"), [["btc", "10"], ["eth", "10"], ["sol", nil]])
    }

    func testAMergeThatMovesAUniqueValueBetweenRowsCommits() throws {
        try gold.execute("INSERT INTO toy_prices VALUES ('btc', '2026-12-01', 1), ('eth', '2026-12-01', 2)")
        try materialized()
        _ = try publisher.publish(spec)
        // Swapped (in SQLite by way of 11 and 12): merged row by row, two rows hold price 2 on the
        // same day on the way; only the committed table must be unique.
        try gold.execute("UPDATE toy_prices SET price = price + 10")
        try gold.execute("UPDATE toy_prices SET price = 13 - price")
        try materialized()
        XCTAssertEqual(try publisher.publish(spec).written, 2)
        XCTAssertEqual(try rows("SELECT coin_id, price FROM gold.toy_prices ORDER BY coin_id"), [["btc", "2"], ["eth", "1"]])
    }

    func testUntrustedVersionsAreHeldBackAndBadValuesChangeNothing() throws {
        try gold.execute("INSERT INTO toy_prices VALUES ('btc', '2026-12-01', 1)")
        try materialized()
        _ = try publisher.publish(spec)

        try gold.execute("UPDATE toy_prices SET price = 99")
        try materialized(.failed)
        guard case .skipped(let reason) = try publisher.publish(spec).outcome else { return XCTFail("a version whose checks failed was published") }
        XCTAssertTrue(reason.contains("checks failed"), reason)
        XCTAssertEqual(try rows("SELECT price FROM gold.toy_prices"), [["1"]])

        try gold.execute("INSERT INTO toy_prices VALUES ('bad' || char(0) || 'coin', '2026-12-01', 5)")
        try materialized()
        XCTAssertThrowsError(try publisher.publish(spec)) { error in
            XCTAssertTrue("\(error)".contains("gold.toy_prices column coin_id holds a NUL character"), "\(error)")
        }
        XCTAssertEqual(try rows("SELECT coin_id, price FROM gold.toy_prices"), [["btc", "1"]], "the failed publish left the previous version")
        XCTAssertEqual(try rows("SELECT count(*) FROM warehouse_meta.publications WHERE asset = 'gold.toy_prices'"), [["1"]])
    }
}
