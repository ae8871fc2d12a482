import Foundation
@testable import Silver
import Warehouse
import WarehouseTestSupport
import XCTest

/// The hashes silver remembers per raw file, and how far it trusts them.
final class SnapshotReaderTests: XCTestCase {
    func testABodyIsHashedAgainBeforeARememberedHashRefusesIt() throws {
        let root = TemporaryRoot()
        let path = try ForeignRawWriter.write(ForeignRawWriter.marketChart([.init(1_790_000_000_000, 5, nil, nil)]), root: root,
                                              day: "2026-11-20", dataset: "coingecko/market_chart", key: "bitcoin")
        let spec = SilverAssets.specs().first { $0.key == SilverAssets.coinPrices }!
        func build(refresh: Bool) throws -> BuildOutcome {
            try spec.build(BuildContext(key: spec.key, version: spec.version, layout: root.layout, runID: "test", clock: TestClock.clock, refresh: refresh))
        }
        XCTAssertEqual(try build(refresh: false).rows, 1)
        // The remembered hash goes wrong while the file's identity stays (as two paths sharing a
        // hash in memory would make it): the body is hashed again, and it still matches.
        let silver = try Database(path: root.layout.silverDatabase.path)
        try silver.execute("UPDATE _file_hashes SET sha256 = ? WHERE path = ?", [.text(String(repeating: "ab", count: 32)), .text(path)])
        let rebuilt = try build(refresh: true)
        XCTAssertEqual(rebuilt.rows, 1)
        XCTAssertEqual(rebuilt.rejects, 0)
        let remembered = try silver.scalar("SELECT sha256 FROM _file_hashes WHERE path = ?", [.text(path)])?.string
        XCTAssertEqual(remembered, Fingerprint.sha256(try Data(contentsOf: root.url.appendingPathComponent(path))), "and the right hash is remembered")
    }

    func testADigestReadsBackAsTheSameHex() throws {
        for _ in 0..<100 {
            let hex = Fingerprint.sha256(Data((0..<16).map { _ in UInt8.random(in: 0...255) }))
            XCTAssertEqual(HexDigest(hex)?.hex, hex)
            XCTAssertEqual(HexDigest(hex.uppercased())?.hex, hex)
        }
        XCTAssertEqual(HexDigest(String(repeating: "0", count: 64))?.hex, String(repeating: "0", count: 64))
        for bad in ["", "abc", String(repeating: "g", count: 64), String(repeating: "a", count: 63), String(repeating: "a", count: 65)] {
            XCTAssertNil(HexDigest(bad), bad)
        }
    }
}
