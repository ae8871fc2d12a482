import Bucket
import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// The team's shared raw cache end to end: the CLI against the emulator for the APIs and a
/// real S3 (moto) or GCS (emulator) server on loopback for the bucket, counted at both ends.
final class SharedRawCacheTests: XCTestCase {
    static let s3Environment = ["AWS_ACCESS_KEY_ID": "AKIDTEST", "AWS_SECRET_ACCESS_KEY": "test-secret", "AWS_REGION": "us-east-1"]

    /// moto's S3 (signatures are checked in ObjectStoreTests: moto's checker cannot take every key the runs write).
    func s3Server() throws -> LoopbackServer { try LoopbackServer("s3_server.py", ["--port", "0", "--create-bucket", "team"]) }

    /// A root of the emulated warehouse pointed at the bucket.
    func root(_ name: String, url: String, endpoint: String, at time: Date = TestClock.now) throws -> EmulatedWarehouse {
        let warehouse = try EmulatedWarehouse(name, extra: Self.s3Environment.merging(["WAREHOUSE_NOW": ISO8601.format(time)]) { $1 })
        try "[raw.remote]\nurl = \"\(url)\"\nendpoint = \"\(endpoint)\"\n".write(to: warehouse.root.url.appendingPathComponent("warehouse.toml"), atomically: true, encoding: .utf8)
        return warehouse
    }

    func store(_ server: LoopbackServer) -> S3ObjectStore {
        S3ObjectStore(bucket: "team", endpoint: server.url, region: "us-east-1", addressing: .path,
                      credentials: S3Credentials(accessKeyID: "AKIDTEST", secretAccessKey: "test-secret"))
    }

    func summary(_ result: CLIRunner.Result, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
        return try XCTUnwrap(try result.json() as? [String: Any], file: file, line: line)
    }

    /// Every snapshot of a root (relative path -> body and metadata bytes).
    func snapshots(_ root: TemporaryRoot) throws -> [String: Data] {
        let store = RawStore(layout: root.layout)
        var files: [String: Data] = [:]
        for dataset in try store.datasets() {
            for snapshot in try store.snapshots(of: dataset) {
                files[snapshot.relativePath] = try Data(contentsOf: snapshot.bodyURL)
                files[snapshot.metaRelativePath] = try Data(contentsOf: snapshot.metaURL)
            }
        }
        return files
    }

