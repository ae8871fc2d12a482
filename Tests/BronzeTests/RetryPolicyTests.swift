import Bronze
import HTTPClient
import XCTest

final class RetryPolicyTests: XCTestCase {
    let policy = RetryPolicy(maxAttempts: 5, baseDelay: 1, maxDelay: 8, maxRetryAfter: 60)

    func testUsableRetryAfterIsHonouredAndCapped() {
        XCTAssertEqual(policy.delay(afterAttempt: 1, retryAfter: "3", random: 0), 3)
        XCTAssertEqual(policy.delay(afterAttempt: 1, retryAfter: "53", random: 0), 53)
        XCTAssertEqual(policy.delay(afterAttempt: 1, retryAfter: "600", random: 0), 60)
    }

    func testZeroOrJunkRetryAfterMeansBackoffNotNoWait() {
        for hint in ["0", "-5", "soon", "", "Wed, 21 Oct 2015 07:28:00 GMT"] {
            XCTAssertEqual(policy.delay(afterAttempt: 1, retryAfter: hint, random: 0), 0.5, hint)
        }
    }

    func testBackoffDoublesWithJitterUpToTheCap() {
        XCTAssertEqual(policy.delay(afterAttempt: 1, retryAfter: nil, random: 1), 1)
        XCTAssertEqual(policy.delay(afterAttempt: 3, retryAfter: nil, random: 1), 4)
        XCTAssertEqual(policy.delay(afterAttempt: 3, retryAfter: nil, random: 0), 2)
        XCTAssertEqual(policy.delay(afterAttempt: 10, retryAfter: nil, random: 1), 8)
    }

    func testOnlyTransientStatusesAreRetried() {
        XCTAssertTrue(RetryPolicy.isTransient(status: 429))
        XCTAssertTrue(RetryPolicy.isTransient(status: 503))
        XCTAssertFalse(RetryPolicy.isTransient(status: 404))
        XCTAssertFalse(RetryPolicy.isTransient(status: 401))
    }
}
