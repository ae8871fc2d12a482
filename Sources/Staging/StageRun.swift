import Foundation
import Warehouse

/// A finished staging export: the file, its run metadata beside it, and what went in.
public struct StageRun: Sendable {
    public let request: StageRequest
    public let inventory: StageInventory
    public let file: URL
    public let metadataFile: URL
    public let bytes: Int
    public let sha256: String
    /// When the export ran (not the window's end).
    public let createdAt: Date
    /// The tool that wrote it, e.g. `warehouse 0.14.0`.
    public let toolVersion: String
    /// The materialization of silver.exchange_ticks the rows were read from, when recorded.
    public let silverVersion: MaterializationRecord?

    /// The run metadata as `docs/staging_run_contract.md` defines it.
    public var metadataJSON: [UInt8] {
        var json = JSONWriter(capacity: 4096)
        json.object { root in
            root.field("contract") { $0.string("staging_run/1") }
            root.field("tool") { $0.string(toolVersion) }
            root.field("created_at") { $0.string(ISO8601.format(createdAt)) }
            root.field("window") { json in
                json.object { window in
                    window.field("start") { $0.string(ISO8601.format(Date(timeIntervalSince1970: Double(request.startMillis) / 1000))) }
                    window.field("end") { $0.string(ISO8601.format(request.end)) }
                    window.field("start_ms") { $0.number(request.startMillis) }
                    window.field("end_ms") { $0.number(request.endMillis) }
                    window.field("hours") { $0.number(Int64(request.hours)) }
                }
            }
            root.field("filters") { json in
                json.object { filters in
                    for (name, values) in [("exchanges", request.exchanges), ("assets", request.assets)] {
                        filters.field(name) { json in
                            if let values { json.array { list in values.forEach { list.string($0) } } } else { json.null() }
                        }
                    }
                }
            }
            root.field("output") { json in
                json.object { output in
                    output.field("file") { $0.string(file.lastPathComponent) }
                    output.field("format") { $0.string(request.format.rawValue) }
                    output.field("rows") { $0.number(Int64(inventory.rows)) }
                    output.field("bytes") { $0.number(Int64(bytes)) }
                    output.field("sha256") { $0.string(sha256) }
                }
            }
            root.field("exchanges") { json in json.array { list in inventory.exchanges.forEach { list.string($0) } } }
            root.field("assets") { json in json.array { list in inventory.assets.forEach { list.string($0) } } }
            root.field("rows_by_exchange") { Self.counts(inventory.rowsByExchange, &$0) }
            root.field("rows_by_asset") { Self.counts(inventory.rowsByAsset, &$0) }
            root.field("rows_by_exchange_asset") { json in
                json.object { exchanges in
                    for exchange in inventory.exchanges { exchanges.field(exchange) { Self.counts(inventory.rowsByExchangeAsset[exchange] ?? [:], &$0) } }
                }
            }
            root.field("source_files") { json in
                json.array { list in
                    for source in inventory.sourceFiles {
                        list.object { file in
                            file.field("path") { $0.string(source.path) }
                            file.field("sha256") { $0.optionalString(source.sha256) }
                            file.field("rows") { $0.number(Int64(source.rows)) }
                        }
                    }
                }
            }
            root.field("silver") { json in
                json.object { silver in
                    silver.field("table") { $0.string("silver.exchange_ticks") }
                    silver.field("run_id") { $0.optionalString(silverVersion?.runID) }
                    silver.field("fingerprint") { $0.optionalString(silverVersion?.fingerprint) }
                }
            }
        }
        return json.bytes + [0x0A]
    }

    private static func counts(_ counts: [String: Int], _ json: inout JSONWriter) {
        json.object { object in for (key, rows) in counts.sorted(by: { $0.key < $1.key }) { object.field(key) { $0.number(Int64(rows)) } } }
    }
}
