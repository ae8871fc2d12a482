import Foundation
import MarketEmulator
import Warehouse

/// A root plus an in-process emulator plus the CLI pointed at both: the real path
/// (loopback HTTP, real files, real SQLite) with the emulator's request count in view.
public final class EmulatedWarehouse {
    public let root: TemporaryRoot
    public let emulator: MarketEmulator
    public var cli: CLIRunner

    public init(_ name: String = "e2e", coins: Int = 30, faults: FaultPlan = .none, extra: [String: String] = [:]) throws {
        root = TemporaryRoot(name)
        emulator = try MarketEmulator(seed: 11, coinCount: coins, clock: TestClock.clock, faults: faults)
        cli = CLIRunner(emulator: emulator, extra: extra)
    }

    /// The same warehouse root some days or hours later, served by an emulator whose clock has
    /// moved on (the simulation is the same market, so history agrees).
    public init(_ earlier: EmulatedWarehouse, daysLater: Int = 0, hoursLater: Int = 0) throws {
        root = earlier.root
        let later = TestClock.now.addingTimeInterval(Double(daysLater) * 86_400 + Double(hoursLater) * 3600)
        emulator = try MarketEmulator(seed: 11, coinCount: earlier.emulator.simulation.coinIDs.count, clock: WarehouseClock(fixed: later))
        cli = earlier.cli
        for variable in WarehouseSettings.baseURLVariables { cli.environment[variable] = emulator.baseURL }
        cli.environment["WAREHOUSE_NOW"] = ISO8601.format(later)
    }

    deinit { emulator.stop() }

    /// Runs `warehouse ARGS --root ROOT`.
    @discardableResult
    public func run(_ arguments: [String]) throws -> CLIRunner.Result {
        try cli.run(arguments + ["--root", root.path])
    }
}
