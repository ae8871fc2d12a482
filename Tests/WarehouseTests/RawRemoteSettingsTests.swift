import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// `[raw.remote]`: the team bucket a root shares its raw layer through.
final class RawRemoteSettingsTests: XCTestCase {
    func load(_ text: String, environment: [String: String] = [:]) throws -> WarehouseSettings {
        let root = TemporaryRoot("remote-settings")
        try text.write(to: root.url.appendingPathComponent("warehouse.toml"), atomically: true, encoding: .utf8)
        return try WarehouseSettings.load(root: root.url, environment: environment)
    }

    func testBucketURLsEndpointsAndOptions() throws {
        let s3 = try XCTUnwrap(try load("""
            [raw.remote]
            url = "s3://team-raw/warehouse/prod/"
            endpoint = "http://127.0.0.1:9000/"
            region = "eu-central-1"
            addressing = "virtual"
            multipart_threshold_mb = 16
            """).rawRemote)
        XCTAssertEqual(s3.service, .s3)
        XCTAssertEqual(s3.bucket, "team-raw")
        XCTAssertEqual(s3.prefix, "warehouse/prod")
        XCTAssertEqual(s3.objectName("raw/2025-01-01/yahoo/chart/AAPL.json"), "warehouse/prod/raw/2025-01-01/yahoo/chart/AAPL.json")
        XCTAssertEqual(s3.endpoint, "http://127.0.0.1:9000")
        XCTAssertEqual(s3.region, "eu-central-1")
        XCTAssertEqual(s3.addressing, .virtual)
        XCTAssertEqual(s3.multipartThreshold, 16 << 20)

        let gcs = try XCTUnwrap(try load("[raw.remote]\nurl = \"gs://team-raw\"\n").rawRemote)
        XCTAssertEqual(gcs.service, .gcs)
        XCTAssertEqual(gcs.prefix, "")
        XCTAssertEqual(gcs.objectName("raw/x.json"), "raw/x.json")
        XCTAssertNil(try load("").rawRemote, "no section: snapshots stay on this machine")
    }

    func testTheEnvironmentPointsAtABucketOrTurnsItOff() throws {
        let file = "[raw.remote]\nurl = \"s3://team-raw\"\nendpoint = \"http://127.0.0.1:9000\"\n"
        XCTAssertNil(try load(file, environment: ["WAREHOUSE_RAW_REMOTE": "off"]).rawRemote)
        let other = try XCTUnwrap(try load(file, environment: ["WAREHOUSE_RAW_REMOTE": "s3://other/p"]).rawRemote)
        XCTAssertEqual(other.bucket, "other")
        XCTAssertEqual(other.endpoint, "http://127.0.0.1:9000", "the file's other keys stay")
    }

    func testMistakesNameTheKeyAndTheFix() {
        func error(_ text: String) -> String {
            do { _ = try load(text); return "no error" } catch { return "\(error)" }
        }
        XCTAssertTrue(error("[raw.remote]\nurl = \"ftp://bucket\"\n").contains("raw.remote.url: 'ftp://bucket' is not an s3:// or gs:// bucket URL"))
        XCTAssertTrue(error("[raw.remote]\nurl = \"s3://Bad_Bucket!\"\n").contains("does not name a bucket"))
        XCTAssertTrue(error("[raw.remote]\nurl = \"s3://bkt/../x\"\n").contains("'..'"))
        XCTAssertTrue(error("[raw.remote]\nendpoint = \"http://x\"\n").contains("raw.remote.url is not"))
        XCTAssertTrue(error("[raw.remote]\nurl = \"s3://b1b\"\naddressing = \"dns\"\n").contains("neither virtual nor path"))
        XCTAssertTrue(error("[raw.remote]\nurl = \"s3://b1b\"\nendpoint = \"localhost:9000\"\n").contains("is not an http(s) URL"))
        XCTAssertTrue(error("[raw.remote]\nurl = \"s3://b1b\"\nmultipart_threshold_mb = 1\n").contains("5 to 5000"))
        XCTAssertTrue(error("[raw.remote]\nurl = \"s3://b1b\"\nsecret = \"x\"\n").contains("raw.remote.secret: is not a setting"))
    }
}
