/// Model files the tests add to a root, as a data engineer would write them.
public enum ModelFixtures {
    /// A query-only model with every header key a weekly mart needs (docs/models.md's example).
    /// Its lines are referred to by number in the tests: the query is on 9, FROM on 10, GROUP BY on 11.
    public static let weeklyRollup = """
        -- asset: gold.weekly_rollup
        -- description: Weekly close and volume per coin.
        -- upstreams: gold.coin_daily_features
        -- tags: crypto, weekly
        -- primary_key: coin_id, week
        -- indexes: (week)
        -- checks: not_null(coin_id, week); unique(coin_id, week); range(volume, min=0) warn
        -- columns: week = ISO week start (YYYY-MM-DD); close = highest close of the week, USD
        SELECT coin_id, date(date, '-6 days', 'weekday 1') AS week, max(close) AS close, sum(volume) AS volume
        FROM coin_daily_features
        GROUP BY coin_id, week

        """
}
