@testable import Bucket
import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// The OAuth2 JWT bearer exchange against a loopback stand-in of Google's token endpoint that
/// verifies the RS256 signature with the key's public half (Python's `cryptography`).
final class ServiceAccountTokenTests: XCTestCase {
    final class Clock: @unchecked Sendable {
        var now = Date()
    }

    func testTheSignedJWTIsAcceptedAndRefreshedBeforeItExpires() throws {
        let folder = TemporaryRoot("gcs-token")
        let log = folder.url.appendingPathComponent("token.log")
        let keyFile = folder.url.appendingPathComponent("key.json")
        // The key names its token endpoint, so the endpoint starts first; it reads the key at each request.
        let endpoint = try LoopbackServer("token_endpoint.py", [log.path, "70"], environment: ["SERVICE_ACCOUNT_KEY": keyFile.path])
        _ = try PythonOracle("make_service_account.py").run([keyFile.path, endpoint.url + "/token"])
        let clock = Clock()
        let token = try GoogleAccessToken(environment: ["GOOGLE_APPLICATION_CREDENTIALS": keyFile.path], location: "gs://team", allowAnonymous: false,
                                          now: { [clock] in clock.now })
        XCTAssertEqual(try token.authorization(), "Bearer tok-1")
        // The endpoint gives 70 s tokens (and checks iat against its own clock, so the test's clock moves a little).
        clock.now += 5
        XCTAssertEqual(try token.authorization(), "Bearer tok-1", "a token with more than a minute left is reused")
        clock.now += 10
        XCTAssertEqual(try token.authorization(), "Bearer tok-2", "a token within a minute of expiry is exchanged again")
        XCTAssertEqual(token.exchanges, 2)
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertFalse(lines.contains { $0.contains("error") }, "the endpoint verified both assertions: \(lines)")
        XCTAssertFalse(try String(contentsOf: log, encoding: .utf8).contains("PRIVATE KEY"))
    }

    func testTheExchangedTokenOpensTheBucket() throws {
        let folder = TemporaryRoot("gcs-token-bucket")
        let keyFile = folder.url.appendingPathComponent("key.json")
        let endpoint = try LoopbackServer("token_endpoint.py", [folder.url.appendingPathComponent("token.log").path, "3600"], environment: ["SERVICE_ACCOUNT_KEY": keyFile.path])
        _ = try PythonOracle("make_service_account.py").run([keyFile.path, endpoint.url + "/token"])
        let bucket = try LoopbackServer("gcs_server.py", ["--port", "0", "--bucket", "team", "--require-token", "tok-1"])
        let token = try GoogleAccessToken(environment: ["GOOGLE_APPLICATION_CREDENTIALS": keyFile.path], location: "gs://team", allowAnonymous: false)
        let store = GCSObjectStore(bucket: "team", endpoint: bucket.url, token: token)
        XCTAssertTrue(try store.create("raw/2025-01-01/a/b/k.json", data: Data("{}".utf8), contentType: "application/json"))
        XCTAssertEqual(try store.list(prefix: "raw/", delimiter: nil).objects.count, 1)
        XCTAssertEqual(token.exchanges, 1, "one token serves every request while it is valid")
    }

    func testARevokedKeyIsAClearCredentialsError() throws {
        let folder = TemporaryRoot("gcs-token-bad")
        let log = folder.url.appendingPathComponent("token.log")
        let keyFile = folder.url.appendingPathComponent("key.json"), otherKey = folder.url.appendingPathComponent("other.json")
        let endpoint = try LoopbackServer("token_endpoint.py", [log.path, "3600"], environment: ["SERVICE_ACCOUNT_KEY": otherKey.path])
        _ = try PythonOracle("make_service_account.py").run([keyFile.path, endpoint.url + "/token"])
        _ = try PythonOracle("make_service_account.py").run([otherKey.path, endpoint.url + "/token"])
        let token = try GoogleAccessToken(environment: ["GOOGLE_APPLICATION_CREDENTIALS": keyFile.path], location: "gs://team", allowAnonymous: false)
        XCTAssertThrowsError(try token.authorization()) { error in
            XCTAssertTrue("\(error)".contains("refused the service account"), "\(error)")
        }
    }

    func testMissingCredentialsNameWhatToSet() {
        XCTAssertThrowsError(try GoogleAccessToken(environment: [:], location: "gs://team", allowAnonymous: false)) { error in
            XCTAssertTrue("\(error)".contains("GOOGLE_APPLICATION_CREDENTIALS"), "\(error)")
        }
        XCTAssertThrowsError(try GoogleAccessToken(environment: ["GOOGLE_APPLICATION_CREDENTIALS": "/nonexistent/key.json"], location: "gs://team", allowAnonymous: false)) { error in
            XCTAssertTrue("\(error)".contains("/nonexistent/key.json"), "\(error)")
        }
    }
}
