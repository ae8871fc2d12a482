import Foundation
import Warehouse
import XCTest

final class ISO8601Tests: XCTestCase {
    /// The hand-written parser agrees with Foundation's ISO8601DateFormatter.
    func testParseAgreesWithFoundation() throws {
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for text in ["2026-11-23T12:00:00Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z", "2026-11-23T05:30:00+05:30",
                     "2026-11-23T12:00:00-08:00", "2026-11-23T12:00:00.000Z", "2026-11-23T12:00:00.123Z", "1999-12-31T23:59:59.5+01:00"] {
            let expected = try XCTUnwrap(plain.date(from: text) ?? fractional.date(from: text), text)
            let parsed = try XCTUnwrap(ISO8601.parse(text), text)
            XCTAssertEqual(parsed.timeIntervalSince1970, expected.timeIntervalSince1970, accuracy: 1e-6, text)
        }
        XCTAssertEqual(ISO8601.parse("2026-11-23T12:00:00+0530")?.timeIntervalSince1970, ISO8601.parse("2026-11-23T06:30:00Z")?.timeIntervalSince1970)
    }

    func testMillisecondsDropSubMillisecondDigitsExactly() {
        XCTAssertEqual(ISO8601.unixMilliseconds("2026-04-07T00:28:58.544778Z"), 1_775_521_738_544)
        XCTAssertEqual(ISO8601.unixMilliseconds("2026-04-07T00:28:58.999999999Z"), 1_775_521_738_999)
        XCTAssertEqual(ISO8601.unixMilliseconds("2026-04-07T00:28:58Z"), 1_775_521_738_000)
        XCTAssertEqual(ISO8601.unixMilliseconds("2026-04-07T02:28:58.1+02:00"), 1_775_521_738_100)
        XCTAssertNil(ISO8601.unixMilliseconds("2026-04-07"))
    }

    func testTheDayOfUnixMillisecondsFloorsBeforeTheEpochToo() {
        XCTAssertEqual(Day(unixMilliseconds: 1_795_478_399_999).description, "2026-11-23")
        XCTAssertEqual(Day(unixMilliseconds: 1_795_478_400_000).description, "2026-11-24")
        XCTAssertEqual(Day(unixMilliseconds: -1).description, "1969-12-31")
        XCTAssertEqual(Day(unixMilliseconds: -86_400_000).description, "1969-12-31")
        XCTAssertEqual(Day(unixMilliseconds: -86_400_001).description, "1969-12-30")
    }

    func testEveryDayRendersAsItParses() {
        var day = Day(parsing: "0001-01-01")!
        while day < Day(parsing: "9999-12-31")! {
            XCTAssertEqual(Day(parsing: day.description), day, day.description)
            day = day.adding(days: 397)
        }
        XCTAssertEqual(Day(parsing: "2024-02-29")!.description, "2024-02-29")
        XCTAssertEqual(Day(parsing: "0999-09-09")!.description, "0999-09-09")
    }

    func testParseRejectsWhatIsNotATimestamp() {
        for text in ["", "2026-11-23", "2026-11-23T12:00:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-23T25:00:00Z",
                     "2026-11-23T12:00:00.Z", "2026-11-23T12:00:00Zjunk", "2026-11-23 12:00:00Z", "2026-11-23T12:00:00+5"] {
            XCTAssertNil(ISO8601.parse(text), text)
        }
    }

    func testFormatThenParseRoundTrips() throws {
        let date = Date(timeIntervalSince1970: 1_795_478_400.25)
        XCTAssertEqual(ISO8601.format(date), "2026-11-24T00:00:00Z")
        XCTAssertEqual(try XCTUnwrap(ISO8601.parse(ISO8601.format(date, milliseconds: true))).timeIntervalSince1970, 1_795_478_400.25, accuracy: 1e-9)
    }

    func testMillisecondsPrintTheMillisecondADateWasMadeOf() {
        // 1796323003343 / 1000 is 1796323003.342999... in binary: truncating printed .342.
        var wrong: [Int64] = []
        for millis in stride(from: Int64(1_796_323_003_000), to: 1_796_323_005_000, by: 1) {
            let text = ISO8601.format(Date(timeIntervalSince1970: Double(millis) / 1000), milliseconds: true)
            if ISO8601.unixMilliseconds(text) != millis || text != ISO8601.format(unixMilliseconds: millis) { wrong.append(millis) }
        }
        XCTAssertEqual(wrong, [])
        XCTAssertEqual(ISO8601.format(unixMilliseconds: 1_796_323_003_343), "2026-12-03T18:36:43.343Z")
        XCTAssertEqual(ISO8601.format(unixMilliseconds: -1), "1969-12-31T23:59:59.999Z")
    }
}
