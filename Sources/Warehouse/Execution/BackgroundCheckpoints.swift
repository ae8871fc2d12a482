import Foundation

/// Checkpoints a layer's database on a thread of its own while the run goes on, so copying a
/// large rebuild from the WAL back into the database file overlaps the next build instead of
/// following the commit. The run's connections leave checkpoints to it (`withoutAutomaticCheckpoints`);
/// the run's final checkpoint (`Database.checkpoint`) waits for it and finishes what is left.
final class BackgroundCheckpoints: @unchecked Sendable {
    private let lock = NSLock()
    private var running: [String: DispatchSemaphore] = [:]

    /// Starts a PASSIVE checkpoint of the database at `path` (which blocks no reader and no
    /// writer), unless one is still running there: the final checkpoint picks up what it leaves.
    func start(_ path: String) {
        lock.lock()
        defer { lock.unlock() }
        guard running[path] == nil else { return }
        let done = DispatchSemaphore(value: 0)
        running[path] = done
        Thread { [self] in
            // A checkpoint that cannot run now is not an error of the run: the final one does the work.
            try? Database(path: path).execute("PRAGMA wal_checkpoint(PASSIVE)")
            lock.lock()
            running[path] = nil
            lock.unlock()
            done.signal()
        }.start()
    }

    /// Waits for the checkpoint running on the database at `path`, if any: a build that writes
    /// there then starts on a WAL that can restart from its beginning, so consecutive builds of
    /// one layer do not pile up in one WAL.
    func wait(for path: String) {
        lock.lock()
        let done = running[path]
        lock.unlock()
        done?.wait()
        done?.signal()
    }

    /// Waits for every checkpoint started.
    func waitAll() {
        lock.lock()
        let waiting = Array(running.values)
        lock.unlock()
        for done in waiting {
            done.wait()
            done.signal()
        }
    }
}

extension Database {
    /// This connection, never checkpointing when it commits: the run checkpoints in the
    /// background (`BackgroundCheckpoints`) and at its end.
    func withoutAutomaticCheckpoints() throws -> Database {
        try execute("PRAGMA wal_autocheckpoint=0")
        return self
    }
}
