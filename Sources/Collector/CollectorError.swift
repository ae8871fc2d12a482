import Warehouse

/// Why the collector could not start or store what it received.
public enum CollectorError: WarehouseError {
    case cannotWrite(path: String, reason: String)
    case workerBusy(worker: String, lock: String)
    case unknownVenue(String)
    case noSymbols(venue: String, given: [String])
    case badURL(variable: String, value: String, reason: String)

    public var parts: (problem: String, fix: String?) {
        switch self {
        case .cannotWrite(let path, let reason):
            return ("cannot write the stream segment \(path): \(reason)", "check free space and that the root is writable")
        case .workerBusy(let worker, let lock):
            return ("another collector with worker name '\(worker)' is running on this root (lock \(lock))", "stop it, or give this one another --worker name")
        case .unknownVenue(let name):
            return ("'\(name)' is not a venue the collector knows", "use binance, kraken or coinbase")
        case .noSymbols(let venue, let given):
            return ("none of the symbols \(given.joined(separator: ",")) is listed on \(venue)", "give --symbols with a quote the venue lists (Binance: USDT, USDC)")
        case .badURL(let variable, let value, let reason):
            return ("\(variable)=\(value) is not usable: \(reason)", "set it to ws://host:port/path or unset it to use the emulator")
        }
    }

    public var exitStatus: WarehouseExitStatus {
        switch self {
        case .cannotWrite: return .failed
        default: return .usage
        }
    }
}
