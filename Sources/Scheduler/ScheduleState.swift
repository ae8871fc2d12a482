import Foundation
import Warehouse

/// When each schedule last fired, in `warehouse.sqlite` (`schedule_state`), so a scheduler that
/// was down knows what it missed.
struct ScheduleState {
    let database: Database

    init(layout: WarehouseLayout) throws {
        database = try RunLog(layout: layout).database
        try database.execute("CREATE TABLE IF NOT EXISTS schedule_state (name TEXT PRIMARY KEY, last_fired_at TEXT NOT NULL, run_id TEXT)")
    }

    func lastFire(of name: String) throws -> Date? {
        try database.scalar("SELECT last_fired_at FROM schedule_state WHERE name = ?", [.text(name)])?.string.flatMap(ISO8601.parse)
    }

    func record(_ name: String, firedAt time: Date, runID: String?) throws {
        try database.execute("INSERT OR REPLACE INTO schedule_state(name, last_fired_at, run_id) VALUES (?, ?, ?)",
                             [.text(name), .text(ISO8601.format(time)), runID.map(SQLValue.text) ?? .null])
    }
}
