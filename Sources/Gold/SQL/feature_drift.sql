-- gold.feature_drift: one row per materialization and monitored feature of gold.stock_features:
-- the two-sample Kolmogorov-Smirnov statistic and asymptotic two-sided p-value (as
-- scipy.stats.ks_2samp computes them) of the feature's values over the newest window of
-- trading days against the baseline frozen by `warehouse baseline create`, and whether it
-- drifted (p_value < alpha). Rows of earlier runs are kept: the table is the drift history.
-- Rows come from Sources/Gold/Drift.
CREATE TABLE {{table}} (
    run_id TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    computed_at TEXT NOT NULL,
    feature TEXT NOT NULL,
    ks_stat REAL NOT NULL,
    p_value REAL,
    drifted INTEGER NOT NULL,
    alpha REAL NOT NULL,
    baseline_id TEXT NOT NULL,
    baseline_window_start TEXT NOT NULL,
    baseline_window_end TEXT NOT NULL,
    baseline_values INTEGER NOT NULL,
    window_start TEXT NOT NULL,
    window_end TEXT NOT NULL,
    current_values INTEGER NOT NULL,
    PRIMARY KEY (run_id, feature)
);

CREATE INDEX feature_drift_feature ON feature_drift(feature, sequence);
