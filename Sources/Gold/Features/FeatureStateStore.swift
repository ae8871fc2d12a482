import Warehouse

/// Where each feature series of an asset stopped (`_feature_state` in gold.sqlite): the state
/// to resume from and a digest of every input row consumed so far, so a later build can tell
/// "only new days" from "history changed". Numbers are stored as REAL, or as Swift's exact
/// shortest text for the windows, so a resumed series is bit-identical to a recomputed one.
struct FeatureStateStore {
    let database: Database
    let asset: AssetKey

    struct Saved: Equatable {
        /// The last date consumed.
        let date: String
        let inputsDigest: String
        let state: FeatureState
    }

    /// Every saved series of the asset by name.
    func load() throws -> [String: Saved] {
        let statement = try database.prepare("""
            SELECT series, date, inputs_digest, rows, closes, returns, ema_12, ema_26, macd_signal, avg_gain, avg_loss
            FROM _feature_state WHERE asset = ?
            """)
        statement.bind(asset.description, at: 1)
        var saved: [String: Saved] = [:]
        while try statement.step() {
            let numbers = { (index: Int32) in statement.string(at: index).split(separator: " ").compactMap { Double($0) } }
            let state = FeatureState(rows: Int(statement.int64(at: 3)), closes: numbers(4), returns: numbers(5),
                                     ema12: statement.double(at: 6), ema26: statement.double(at: 7), signal: statement.double(at: 8),
                                     averageGain: statement.double(at: 9) ?? 0, averageLoss: statement.double(at: 10) ?? 0)
            saved[statement.string(at: 0)] = Saved(date: statement.string(at: 1), inputsDigest: statement.string(at: 2), state: state)
        }
        return saved
    }

    /// Writes (or replaces) one series' state; call in the transaction that writes its rows.
    func save(series: String, _ saved: Saved) throws {
        let state = saved.state
        let text = { (values: [Double]) in SQLValue.text(values.map(\.description).joined(separator: " ")) }
        try database.execute("""
            INSERT OR REPLACE INTO _feature_state(asset, series, date, inputs_digest, rows, closes, returns, ema_12, ema_26, macd_signal, avg_gain, avg_loss)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(asset.description), .text(series), .text(saved.date), .text(saved.inputsDigest), .integer(Int64(state.rows)),
                  text(state.closes), text(state.returns), state.ema12.sqlValue, state.ema26.sqlValue, state.signal.sqlValue,
                  .real(state.averageGain), .real(state.averageLoss)])
    }

    /// Forgets one series (it has no rows any more).
    func remove(series: String) throws {
        try database.execute("DELETE FROM _feature_state WHERE asset = ? AND series = ?", [.text(asset.description), .text(series)])
    }

    /// Forgets every series of the asset (before a full rebuild writes them anew).
    func clear() throws {
        try database.execute("DELETE FROM _feature_state WHERE asset = ?", [.text(asset.description)])
    }
}
