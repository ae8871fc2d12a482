import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

final class RawStoreTests: XCTestCase {
    let dataset = RawDataset(source: "coingecko", dataset: "markets")

    func testWritesBodyAndMetadataInTheContractLayout() throws {
        let root = TemporaryRoot()
        let store = RawStore(layout: root.layout)
        let body = Data(#"[{"id":"bitcoin"}]"#.utf8)
        let meta = SnapshotMeta(url: "http://x/api", status: 200, fetchedAt: "2026-11-23T12:00:00Z",
                                sha256: Fingerprint.sha256(body), bytes: body.count, params: ["page": "1"])
        let snapshot = try store.write(body: body, meta: meta, dataset: dataset, key: "page-1", day: TestClock.today)
        XCTAssertEqual(snapshot.relativePath, "raw/2026-11-23/coingecko/markets/page-1.json")
        XCTAssertEqual(try Data(contentsOf: root.url.appendingPathComponent("raw/2026-11-23/coingecko/markets/page-1.json")), body)
        let written = try JSONSerialization.jsonObject(with: Data(contentsOf: root.url.appendingPathComponent("raw/2026-11-23/coingecko/markets/page-1.meta.json"))) as! [String: Any]
        XCTAssertEqual(Set(written.keys), ["url", "status", "fetched_at", "sha256", "bytes", "params"])
        XCTAssertEqual(written["sha256"] as? String, Fingerprint.sha256(body))
        XCTAssertEqual(try store.snapshots(of: dataset).map(\.key), ["page-1"])
        XCTAssertEqual(try store.meta(of: snapshot), meta)
        // No temporary file is left behind.
        let names = try FileManager.default.contentsOfDirectory(atPath: snapshot.bodyURL.deletingLastPathComponent().path)
        XCTAssertEqual(names.sorted(), ["page-1.json", "page-1.meta.json"])
    }

    func testSha256MatchesAKnownVector() {
        XCTAssertEqual(Fingerprint.sha256("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testReadsGzipBodiesAndForeignMetadata() throws {
        let root = TemporaryRoot()
        let store = RawStore(layout: root.layout)
        let folder = root.layout.rawFolder(day: Day(parsing: "2025-01-02")!, dataset: dataset)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let body = Data(#"[{"id":"ethereum"}]"#.utf8)
        try Gzip.compress(body).write(to: folder.appendingPathComponent("page-1.json.gz"))
        // Another tool wrote numbers where we write strings.
        try Data(#"{"url":"u","status":200,"fetched_at":"2025-01-02T00:00:00Z","sha256":"s","bytes":19,"params":{"page":1,"per_page":250}}"#.utf8)
            .write(to: folder.appendingPathComponent("page-1.meta.json"))
        let snapshot = try XCTUnwrap(try store.snapshots(of: dataset).first)
        XCTAssertTrue(snapshot.isCompressed)
        XCTAssertEqual(try store.body(of: snapshot), body)
        XCTAssertEqual(try store.meta(of: snapshot)?.params, ["page": "1", "per_page": "250"])
    }

    func testRejectsUnsafeKeysAndUnreadableGzipByName() throws {
        let root = TemporaryRoot()
        let store = RawStore(layout: root.layout)
        let meta = SnapshotMeta(url: "u", status: 200, fetchedAt: "t", sha256: "s", bytes: 0, params: [:])
        XCTAssertThrowsError(try store.write(body: Data(), meta: meta, dataset: dataset, key: "../etc", day: TestClock.today)) { error in
            XCTAssertTrue("\(error)".contains("'../etc'"))
        }
        let folder = root.layout.rawFolder(day: TestClock.today, dataset: dataset)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("not gzip".utf8).write(to: folder.appendingPathComponent("page-2.json.gz"))
        let snapshot = try XCTUnwrap(try store.snapshots(of: dataset).first)
        XCTAssertThrowsError(try store.body(of: snapshot)) { error in
            XCTAssertTrue("\(error)".contains("raw/2026-11-23/coingecko/markets/page-2.json.gz"), "\(error)")
        }
    }

    func testFingerprintChangesWhenAFileIsAdded() throws {
        let root = TemporaryRoot()
        let store = RawStore(layout: root.layout)
        let meta = SnapshotMeta(url: "u", status: 200, fetchedAt: "t", sha256: "s", bytes: 2, params: [:])
        try store.write(body: Data("[]".utf8), meta: meta, dataset: dataset, key: "page-1", day: TestClock.today)
        let before = try store.fingerprint(of: dataset)
        XCTAssertEqual(before, try store.fingerprint(of: dataset))
        try store.write(body: Data("[]".utf8), meta: meta, dataset: dataset, key: "page-2", day: TestClock.today)
        XCTAssertNotEqual(before, try store.fingerprint(of: dataset))
    }

    func testDayRoundTripsAndRejectsImpossibleDates() {
        for text in ["1970-01-01", "2024-02-29", "2026-11-23", "1969-12-31"] {
            XCTAssertEqual(Day(parsing: text)?.description, text)
        }
        XCTAssertNil(Day(parsing: "2023-02-29"))
        XCTAssertNil(Day(parsing: "2026-13-01"))
        XCTAssertNil(Day(parsing: "26-11-23"))
        XCTAssertEqual(Day(unixSeconds: 1_704_067_241).description, "2024-01-01")
        XCTAssertEqual(Day(unixSeconds: -1).description, "1969-12-31")
    }
}
