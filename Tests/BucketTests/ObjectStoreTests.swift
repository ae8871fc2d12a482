@testable import Bucket
import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// Both object stores against real protocol servers on loopback: moto's S3 and the GCS
/// emulator (Tests/Oracle). The same checks run on each: conditional creates, paged listings,
/// downloads, and for S3 multipart uploads and both addressing styles.
final class ObjectStoreTests: XCTestCase {
    static let credentials = S3Credentials(accessKeyID: "AKIDTEST", secretAccessKey: "test-secret")

    func s3(_ server: LoopbackServer, addressing: RawRemote.Addressing = .path, bucket: String = "team") -> S3ObjectStore {
        let endpoint = addressing == .path ? server.url : "http://localhost:\(server.port)"
        return S3ObjectStore(bucket: bucket, endpoint: endpoint, region: "us-east-1", addressing: addressing, credentials: Self.credentials,
                             multipartThreshold: 5 << 20)
    }

    func gcs(_ server: LoopbackServer, token: String? = nil) throws -> GCSObjectStore {
        let environment = token.map { ["GOOGLE_OAUTH_ACCESS_TOKEN": $0] } ?? [:]
        return GCSObjectStore(bucket: "team", endpoint: server.url, token: try GoogleAccessToken(environment: environment, location: "gs://team", allowAnonymous: true))
    }

    /// What every store must do: create once, never replace, list every page, read back.
    func exercise(_ store: ObjectStore & AnyObject, setPageSize: (Int) -> Void) throws {
        XCTAssertTrue(try store.create("raw/2025-01-01/a/b/k.json", data: Data("first".utf8), contentType: "application/json"))
        XCTAssertFalse(try store.create("raw/2025-01-01/a/b/k.json", data: Data("second".utf8), contentType: "application/json"),
                       "an existing object is never replaced")
        XCTAssertEqual(try store.get("raw/2025-01-01/a/b/k.json"), Data("first".utf8))
        XCTAssertNil(try store.get("raw/2025-01-01/a/b/absent.json"))
        for i in 0..<23 { XCTAssertTrue(try store.create("raw/2025-01-02/s/d/key-\(i).json", data: Data("\(i)".utf8), contentType: "application/json")) }
        XCTAssertTrue(try store.create("raw/2025-01-02/s/d/USDINR=X.json", data: Data("fx".utf8), contentType: "application/json"))
        setPageSize(5)
        let listing = try store.list(prefix: "raw/2025-01-02/s/d/", delimiter: "/")
        XCTAssertEqual(listing.objects.count, 24)
        XCTAssertGreaterThanOrEqual(listing.pages, 5, "listed in pages of 5")
        XCTAssertEqual(listing.objects["raw/2025-01-02/s/d/USDINR=X.json"], ObjectInfo(size: 2, md5: Crypto.md5Hex(Data("fx".utf8))), "size and MD5 listed")
        XCTAssertEqual(try store.get("raw/2025-01-02/s/d/USDINR=X.json"), Data("fx".utf8))
        let days = try store.list(prefix: "raw/", delimiter: "/")
        XCTAssertEqual(days.prefixes.sorted(), ["raw/2025-01-01/", "raw/2025-01-02/"])
        XCTAssertTrue(days.objects.isEmpty)
    }

    func testS3PathStyle() throws {
        let server = try LoopbackServer("s3_server.py", ["--port", "0", "--create-bucket", "team"])
        let store = s3(server)
        try exercise(store) { store.pageSize = $0 }
    }

    func testS3VirtualHostStyle() throws {
        let server = try LoopbackServer("s3_server.py", ["--port", "0", "--create-bucket", "team"])
        let store = s3(server, addressing: .virtual)
        try exercise(store) { store.pageSize = $0 }
        XCTAssertEqual(try s3(server, addressing: .path).get("raw/2025-01-01/a/b/k.json"), Data("first".utf8), "both styles reach the same bucket")
    }