    /// Every data table of silver and gold, row by row.
    func tables(_ root: TemporaryRoot) throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        for database in [root.layout.silverDatabase.path, root.layout.goldDatabase.path] {
            for table in try TableDump.tables(database) { result["\(database.split(separator: "/").last!).\(table)"] = try TableDump.rows(database, table, orderBy: "1, 2") }
        }
        return result
    }

    /// The acceptance case on one protocol: a second root of the same day (an hour later)
    /// calls no API, copies everything from the bucket, and builds the same silver and gold.
    func assertSecondRootReusesTheBucket(url: String, endpoint: String, prefix: String, list: () throws -> ObjectListing) throws {
        let first = try root("share-a", url: url, endpoint: endpoint)
        let a = try summary(try first.run(["materialize", "--all", "--json"]))
        XCTAssertGreaterThan(first.emulator.requestCount, 0)
        let files = try snapshots(first.root)
        XCTAssertEqual(a["uploads"] as? Int, files.count / 2, "every fetched snapshot was uploaded")
        XCTAssertEqual(a["bucket_hits"] as? Int, 0)
        let objects = try list().objects.keys.map { String($0.dropFirst(prefix.count)) }
        XCTAssertEqual(Set(objects), Set(files.keys), "the bucket holds the raw layout under the prefix, body and metadata")

        let second = try root("share-b", url: url, endpoint: endpoint, at: TestClock.now.addingTimeInterval(3600))
        let b = try summary(try second.run(["materialize", "--all", "--json"]))
        XCTAssertEqual(second.emulator.requestCount, 0, "no API was called: \(second.emulator.requestCounts)")
        XCTAssertEqual(b["requests"] as? Int, 0)
        XCTAssertEqual(b["bucket_hits"] as? Int, files.count / 2)
        XCTAssertEqual(b["uploads"] as? Int, 0)
        XCTAssertEqual(try snapshots(second.root), files, "copied byte for byte, under the same names")
        let (silverA, silverB) = (try tables(first.root), try tables(second.root))
        XCTAssertEqual(silverA.keys.sorted(), silverB.keys.sorted())
        for table in silverA.keys.sorted() { XCTAssertEqual(silverA[table], silverB[table], table) }
        XCTAssertGreaterThan(silverA.values.map(\.count).reduce(0, +), 1000)

        let text = try second.run(["materialize", "--all", "--refresh"])
        XCTAssertTrue(text.stdout.contains("Shared raw cache \(url):"), text.stdout)
        // No secret reaches a file of either root (raw metadata, databases, exports) or the output.
        for root in [first.root, second.root] {
            let files = FileManager.default.enumerator(at: root.url, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
            for file in files where !file.hasDirectoryPath {
                XCTAssertNil((try? Data(contentsOf: file))?.range(of: Data("test-secret".utf8)), "\(file.path) holds the secret")
            }
        }
        XCTAssertFalse(text.stdout.contains("test-secret") || text.stderr.contains("test-secret"))
    }

    func testTwoRootsShareOneS3Bucket() throws {
        let server = try s3Server()
        let store = store(server)
        try assertSecondRootReusesTheBucket(url: "s3://team/warehouse/shared", endpoint: server.url, prefix: "warehouse/shared/") {
            try store.list(prefix: "warehouse/shared/", delimiter: nil)
        }
    }

    func testTwoRootsShareOneGCSBucket() throws {
        let server = try LoopbackServer("gcs_server.py", ["--port", "0", "--bucket", "team"])
        let store = GCSObjectStore(bucket: "team", endpoint: server.url, token: try GoogleAccessToken(environment: [:], location: "gs://team", allowAnonymous: true))
        try assertSecondRootReusesTheBucket(url: "gs://team/cache", endpoint: server.url, prefix: "cache/") {
            try store.list(prefix: "cache/", delimiter: nil)
        }
    }

    /// Every metadata object in the bucket has its body beside it.
    func assertNoMetaWithoutBody(_ listing: ObjectListing, file: StaticString = #filePath, line: UInt = #line) {
        for name in listing.objects.keys where name.hasSuffix(".meta.json") {
            let stem = String(name.dropLast(".meta.json".count))
            XCTAssertTrue(listing.objects[stem + ".json"] != nil || listing.objects[stem + ".json.gz"] != nil, "\(name) without its body", file: file, line: line)
        }
    }

    /// Starts `materialize --all` and waits until the bucket holds at least `objects` objects.
    func startRun(_ warehouse: EmulatedWarehouse, until objects: Int, in store: S3ObjectStore, stderr: URL) throws -> Process {
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        let process = try warehouse.cli.start(["materialize", "--all", "--root", warehouse.root.path], stderr: try FileHandle(forWritingTo: stderr))
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline, ((try? store.list(prefix: "", delimiter: nil).objects.count) ?? 0) < objects { Thread.sleep(forTimeInterval: 0.01) }
        return process
    }

    func testTheBucketGoingDownMidRunLeavesTheRunWorkingAndALaterRunUploadsTheRest() throws {
        let server = try s3Server()
        let warehouse = try root("bucket-down", url: "s3://team", endpoint: server.url)
        let stderr = warehouse.root.url.appendingPathComponent("stderr.txt")
        let process = try startRun(warehouse, until: 10, in: store(server), stderr: stderr)
        XCTAssertTrue(process.isRunning, "the run was still uploading when the bucket went down")
        server.kill()
        process.waitUntilExit()
        let warnings = try String(contentsOf: stderr, encoding: .utf8)
        XCTAssertEqual(process.terminationStatus, 0, warnings)
        XCTAssertTrue(warnings.contains("not uploaded to the shared raw cache"), warnings)
        let local = try snapshots(warehouse.root)
        XCTAssertGreaterThan(local.count, 100, "the run went on from the APIs")

        // The store comes back (empty: moto keeps nothing); the next run uploads what is missing.
        let back = try s3Server()
        try "[raw.remote]\nurl = \"s3://team\"\nendpoint = \"\(back.url)\"\n".write(to: warehouse.root.url.appendingPathComponent("warehouse.toml"), atomically: true, encoding: .utf8)
        let next = try summary(try warehouse.run(["materialize", "--all", "--json"]))
        XCTAssertEqual(next["requests"] as? Int, 0)
        XCTAssertEqual(next["uploads"] as? Int, local.count / 2)
        let listing = try store(back).list(prefix: "", delimiter: nil)
        XCTAssertEqual(Set(listing.objects.keys), Set(local.keys))
        for (name, bytes) in local { XCTAssertEqual(try store(back).get(name), bytes, name) }
    }

    func testKill9DuringUploadsLeavesNoMetadataWithoutItsBodyAndTheRerunCompletes() throws {
        let server = try s3Server()
        let warehouse = try root("kill-upload", url: "s3://team", endpoint: server.url)
        let process = try startRun(warehouse, until: 15, in: store(server), stderr: warehouse.root.url.appendingPathComponent("stderr.txt"))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        assertNoMetaWithoutBody(try store(server).list(prefix: "", delimiter: nil))

        XCTAssertEqual(try warehouse.run(["materialize", "--all"]).status, 0)
        let listing = try store(server).list(prefix: "", delimiter: nil)
        assertNoMetaWithoutBody(listing)
        let local = try snapshots(warehouse.root)
        XCTAssertTrue(Set(local.keys).isSubset(of: Set(listing.objects.keys)), "every snapshot of the root is in the bucket after the rerun")
    }

    func testTwoWritersOfOneKeyEachKeepTheirOwnCopy() throws {
        let server = try s3Server()
        let store = store(server)
        // B fetched on its own first (the bucket was off), an hour after A's fetch of the same keys.
        let b = try root("writer-b", url: "s3://team", endpoint: server.url, at: TestClock.now.addingTimeInterval(3600))
        b.cli.environment["WAREHOUSE_RAW_REMOTE"] = "off"
        XCTAssertEqual(try b.run(["materialize", "bronze.coingecko_markets"]).status, 0)
        let a = try root("writer-a", url: "s3://team", endpoint: server.url)
        XCTAssertEqual(try a.run(["materialize", "bronze.coingecko_markets"]).status, 0)
        let before = try store.list(prefix: "", delimiter: nil)
        let aBytes = try Dictionary(uniqueKeysWithValues: before.objects.keys.map { ($0, try XCTUnwrap(store.get($0))) })

        b.cli.environment["WAREHOUSE_RAW_REMOTE"] = nil
        let push = try b.run(["raw", "sync", "--push", "--json"])
        XCTAssertEqual(push.status, 0, push.stderr)
        let pushed = try XCTUnwrap(try push.json() as? [String: Any])
        XCTAssertEqual(pushed["uploaded"] as? Int, before.objects.count / 2)
        let after = try store.list(prefix: "", delimiter: nil)
        XCTAssertEqual(after.objects.count, before.objects.count * 2)
        for (name, bytes) in aBytes { XCTAssertEqual(try store.get(name), bytes, "\(name) was not overwritten") }
        XCTAssertTrue(after.objects.keys.contains { $0.contains("@130000") }, "B's copies took the refetch name of its fetch time: \(after.objects.keys.sorted())")
        assertNoMetaWithoutBody(after)

        // A third root pulls both; the newest fetch (B's) is what silver reads.
        let c = try root("writer-c", url: "s3://team", endpoint: server.url, at: TestClock.now.addingTimeInterval(7200))
        let pull = try c.run(["raw", "sync", "--pull", "--json"])
        XCTAssertEqual(pull.status, 0, pull.stderr)
        XCTAssertEqual((try pull.json() as? [String: Any])?["downloaded"] as? Int, after.objects.count / 2)
        let newest = try RawStore(layout: c.root.layout).newestSnapshots(of: RawDataset(source: "coingecko", dataset: "markets"), on: TestClock.today)
        XCTAssertFalse(newest.isEmpty)
        XCTAssertTrue(newest.allSatisfy { $0.key.hasSuffix("@130000") }, "\(newest.map(\.key))")
        let again = try c.run(["raw", "sync", "--json"])
        XCTAssertEqual((try again.json() as? [String: Any])?["downloaded"] as? Int, 0)
        XCTAssertEqual((try again.json() as? [String: Any])?["uploaded"] as? Int, 0)
    }

    func testSyncWithoutABucketSaysHowToConfigureOne() throws {
        let warehouse = try EmulatedWarehouse("no-bucket")
        let result = try warehouse.run(["raw", "sync"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("[raw.remote]"), result.stderr)
    }

    func testMissingS3CredentialsAreAConfigurationError() throws {
        let warehouse = try EmulatedWarehouse("no-credentials")
        try "[raw.remote]\nurl = \"s3://team\"\nendpoint = \"http://127.0.0.1:9\"\n".write(to: warehouse.root.url.appendingPathComponent("warehouse.toml"), atomically: true, encoding: .utf8)
        let result = try warehouse.run(["materialize", "--all"])
        XCTAssertEqual(result.status, 2)
        XCTAssertTrue(result.stderr.contains("AWS_ACCESS_KEY_ID"), result.stderr)
        XCTAssertEqual(warehouse.emulator.requestCount, 0)
    }
}
