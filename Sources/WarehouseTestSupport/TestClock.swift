import Foundation
import Warehouse

/// The fixed "now" of the test suite, so the emulator and the runs agree on today.
public enum TestClock {
    public static let nowText = "2026-11-23T12:00:00Z"
    public static let now = ISO8601.parse(nowText)!
    public static let clock = WarehouseClock(fixed: now)
    public static let today = Day(now)
}
