import Warehouse

/// One asset as `warehouse assets` and `GET /api/v1/assets` show it: its declaration, whether it
/// is stale and why, and its last materialization.
public struct AssetStatus {
    public let spec: AssetSpec
    public let step: PlanStep
    public let last: MaterializationRecord?

    public var key: AssetKey { spec.key }
}

extension Pipeline {
    /// Every asset in graph order with its state. Reads only (the server's connections are read-only).
    public func assetStatuses(readsOnly: Bool = false) throws -> [AssetStatus] {
        let graph = try self.graph()
        let orchestrator = try self.orchestrator()
        orchestrator.readsOnly = readsOnly
        return try orchestrator.plan(graph.order).map { step in
            AssetStatus(spec: graph[step.key]!, step: step, last: try orchestrator.lastMaterialization(of: step.key))
        }
    }
}
