import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

final class JSONCursorTests: XCTestCase {
    func number(_ text: String) throws -> Double {
        var bytes = Array(text.utf8)
        bytes.append(UInt8(ascii: "]"))
        return try bytes.withUnsafeBytes { buffer in
            var cursor = JSONCursor(buffer)
            return try cursor.readNumber()
        }
    }

    func testNumbersRoundExactlyLikeTheStandardLibrary() throws {
        var generator = SplitMix(seed: 2026)
        for _ in 0..<20_000 {
            // Every bit pattern: any sign, exponent (subnormals included) and mantissa.
            let value = Double(bitPattern: generator.next())
            guard value.isFinite else { continue }
            XCTAssertEqual(try number(value.description), value, value.description)
            let fixed = String(format: "%.6f", value)
            XCTAssertEqual(try number(fixed), Double(fixed)!, fixed)
        }
        for text in ["0", "-0", "1e-05", "1.6446899669484214e-05", "42261.0406175669", "827596236151.196", "1E+2", "123456789012345678901234567890"] {
            XCTAssertEqual(try number(text), Double(text)!, text)
        }
    }

    func testSixteenToNineteenDigitNumbersRoundExactlyLikeStrtod() throws {
        var generator = SplitMix(seed: 17)
        for _ in 0..<200_000 {
            // A mantissa of 15 to 19 digits with the point anywhere, as prices and volumes come.
            let digits = 15 + Int(generator.next() % 5)
            var mantissa = String(1 + generator.next() % 9)
            for _ in 1..<digits { mantissa += String(generator.next() % 10) }
            let point = Int(generator.next() % UInt64(digits + 8))
            let text: String
            if point < digits {
                text = String(mantissa.prefix(point == 0 ? 1 : point)) + "." + String(mantissa.dropFirst(point == 0 ? 1 : point))
            } else {
                text = mantissa + "e" + String(point - digits) // up to 10^27 times a 19-digit mantissa
            }
            XCTAssertEqual(try number(text), strtod(text, nil), text)
            XCTAssertEqual(try number("0.000000" + mantissa), strtod("0.000000" + mantissa, nil), "0.000000" + mantissa)
        }
        // Ties between two Doubles, where rounding twice would go wrong: 2^53 + 1, + 3, and a tie scaled by ten.
        for text in ["9007199254740993", "9007199254740995", "18014398509481986", "90071992547409930e-1", "4503599627370497.5", "1.7976931348623157e10"] {
            XCTAssertEqual(try number(text), strtod(text, nil), text)
        }
    }

    func testNumbersInsideALongArrayReadEightDigitsAtATimeExactly() throws {
        // Inside a long body every run of digits is read a word at a time (near the end of a short
        // one it is read digit by digit): runs of 1 to 25 digits, leading zeros, any point.
        var generator = SplitMix(seed: 88)
        var texts: [String] = []
        for _ in 0..<50_000 {
            var digits = ""
            for _ in 0..<(1 + Int(generator.next() % 25)) { digits += String(generator.next() % 10) }
            let point = Int(generator.next() % UInt64(digits.count + 1))
            var text = point == 0 || point == digits.count ? digits : String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if generator.next() % 4 == 0 { text += "e" + String(Int(generator.next() % 40) - 20) }
            texts.append(generator.next() % 2 == 0 ? text : "-" + text)
        }
        let body = Array(("[" + texts.joined(separator: ",") + "]").utf8)
        try body.withUnsafeBytes { buffer in
            var cursor = JSONCursor(buffer)
            try cursor.expect(UInt8(ascii: "["))
            for text in texts {
                XCTAssertEqual(try cursor.readNumber(), strtod(text, nil), text)
                _ = cursor.consume(UInt8(ascii: ","))
            }
            try cursor.expect(UInt8(ascii: "]"))
        }
    }

    func testValidatorAcceptsDocumentsAndPointsAtTheFirstError() throws {
        XCTAssertNoThrow(try JSONValidator.validate(Data(#" {"a": [1, 2.5e3, "x\"y", true, false, null, {}]} "#.utf8)))
        XCTAssertThrowsError(try JSONValidator.validate(Data(#"{"prices": [[1, 2], [3, "#.utf8))) { error in
            XCTAssertEqual((error as? JSONSyntaxError)?.message, "unexpected end of input")
        }
        XCTAssertThrowsError(try JSONValidator.validate(Data("[1,]".utf8)))
        XCTAssertThrowsError(try JSONValidator.validate(Data("[1] [2]".utf8))) { error in
            XCTAssertEqual((error as? JSONSyntaxError)?.offset, 4)
        }
        XCTAssertThrowsError(try JSONValidator.validate(Data("".utf8)))
        XCTAssertThrowsError(try JSONValidator.validate(Data("01x".utf8)))
    }

    func testEveryRealFixtureValidates() throws {
        let files = FileManager.default.enumerator(at: Fixtures.url("real"), includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" } ?? []
        XCTAssertGreaterThan(files.count, 10)
        for file in files {
            XCTAssertNoThrow(try JSONValidator.validate(Data(contentsOf: file)), file.lastPathComponent)
        }
    }
}