    func testS3MultipartUploadAboveTheThresholdIsConditionalToo() throws {
        let server = try LoopbackServer("s3_server.py", ["--port", "0", "--create-bucket", "team"])
        let store = s3(server)
        var random = SplitMix(seed: 5)
        let big = Data((0..<(11 << 20)).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        XCTAssertTrue(try store.create("raw/2025-01-01/big/one/k.json", data: big, contentType: "application/json"))
        XCTAssertEqual(try store.get("raw/2025-01-01/big/one/k.json"), big, "three parts put back together")
        XCTAssertFalse(try store.create("raw/2025-01-01/big/one/k.json", data: Data(big.reversed()), contentType: "application/json"))
        XCTAssertEqual(try store.get("raw/2025-01-01/big/one/k.json"), big)
    }

    func testS3ChecksEverySignatureAndRefusesAWrongSecret() throws {
        // moto recomputes each request's SigV4 signature with botocore for this key pair. Its
        // checker re-quotes what werkzeug decoded, so a key with '=', a '/' in a query value or a
        // continuation token fails for boto3 itself: those stay out of this test (the AWS vectors cover them).
        let server = try LoopbackServer("s3_server.py", ["--port", "0", "--create-bucket", "team", "--verify-auth", "AKIDTEST", "test-secret"])
        let store = s3(server)
        XCTAssertTrue(try store.create("raw/2025-01-01/coingecko/markets/page-1.json", data: Data("[1]".utf8), contentType: "application/json"))
        XCTAssertFalse(try store.create("raw/2025-01-01/coingecko/markets/page-1.json", data: Data("[2]".utf8), contentType: "application/json"))
        XCTAssertEqual(try store.get("raw/2025-01-01/coingecko/markets/page-1.json"), Data("[1]".utf8))
        XCTAssertEqual(try store.list(prefix: "raw", delimiter: nil).objects.count, 1)
        var random = SplitMix(seed: 9)
        let big = Data((0..<(6 << 20)).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        XCTAssertTrue(try store.create("raw/2025-01-01/big/one/k.json", data: big, contentType: "application/json"), "multipart requests are signed right too")
        let wrong = S3ObjectStore(bucket: "team", endpoint: server.url, region: "us-east-1", addressing: .path,
                                  credentials: S3Credentials(accessKeyID: "AKIDTEST", secretAccessKey: "not-the-secret"))
        XCTAssertThrowsError(try wrong.create("raw/x.json", data: Data("{}".utf8), contentType: "application/json")) { error in
            XCTAssertTrue("\(error)".contains("403") && "\(error)".contains("check the credentials"), "\(error)")
        }
    }

    func testS3MissingBucketIsARefusalNamingIt() throws {
        let server = try LoopbackServer("s3_server.py", ["--port", "0"])
        XCTAssertThrowsError(try s3(server, bucket: "nobody").list(prefix: "raw/", delimiter: "/")) { error in
            XCTAssertTrue("\(error)".contains("s3://nobody") && "\(error)".contains("404"), "\(error)")
        }
    }

    func testGCS() throws {
        let server = try LoopbackServer("gcs_server.py", ["--port", "0", "--bucket", "team"])
        let store = try gcs(server)
        try exercise(store) { store.pageSize = $0 }
    }

    func testGCSSendsTheBearerToken() throws {
        let server = try LoopbackServer("gcs_server.py", ["--port", "0", "--bucket", "team", "--require-token", "tok-123"])
        XCTAssertThrowsError(try gcs(server, token: "wrong").list(prefix: "raw/", delimiter: "/")) { error in
            XCTAssertTrue("\(error)".contains("401"), "\(error)")
        }
        XCTAssertTrue(try gcs(server, token: "tok-123").create("raw/x.json", data: Data("{}".utf8), contentType: "application/json"))
    }

    func testADeadStoreFailsFastAfterItsRetries() throws {
        let server = try LoopbackServer("s3_server.py", ["--port", "0", "--create-bucket", "team"])
        let store = S3ObjectStore(bucket: "team", endpoint: server.url, region: "us-east-1", addressing: .path, credentials: Self.credentials,
                                  retry: .init(maxAttempts: 3, baseDelay: 0.01))
        XCTAssertTrue(try store.create("raw/a.json", data: Data("1".utf8), contentType: "application/json"))
        server.kill()
        XCTAssertThrowsError(try store.get("raw/a.json")) { XCTAssertTrue("\($0)".contains("cannot be reached"), "\($0)") }
        let start = Date()
        XCTAssertThrowsError(try store.get("raw/a.json"))
        XCTAssertLessThan(Date().timeIntervalSince(start), 0.05, "once down, the store is not waited on again in this run")
    }
}
