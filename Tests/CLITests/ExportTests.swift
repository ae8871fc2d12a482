import Foundation
import Warehouse
import WarehouseTestSupport
import XCTest

/// `warehouse export --out` never deletes or replaces what it did not write (BRIEF section 9).
final class ExportTests: XCTestCase {
    private var warehouse: EmulatedWarehouse!
    private var folder: URL!

    override func setUpWithError() throws {
        warehouse = try EmulatedWarehouse("export")
        XCTAssertEqual(try warehouse.run(["materialize", "+gold.crypto_analytics_mart"]).status, 0)
        folder = warehouse.root.url.appendingPathComponent("mine", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data("precious".utf8).write(to: folder.appendingPathComponent("notes.txt"))
    }

    /// XCTest keeps every test case object until the process ends: release the root now so its folder is removed.
    override func tearDown() {
        warehouse = nil
        super.tearDown()
    }

    private func export(_ arguments: [String]) throws -> CLIRunner.Result {
        try warehouse.run(["export", "gold.crypto_analytics_mart"] + arguments)
    }

    private func notes() -> String? { try? String(contentsOf: folder.appendingPathComponent("notes.txt"), encoding: .utf8) }

    func testAFolderGetsTheExportInsideItAndKeepsEverythingElse() throws {
        for _ in 0..<2 {   // the second export replaces the first: it is ours
            let result = try export(["--out", folder.path])
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        XCTAssertEqual(notes(), "precious")
        XCTAssertTrue(ParquetWriter.wrote(folder.appendingPathComponent("crypto_analytics_mart.parquet")))
        // The same with a path ending in / that does not exist yet, and with the current folder.
        let fresh = folder.appendingPathComponent("new/").path + "/"
        XCTAssertEqual(try export(["--out", fresh, "--format", "csv"]).status, 0)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("new/crypto_analytics_mart.csv").path))
        let dot = try warehouse.run(["export", "gold.crypto_analytics_mart", "--out", folder.path + "/."])
        XCTAssertEqual(dot.status, 0, dot.stderr)
        XCTAssertEqual(notes(), "precious")
    }

    func testAFileThatIsNotAnExportIsReplacedOnlyWithForce() throws {
        let mine = folder.appendingPathComponent("notes.txt")
        let refused = try export(["--out", mine.path, "--format", "csv"])
        XCTAssertEqual(refused.status, 2)
        XCTAssertTrue(refused.stderr.contains("\(mine.path) exists and is not an export this warehouse wrote. To fix this, choose another --out, or pass --force"), refused.stderr)
        XCTAssertEqual(notes(), "precious")
        let forced = try export(["--out", mine.path, "--format", "csv", "--force"])
        XCTAssertEqual(forced.status, 0, forced.stderr)
        XCTAssertTrue(notes()?.hasPrefix("rank,coin_id,") ?? false)
        // Now it is an export of ours: no --force needed. Edited by the user, it is theirs again.
        XCTAssertEqual(try export(["--out", mine.path, "--format", "csv"]).status, 0)
        Thread.sleep(forTimeInterval: 0.01)
        try Data("edited".utf8).write(to: mine)
        XCTAssertEqual(try export(["--out", mine.path, "--format", "csv"]).status, 2)
        XCTAssertEqual(notes(), "edited")
    }

    func testEmptyUnwritableAndWarehousePathsAreUsageErrors() throws {
        let layout = warehouse.root.layout
        let gold = try Data(contentsOf: layout.goldDatabase)
        let cases: [(String, String)] = [
            ("", "--out is empty"),
            (layout.goldDatabase.path, "is part of a warehouse"),
            (layout.silverDatabase.path + "-wal", "is part of a warehouse"),
            (layout.rawDirectory.appendingPathComponent("2026-11-23/x.parquet").path, "is part of a warehouse"),
            ("/proc/warehouse-export-test/x.parquet", "cannot write /proc/warehouse-export-test/x.parquet"),
        ]
        for (out, message) in cases {
            let result = try export(["--out", out])
            XCTAssertEqual(result.status, 2, out)
            XCTAssertTrue(result.stderr.contains(message) && result.stderr.contains("To fix this"), "\(out): \(result.stderr)")
            XCTAssertEqual(result.stderr.components(separatedBy: "To fix this").count, 2, result.stderr)
        }
        // Another SQLite file, even with --force.
        let other = folder.appendingPathComponent("bi.sqlite")
        try FileManager.default.copyItem(at: layout.goldDatabase, to: other)
        XCTAssertEqual(try export(["--out", other.path, "--force"]).status, 2)
        XCTAssertEqual(try Data(contentsOf: layout.goldDatabase), gold)
        XCTAssertEqual(try warehouse.run(["assets"]).status, 0)
    }

    func testAPartitionedExportReplacesOnlyItsOwnFolder() throws {
        // A folder of the user's is never replaced: the export goes inside it.
        XCTAssertEqual(try export(["--out", folder.path, "--partition-by", "market_cap_category"]).status, 0)
        let exported = folder.appendingPathComponent("crypto_analytics_mart")
        XCTAssertTrue(ParquetWriter.wrote(exported))
        XCTAssertEqual(notes(), "precious")
        // Once a file of someone else's is inside it, it is theirs: the next export goes inside, the file stays.
        try FileManager.default.createDirectory(at: exported.appendingPathComponent("market_cap_category=Gone"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: exported.appendingPathComponent("market_cap_category=Gone/part-0.parquet"))
        let inside = try export(["--out", exported.path, "--partition-by", "market_cap_category"])
        XCTAssertEqual(inside.status, 0, inside.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: exported.appendingPathComponent("market_cap_category=Gone/part-0.parquet").path))
        XCTAssertTrue(ParquetWriter.wrote(exported.appendingPathComponent("crypto_analytics_mart")))
        // Our own folder, untouched, is replaced whole.
        let clean = folder.appendingPathComponent("clean")
        XCTAssertEqual(try export(["--out", clean.path + "/", "--partition-by", "market_cap_category"]).status, 0)
        XCTAssertEqual(try export(["--out", clean.appendingPathComponent("crypto_analytics_mart").path, "--partition-by", "market_cap_category"]).status, 0)
        let parts = try FileManager.default.contentsOfDirectory(atPath: clean.appendingPathComponent("crypto_analytics_mart").path)
        XCTAssertTrue(parts.allSatisfy { $0.hasPrefix("market_cap_category=") }, "\(parts)")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: clean.path), ["crypto_analytics_mart"], "no scratch folder is left")
    }

    func testAStandardExportNeverOverwritesAFileOfTheUsers() throws {
        let full = try EmulatedWarehouse("standard-export")
        try FileManager.default.createDirectory(at: full.root.layout.exportsDirectory, withIntermediateDirectories: true)
        let mine = full.root.layout.exportsDirectory.appendingPathComponent("crypto_market_data.parquet")
        try Data("my own research file".utf8).write(to: mine)
        let run = try full.run(["materialize", "+gold.research_dataset", "--json"])
        XCTAssertEqual(run.status, 1)
        let research = try XCTUnwrap(try run.asset("gold.research_dataset"))
        XCTAssertTrue((research["error"] as? String)?.contains("\(mine.path) exists and is not an export this warehouse wrote") ?? false, "\(research)")
        XCTAssertEqual(try String(contentsOf: mine, encoding: .utf8), "my own research file")
        // Moved away, the next run exports and is done.
        try FileManager.default.removeItem(at: mine)
        XCTAssertEqual(try full.run(["materialize", "+gold.research_dataset"]).status, 0)
        XCTAssertTrue(ParquetWriter.wrote(mine))
    }
}
