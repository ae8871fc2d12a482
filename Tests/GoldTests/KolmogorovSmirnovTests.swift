import Foundation
@testable import Gold
import WarehouseTestSupport
import XCTest

/// The drift test statistic and p-value against scipy (Tests/Oracle/ks_oracle.py), over
/// samples of many sizes, shifts and ties, and over a grid that reaches every method the
/// finite-n Kolmogorov distribution switches between.
final class KolmogorovSmirnovTests: XCTestCase {
    func testTwoSampleStatisticAndPValueMatchScipy() throws {
        var generator = SplitMix(seed: 7)
        let shapes: [(Int, Int, Double, Bool)] = [
            (1, 1, 0, false), (5, 7, 0.5, false), (20, 20, 0, false), (20, 20, 1.5, false), (60, 480, 0.1, false),
            (150, 200, 0.2, true), (300, 2000, 0.05, false), (1000, 1200, 0, true), (3000, 3000, 0.03, false),
            (480, 60, 0.4, false), (9, 400, 0.8, false), (2500, 40, 0, false),
        ]
        let pairs = shapes.map { m, n, shift, ties -> [[Double]] in
            let draw = { (count: Int, offset: Double) in (0..<count).map { _ -> Double in
                let value = generator.normal() + offset
                return ties ? (value * 4).rounded() / 4 : value
            } }
            return [draw(m, 0), draw(n, shift)]
        }
        var grid: [[Double]] = []
        for n in [1, 2, 3, 5, 10, 37, 100, 140, 141, 250, 1000, 5000, 20000, 150_000] {
            for d in [0.0005, 0.002, 0.01, 0.03, 0.05, 0.08, 0.1, 0.15, 0.2, 0.3, 0.45, 0.5, 0.6, 0.9, 0.999] {
                grid.append([Double(n), d])
            }
            grid.append([Double(n), 0.75 / Double(n)])
            grid.append([Double(n), 1 - 0.5 / Double(n)])
        }
        let request = try JSONSerialization.data(withJSONObject: ["pairs": pairs, "grid": grid])
        let oracle = try PythonOracle("ks_oracle.py").run(input: request)
        XCTAssertEqual(oracle.status, 0, oracle.text)
        let expected = try XCTUnwrap(JSONSerialization.jsonObject(with: oracle.stdoutData) as? [String: Any])

        let scipyPairs = try XCTUnwrap(expected["pairs"] as? [[Any]])
        XCTAssertEqual(scipyPairs.count, pairs.count)
        for (pair, scipy) in zip(pairs, scipyPairs) {
            let test = try XCTUnwrap(KolmogorovSmirnov(pair[0], pair[1]))
            let label = "samples of \(pair[0].count) and \(pair[1].count)"
            XCTAssertEqual(test.statistic, try XCTUnwrap(scipy[0] as? Double), accuracy: 1e-12, label)
            if let p = scipy[1] as? Double {
                XCTAssertEqual(test.pValue, p, accuracy: 1e-6, label)
            } else {
                XCTAssertTrue(test.pValue.isNaN, "\(label): scipy has no p-value, neither should we")
            }
        }
        XCTAssertLessThan(scipyPairs.compactMap { $0[1] as? Double }.min() ?? 1, 0.05, "some pair differs, so small p-values are covered")

        let scipyGrid = try XCTUnwrap(expected["grid"] as? [Double])
        XCTAssertEqual(scipyGrid.count, grid.count)
        for (point, scipy) in zip(grid, scipyGrid) {
            let ours = KolmogorovDistribution.survival(n: Int(point[0]), point[1])
            XCTAssertEqual(ours, scipy, accuracy: 1e-6, "P(D_\(Int(point[0])) >= \(point[1]))")
        }
    }

    func testEmptySamplesHaveNoTest() {
        XCTAssertNil(KolmogorovSmirnov([], [1, 2]))
        XCTAssertNil(KolmogorovSmirnov([1], []))
    }

    func testIdenticalSamplesDoNotDrift() throws {
        let sample = (0..<500).map { sin(Double($0)) }
        let test = try XCTUnwrap(KolmogorovSmirnov(sample, sample.reversed()))
        XCTAssertEqual(test.statistic, 0)
        XCTAssertEqual(test.pValue, 1)
    }
}
