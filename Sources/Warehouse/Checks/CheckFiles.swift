import Foundation

/// Checks a team declares for any asset in `ROOT/checks/*.toml`, without forking the asset:
/// a new check, a built-in one redefined, its thresholds tightened or loosened (dbt's
/// `warn_if` / `error_if`), or one switched off.
///
/// ```toml
/// [[checks]]
/// asset = "gold.crypto_analytics_mart"
/// name = "top_n_rows"            # a built-in check: only its thresholds change
/// error_if = ">100"
///
/// [[checks]]
/// asset = "silver.coin_prices"
/// name = "no_negative_prices"
/// sql = "SELECT * FROM {{table}} WHERE price < 0"
/// severity = "warn"
///
/// [[checks]]
/// asset = "gold.weekly_rollup"
/// check = "range(volume, min=0)"
/// warn_if = ">0"
/// error_if = ">10%"
/// ```
public enum CheckFiles {
    /// One `[[checks]]` table, where it is.
    public struct Entry: Sendable {
        public let file: String
        public let line: Int
        public let asset: String
        public let name: String?
        /// A new definition (`check = "KIND(...)"` or `sql = "..."`), nil to keep the asset's own.
        public let check: AssetCheck?
        public let severity: AssetCheck.Severity?
        public let warnIf: CheckThreshold??
        public let errorIf: CheckThreshold??
        public let enabled: Bool
        /// Lines of the table's keys, for errors.
        let lines: [String: Int]
    }

    static let keys: Set<String> = ["asset", "name", "check", "sql", "severity", "warn_if", "error_if", "enabled"]

    /// The `[[checks]]` of every `ROOT/checks/*.toml`, files in name order.
    /// - Throws: `DeclarationError` naming the file and line that cannot be used.
    public static func load(root: URL) throws -> [Entry] {
        let folder = root.appendingPathComponent("checks")
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        var entries: [Entry] = []
        for name in names.sorted() where name.hasSuffix(".toml") {
            let path = "checks/\(name)"
            guard let text = try SettingsFile.text(of: folder.appendingPathComponent(name)) else { continue }
            let document: TOMLDocument
            do { document = try TOMLDocument(parsing: text) } catch let error as TOMLError {
                throw DeclarationError(file: path, line: error.line, problem: error.message, fix: "correct that line (see docs/models.md#checks)")
            }
            if let stray = document.values.keys.sorted().first {
                throw DeclarationError(file: path, line: document.lines[stray] ?? 0, problem: "'\(stray)' is outside a [[checks]] table",
                                       fix: "declare each check in its own [[checks]] table with asset = and name = or check =")
            }
            if let stray = document.tables.keys.sorted().first(where: { $0 != "checks" }) {
                throw DeclarationError(file: path, line: document.tables[stray]?.first?.line ?? 0, problem: "[[\(stray)]] is not a table of a check file",
                                       fix: "declare each check in its own [[checks]] table")
            }
            for table in document.tables["checks"] ?? [] { entries.append(try entry(table, file: path)) }
        }
        return entries
    }

    private static func entry(_ table: TOMLDocument.Table, file: String) throws -> Entry {
        func fail(_ key: String?, _ problem: String, _ fix: String) -> DeclarationError {
            DeclarationError(file: file, line: key.flatMap { table.lines[$0] } ?? table.line, problem: problem, fix: fix)
        }
        func string(_ key: String) throws -> String? {
            guard let value = table.values[key] else { return nil }
            guard case .string(let text) = value, !text.isEmpty else { throw fail(key, "\(key) must be a non-empty string", "quote it: \(key) = \"...\"") }
            return text
        }
        if let unknown = table.values.keys.sorted().first(where: { !keys.contains($0) }) {
            throw fail(unknown, "'\(unknown)' is not a key of a check", "use \(keys.sorted().joined(separator: ", "))")
        }
        guard let asset = try string("asset") else { throw fail(nil, "this [[checks]] names no asset", "add asset = \"layer.name\"") }
        let name = try string("name")
        if let name, !CheckDeclaration.isIdentifier(name) { throw fail("name", "'\(name)' is not a check name", "use letters, digits and _") }
        var check: AssetCheck?
        switch (try string("check"), try string("sql")) {
        case (let text?, nil):
            do { check = try CheckDeclaration.parse(text) } catch let error as CheckDeclarationError { throw fail("check", error.problem, error.fix) }
        case (nil, let sql?):
            guard let name else { throw fail("sql", "a SQL check needs a name", "add name = \"...\"") }
            check = AssetCheck(name, .sql(sql))
        case (nil, nil):
            guard name != nil else { throw fail(nil, "this [[checks]] has neither a name nor a definition", "add check = \"KIND(...)\", sql = \"...\", or the name of the asset's check to change") }
        default:
            throw fail("sql", "check = and sql = are both given", "keep one")
        }
        var severity: AssetCheck.Severity?
        if let text = try string("severity") {
            guard let value = AssetCheck.Severity(rawValue: text) else { throw fail("severity", "severity '\(text)' is neither warn nor error", "write severity = \"warn\" or \"error\"") }
            severity = value
        }
        func threshold(_ key: String) throws -> CheckThreshold?? {
            guard let text = try string(key) else { return nil }
            if text == "never" { return .some(nil) }
            do { return .some(try CheckDeclaration.threshold(text, key)) } catch let error as CheckDeclarationError { throw fail(key, error.problem, error.fix + ", or \"never\"") }
        }
        var enabled = true
        if let value = table.values["enabled"] {
            guard case .bool(let flag) = value else { throw fail("enabled", "enabled must be true or false", "write enabled = false") }
            enabled = flag
        }
        return Entry(file: file, line: table.line, asset: asset, name: name ?? check?.name, check: check, severity: severity,
                     warnIf: try threshold("warn_if"), errorIf: try threshold("error_if"), enabled: enabled, lines: table.lines)
    }

