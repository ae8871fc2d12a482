import Warehouse

/// Builds `gold.feature_drift`: for each monitored feature, the KS test of its newest window
/// against the baseline, appended to the rows of earlier runs (the table is a history).
/// Without a baseline nothing is appended; the asset's `baseline_exists` check says what to run.
struct FeatureDriftBuilder {
    let context: BuildContext
    let sql: MartSQL
    let monitor: FeatureMonitor
    let alpha: Double

    /// One feature's test in one run: a row of the table, less the run's own columns.
    struct Measurement {
        let feature: String
        let test: KolmogorovSmirnov
        let drifted: Bool
        let baseline: FeatureBaseline
        let baselineValues: Int
        let current: FeatureSample
        let currentValues: Int

        static let columns = ["feature", "ks_stat", "p_value", "drifted", "alpha", "baseline_id", "baseline_window_start",
                              "baseline_window_end", "baseline_values", "window_start", "window_end", "current_values"]

        /// In `columns` order; a p-value scipy would not give either (two samples of one value) is NULL.
        func values(alpha: Double) -> [SQLValue] {
            [.text(feature), .real(test.statistic), test.pValue.isNaN ? .null : .real(test.pValue), .integer(drifted ? 1 : 0), .real(alpha),
             .text(baseline.id), .text(baseline.windowStart), .text(baseline.windowEnd), .integer(Int64(baselineValues)),
             .text(current.windowStart), .text(current.windowEnd), .integer(Int64(currentValues))]
        }
    }

    func build() throws -> BuildOutcome {
        let database = try GoldDatabase.open(context)
        let fresh = try measurements(database)
        let (rebuild, _) = sql.rebuild(parameters: [:])
        let rows = try rebuild.run(in: database, fill: { name -> Int in
            try copyHistory(into: name, database: database)
            let sequence = (try database.scalar("SELECT max(sequence) FROM \(name)")?.int ?? 0) + 1
            let insert = try database.prepareInsert(into: name, columns: ["run_id", "sequence", "computed_at"] + Measurement.columns)
            for measurement in fresh {
                try insert.bind([.text(context.runID), .integer(Int64(sequence)), .text(ISO8601.format(context.clock.now))] + measurement.values(alpha: alpha))
                try insert.run()
            }
            return try database.scalar("SELECT count(*) FROM \(name)")?.int ?? 0
        }, finish: { rows in
            try context.record(in: database, rows: rows)
        })
        return BuildOutcome(rows: rows, rowsWritten: fresh.count, recorded: true)
    }

    /// This run's test of each feature that has values on both sides.
    private func measurements(_ database: Database) throws -> [Measurement] {
        guard let baseline = try FeatureBaseline.load(monitor.asset, in: database) else {
            context.logger.info("no baseline: drift not measured", metadata: ["fix": "warehouse baseline create \(monitor.asset)"])
            return []
        }
        guard let current = try monitor.sample(in: database, windowDays: baseline.windowDays, endingOn: nil) else { return [] }
        return try monitor.features.compactMap { feature -> Measurement? in
            let reference = try baseline.values(of: feature, in: database)
            let values = current.values[feature] ?? []
            guard let test = KolmogorovSmirnov(reference, values) else { return nil }
            return Measurement(feature: feature, test: test, drifted: !test.pValue.isNaN && test.pValue < alpha, baseline: baseline,
                               baselineValues: reference.count, current: current, currentValues: values.count)
        }
    }

    /// Carries the rows of earlier runs into the new table (the columns both have).
    private func copyHistory(into table: String, database: Database) throws {
        guard try database.tableExists(sql.name) else { return }
        let old = Set(try database.rows("SELECT name FROM pragma_table_info(?)", [.text(sql.name)]).compactMap { $0[0].string })
        let shared = try database.rows("SELECT name FROM pragma_table_info(?)", [.text(table)]).compactMap { $0[0].string }.filter(old.contains)
        let list = shared.joined(separator: ", ")
        try database.execute("INSERT INTO \(table)(\(list)) SELECT \(list) FROM \(sql.name)")
    }
}
