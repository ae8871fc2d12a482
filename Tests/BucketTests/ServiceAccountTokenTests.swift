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
        // The key names its token endpoint, so the endpoint starts first with a placeholder key path.
        let placeholder = try LoopbackServer("token_endpoint.py", [log.path, "600"], environment: ["SERVICE_ACCOUNT_KEY": keyFile.path])
        _ = try PythonOracle("make_service_account.py").run([keyFile.path, placeholder.url + "/token"])
        let clock = Clock()
        let token = try GoogleAccessToken(environment: ["GOOGLE_APPLICATION_CREDENTIALS": keyFile.path], location: "gs://team", allowAnonymous: false,
                                          now: { [clock] in clock.now })
        XCTAssertEqual(try token.authorization(), "Bearer tok-1")
        clock.now += 300
        XCTAssertEqual(try token.authorization(), "Bearer tok-1", "a token with minutes left is reused")
        clock.now += 250
        XCTAssertEqual(try token.authorization(), "Bearer tok-2", "a token within a minute of expiry is exchanged again")
        XCTAssertEqual(token.exchanges, 2)
        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 2)
        XCTAssertFalse(lines.contains { $0.contains("error") }, "the endpoint verified both assertions: \(lines)")
        XCTAssertFalse(try String(contentsOf: log, encoding: .utf8).contains("PRIVATE KEY"))
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