    /// The specs with the entries applied, in order.
    /// - Throws: `DeclarationError` for an unknown asset, a check to change that the asset does
    ///   not have, or a column the asset's table does not have.
    public static func apply(_ entries: [Entry], to specs: [AssetSpec]) throws -> [AssetSpec] {
        var specs = specs
        for entry in entries {
            func fail(_ key: String?, _ problem: String, _ fix: String) -> DeclarationError {
                DeclarationError(file: entry.file, line: key.flatMap { entry.lines[$0] } ?? entry.line, problem: problem, fix: fix)
            }
            guard let key = AssetKey(parsing: entry.asset), let index = specs.firstIndex(where: { $0.key == key }) else {
                let hint = AssetGraph.closest(to: AssetKey(parsing: entry.asset) ?? AssetKey(.gold, entry.asset), in: specs.map(\.key)).map { "did you mean \($0)? " } ?? ""
                throw fail("asset", "\(entry.asset) is not an asset", "\(hint)run `warehouse ls` for the asset names")
            }
            guard key.layer != .bronze else { throw fail("asset", "\(key) is a bronze dataset (files); checks run on tables", "check the silver table staged from it") }
            let spec = specs[index]
            let existing = spec.checks.firstIndex { $0.name == entry.name }
            guard let base = entry.check ?? existing.map({ spec.checks[$0] }) else {
                throw fail("name", "\(key) has no check named \(entry.name ?? "")", "name one of \(spec.checks.map(\.name).joined(separator: ", ")), or add check = \"KIND(...)\"")
            }
            if let column = base.kind.columns.first(where: { !spec.columns.isEmpty && spec.columns[$0] == nil }) {
                throw fail("check", "\(key) has no column \(column)", "use one of \(spec.columns.keys.sorted().joined(separator: ", "))")
            }
            if case .relationship(_, let other, let toColumn) = base.kind {
                guard let target = AssetKey(parsing: other), let targetSpec = specs.first(where: { $0.key == target }), target.layer != .bronze,
                      !(key.layer == .silver && target.layer == .gold) else {
                    throw fail("check", "\(other) is not a table a check of \(key) can read", key.layer == .silver
                               ? "refer to a silver table (a silver check runs in silver.sqlite)" : "refer to a silver or gold table")
                }
                if !targetSpec.columns.isEmpty && targetSpec.columns[toColumn] == nil {
                    throw fail("check", "\(target) has no column \(toColumn)", "use one of \(targetSpec.columns.keys.sorted().joined(separator: ", "))")
                }
            }
            var warnIf = base.warnIf, errorIf = base.errorIf
            if let severity = entry.severity { warnIf = .anyFailure; errorIf = severity == .error ? .anyFailure : nil }
            if let value = entry.warnIf { warnIf = value }
            if let value = entry.errorIf { errorIf = value }
            let check = AssetCheck(entry.name ?? base.name, base.kind, warnIf: warnIf, errorIf: errorIf)
            var checks = spec.checks
            if let existing { checks.remove(at: existing) }
            if entry.enabled { checks.insert(check, at: existing ?? checks.endIndex) }
            specs[index].checks = checks
        }
        return specs
    }
}

extension AssetCheck.Kind {
    /// The asset's own columns the check names.
    var columns: [String] {
        switch self {
        case .notNull(let columns), .unique(let columns): return columns
        case .range(let column, _, _), .acceptedValues(let column, _), .freshness(let column, _), .relationship(let column, _, _): return [column]
        case .ohlc(let key, let volume): return key + (volume.map { [$0] } ?? []) + ["open", "high", "low", "close"]
        case .gaps(let column, let by, _): return by + [column]
        case .rowCount, .sql, .quarantined: return []
        }
    }
}
