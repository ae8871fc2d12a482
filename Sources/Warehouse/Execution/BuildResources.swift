/// What builds use that the graph does not own: clients of the sources, for instance. As
/// Dagster's resources, they are handed to the orchestrator when it runs, not to the asset
/// declarations, so declaring, listing and planning the graph starts nothing (no emulator, no
/// listener, no connection). Each resource is registered under its type.
public final class BuildResources: @unchecked Sendable {
    private var values: [ObjectIdentifier: Any] = [:]

    public init() {}

    /// Registers a resource; a later one of the same type replaces it.
    public func register<Resource>(_ resource: Resource) {
        values[ObjectIdentifier(Resource.self)] = resource
    }

    /// The resource of a type, nil when none was registered (an optional capability, such as
    /// the shared raw cache of a root that has none).
    public func find<Resource>(_ type: Resource.Type) -> Resource? { values[ObjectIdentifier(type)] as? Resource }

    /// The resource of a type.
    /// - Throws: `BuildResourceError.missing` when none was registered (a wiring mistake).
    public func get<Resource>(_ type: Resource.Type) throws -> Resource {
        guard let resource = values[ObjectIdentifier(type)] as? Resource else { throw BuildResourceError.missing(String(describing: type)) }
        return resource
    }
}

/// A build asked for a resource nobody registered.
public enum BuildResourceError: WarehouseError {
    case missing(String)

    public var parts: (problem: String, fix: String?) {
        switch self {
        case .missing(let type):
            return ("no \(type) was handed to this run", "register it in the BuildResources given to the Orchestrator (see Sources/Pipeline)")
        }
    }

    public var exitStatus: WarehouseExitStatus { .failed }
}
