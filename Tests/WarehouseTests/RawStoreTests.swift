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

    func testMetadataReadsTheSameThroughTheScannerAndJSONDecoder() throws {
        let written = SnapshotMeta(url: "https://api.example/x?a=1&b=\u{00e9}", status: 200, fetchedAt: "2026-11-23T12:00:00Z",
                                   sha256: Fingerprint.sha256("x"), bytes: 123_456, params: ["from": "1", "quote\"d": "a\\b"])
        XCTAssertEqual(try SnapshotMeta.decode(written.encoded()), written)
        let shapes = [
            #"{"url":"u","status":200,"fetched_at":"t","sha256":"s","bytes":2,"params":{"page":1,"on":true}}"#,   // numbers as text
            #"{"url":"u","status":200,"fetched_at":"t","sha256":"s","bytes":2,"extra":[1,{"x":null}]}"#,           // unknown field, no params
            #"{"url":"u","url":"v","status":200,"fetched_at":"t","sha256":"s","bytes":2}"#,                        // a repeated key
            #"{"url":"u","status":200,"fetched_at":"t","sha256":"s"}"#,                                           // a missing field
            #"{"url":"u","status":"200","fetched_at":"t","sha256":"s","bytes":2}"#,                               // a string status
            #"{"url":"u","status":200.5,"fetched_at":"t","sha256":"s","bytes":2}"#,
            #"{"url":"u","status":200,"fetched_at":"t","sha256":"s","bytes":2,"params":null}"#,
            #"{"url":"u","status":200,"fetched_at":"t","sha256":"s","bytes":2} trailing"#,
            #"{}"#, "",
        ]
        for shape in shapes {
            let data = Data(shape.utf8)
            let expected = Result { try JSONDecoder().decode(SnapshotMeta.self, from: data) }
            let read = Result { try SnapshotMeta.decode(data) }
            XCTAssertEqual(try? read.get(), try? expected.get(), shape)
            XCTAssertEqual((try? read.get()) == nil, (try? expected.get()) == nil, shape)
        }
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

    func testARefetchTheSameDayIsStoredBesideTheFirstNeverOverIt() throws {
        let root = TemporaryRoot()
        let store = RawStore(layout: root.layout)
        func meta(_ body: Data, at time: String) -> SnapshotMeta {
            SnapshotMeta(url: "u", status: 200, fetchedAt: time, sha256: Fingerprint.sha256(body), bytes: body.count, params: [:])
        }
        let bodies = [Data("[1]".utf8), Data("[2]".utf8), Data("[3]".utf8), Data("[4]".utf8)]
        let times = ["2026-11-23T08:00:00.000Z", "2026-11-23T14:05:09.250Z", "2026-11-23T14:05:09.900Z", "2026-11-23T20:00:00Z"]
        let written = try zip(bodies, times).map { try store.write(body: $0, meta: meta($0, at: $1), dataset: dataset, key: "page-1", day: TestClock.today) }
        XCTAssertEqual(written.map(\.key), ["page-1", "page-1@140509", "page-1@140509-2", "page-1@200000"])
        for (snapshot, body) in zip(written, bodies) { XCTAssertEqual(try store.body(of: snapshot), body, "every fetch is kept verbatim") }
        XCTAssertEqual(try store.newest(of: dataset, key: "page-1", on: TestClock.today)?.key, "page-1@200000")
        try store.write(body: bodies[0], meta: meta(bodies[0], at: times[0]), dataset: dataset, key: "page-2", day: TestClock.today)
        XCTAssertEqual(try store.newestSnapshots(of: dataset, on: TestClock.today).map(\.key), ["page-1@200000", "page-2"])
        XCTAssertEqual(try store.newest(of: dataset, key: "page-3", on: TestClock.today)?.key, nil)
        // What a stamp is, and what only looks like one.
        XCTAssertEqual(RawKey.base(of: "page-1@140509-2"), "page-1")
        XCTAssertEqual(RawKey.base(of: "bitcoin@20250101-20250331"), "bitcoin@20250101-20250331", "a history window is its own key")
        XCTAssertEqual(RawKey.base(of: "bitcoin@20250101-20250331@093000"), "bitcoin@20250101-20250331")
        XCTAssertEqual(RawKey.base(of: "a@12345"), "a@12345")
        XCTAssertEqual(RawKey.base(of: "a@123456-x"), "a@123456-x")
    }

    func testTheFingerprintFollowsContentNotModificationTimes() throws {
        let root = TemporaryRoot()
        let store = RawStore(layout: root.layout)
        let body = Data("[]".utf8)
        let snapshot = try store.write(body: body, meta: SnapshotMeta(url: "u", status: 200, fetchedAt: "t", sha256: Fingerprint.sha256(body), bytes: 2, params: [:]),
                                       dataset: dataset, key: "page-1", day: TestClock.today)
        let before = try store.fingerprint(of: dataset)
        // A copy or a restore gives the files new modification times: nothing changed.
        for url in [snapshot.bodyURL, snapshot.metaURL] {
            try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 3600)], ofItemAtPath: url.path)
        }
        XCTAssertEqual(try store.fingerprint(of: dataset), before)
        // Content that changed (its recorded sha256 with it) does.
        let other = Data("[1]".utf8)
        try other.write(to: snapshot.bodyURL)
        try SnapshotMeta(url: "u", status: 200, fetchedAt: "t", sha256: Fingerprint.sha256(other), bytes: 3, params: [:]).encoded().write(to: snapshot.metaURL)
        XCTAssertNotEqual(try store.fingerprint(of: dataset), before)
    }

    func testPruneKeepsTheNewestFetchOfEveryKeyAndNeedsSilverToAsk() throws {
        let root = TemporaryRoot("prune-newest")
        let store = RawStore(layout: root.layout)
        let llama = RawDataset(source: "defillama", dataset: "chain_tvl")
        let day1 = Day(parsing: "2026-11-20")!, day2 = Day(parsing: "2026-11-21")!, day3 = Day(parsing: "2026-11-23")!
        func put(_ key: String, _ day: Day) throws {
            let body = Data("[]".utf8)
            try store.write(body: body, meta: SnapshotMeta(url: "u", status: 200, fetchedAt: "\(day)T00:00:00Z", sha256: Fingerprint.sha256(body), bytes: 2, params: [:]),
                            dataset: llama, key: key, day: day)
        }
        try put("chains", day1)
        try put("chains", day2)
        try put("Ethereum", day1)
        let retention = RawRetention(layout: root.layout)
        XCTAssertThrowsError(try retention.prune(before: day3)) { XCTAssertTrue("\($0)".contains("silver.sqlite does not exist"), "\($0)") }
        _ = try Database(path: root.layout.silverDatabase.path)
        let report = try retention.prune(before: day3, dryRun: true)
        // A reference list gives silver values without being a row's source: its newest fetch stays.
        XCTAssertEqual(report.deleted, ["raw/2026-11-20/defillama/chain_tvl/chains.json"])
        XCTAssertEqual(Set(report.kept), ["raw/2026-11-21/defillama/chain_tvl/chains.json", "raw/2026-11-20/defillama/chain_tvl/Ethereum.json"])
    }

    /// A stream segment silver has not read yet is kept by a prune (its rows would be lost), and
    /// one it read stands or falls with its rows like any snapshot.
    func testPruneKeepsStreamSegmentsSilverHasNotRead() throws {
        let root = TemporaryRoot("prune-segments")
        let dataset = RawDataset(source: "kraken", dataset: StreamSegment.tickerDataset)
        let day = Day(parsing: "2026-11-20")!
        let folder = root.layout.rawFolder(day: day, dataset: dataset)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["main-000000", "main-000100"] {
            let body = Data(#"{"received_ms":1763596800000,"connection":1,"event":"connected"}"#.utf8 + [0x0A])
            try body.write(to: folder.appendingPathComponent("\(name).jsonl"))
            try SnapshotMeta(url: "ws://x", status: 101, fetchedAt: "2026-11-20T00:00:00Z", sha256: Fingerprint.sha256(body), bytes: body.count, params: [:])
                .encoded().write(to: folder.appendingPathComponent("\(name).meta.json"))
        }
        let silver = try Database(path: root.layout.silverDatabase.path)
        try silver.execute("CREATE TABLE _consumed_files(asset TEXT, path TEXT, sha256 TEXT, PRIMARY KEY (asset, path))")
        try silver.execute("INSERT INTO _consumed_files VALUES ('silver.exchange_connections', 'raw/2026-11-20/kraken/ws_ticker/main-000000.jsonl', 'x')")
        let report = try RawRetention(layout: root.layout).prune(before: Day(parsing: "2026-11-23")!)
        XCTAssertEqual(report.deleted, ["raw/2026-11-20/kraken/ws_ticker/main-000000.jsonl"], "read, and no row comes from it")
        XCTAssertEqual(report.kept, ["raw/2026-11-20/kraken/ws_ticker/main-000100.jsonl"], "not read yet")
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("main-000100.jsonl").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("main-000000.meta.json").path))
    }

    /// A `.gz` another tool put beside a plain body is never written over: both stay, listed as kept.
    func testCompressNeverReplacesAGzipItDidNotWrite() throws {
        let root = TemporaryRoot("compress-foreign-gz")
        let store = RawStore(layout: root.layout)
        let dataset = RawDataset(source: "defillama", dataset: "chain_tvl")
        let day = Day(parsing: "2026-11-20")!
        let body = Data("[1]".utf8)
        let snapshot = try store.write(body: body, meta: SnapshotMeta(url: "u", status: 200, fetchedAt: "2026-11-20T00:00:00Z", sha256: Fingerprint.sha256(body), bytes: 3, params: [:]),
                                       dataset: dataset, key: "chains", day: day)
        let foreign = snapshot.bodyURL.appendingPathExtension("gz")
        try Data("not ours".utf8).write(to: foreign)
        let report = try RawRetention(layout: root.layout).compress(before: Day(parsing: "2026-11-23")!)
        XCTAssertEqual(report.kept, ["raw/2026-11-20/defillama/chain_tvl/chains.json"])
        XCTAssertEqual(try Data(contentsOf: foreign), Data("not ours".utf8))
        XCTAssertEqual(try Data(contentsOf: snapshot.bodyURL), body)
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
