import ArgumentParser
import Foundation
import Warehouse

// Exit codes (the CLI contract, docs/getting-started.md): 0 success, 1 a run or check failed, 2 usage or configuration error.
setvbuf(stdout, nil, _IOLBF, 0)
do {
    var command = try WarehouseCommand.parseAsRoot()
    try command.run()
    exit(0)
} catch let error as RunFailed {
    FileHandle.standardError.write(Data("warehouse: \(error)\n".utf8))
    exit(error.exitStatus.rawValue)
} catch let error as WarehouseError {
    // Every error of ours says what is wrong and what to do, and which exit status it means.
    FileHandle.standardError.write(Data("warehouse: error: \(error)\n".utf8))
    exit(error.exitStatus.rawValue)
} catch {
    let code = WarehouseCommand.exitCode(for: error)
    let message = WarehouseCommand.fullMessage(for: error)
    if code == .success {
        print(message)
        exit(0)
    }
    if code == .validationFailure {
        FileHandle.standardError.write(Data("\(message)\n".utf8))
        exit(2)
    }
    // Not a usage mistake but something that broke while working (a damaged database, a full disk).
    FileHandle.standardError.write(Data("warehouse: error: \(error)\n".utf8))
    exit(1)
}
