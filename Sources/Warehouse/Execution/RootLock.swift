import Foundation

/// One run at a time per root: an exclusive `flock` on `DIR/.warehouse.lock`, released
/// by the kernel if the process dies, so a crash never leaves a stale lock.
public final class RootLock {
    private let descriptor: Int32
    public let path: String

    /// Takes the lock; with `wait`, blocks until the other run finishes.
    /// - Throws: `RootLockError.busy` naming the holder when another run has it and `wait` is false.
    public convenience init(layout: WarehouseLayout, wait: Bool) throws {
        try layout.prepare()
        try self.init(file: layout.lockFile, wait: wait)
    }

    /// Takes an exclusive lock on any file (a collector worker's, say), the same way.
    public init(file: URL, wait: Bool) throws {
        path = file.path
        descriptor = open(path, O_RDWR | O_CREAT, 0o644)
        guard descriptor >= 0 else { throw RootLockError.cannotOpen(path: path, errno: errno) }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
            guard wait else {
                close(descriptor)
                throw RootLockError.busy(path: path, holder: holder)
            }
            guard flock(descriptor, LOCK_EX) == 0 else {
                close(descriptor)
                throw RootLockError.cannotOpen(path: path, errno: errno)
            }
        }
        ftruncate(descriptor, 0)
        let pid = "\(ProcessInfo.processInfo.processIdentifier)\n"
        _ = pid.withCString { write(descriptor, $0, strlen($0)) }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

/// Why the root lock could not be taken.
public enum RootLockError: WarehouseError {
    case busy(path: String, holder: String)
    case cannotOpen(path: String, errno: Int32)

    public var parts: (problem: String, fix: String?) {
        switch self {
        case .busy(let path, let holder):
            return ("another warehouse run (pid \(holder)) is using this root (lock \(path))", "wait for it to finish, or pass --wait to queue behind it")
        case .cannotOpen(let path, let code):
            return ("cannot open the lock file \(path): \(String(cString: strerror(code)))", "check that the root folder is writable")
        }
    }
}
