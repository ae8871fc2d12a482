import Foundation

/// A real PostgreSQL server for one test class: a throwaway cluster (`initdb`) under a temp
/// folder, run by the unprivileged `postgres` user when the tests run as root, listening on a
/// free loopback port with password (SCRAM) login, stopped and removed at the end.
public final class PostgresCluster {
    public let directory: URL
    public let port: Int
    public let user = "warehouse"
    public let password = "pw-\(UUID().uuidString.prefix(8))"
    public let database = "warehouse"
    private let binaries: URL

    /// The URL `warehouse publish --to` takes (no password: that goes in `WAREHOUSE_PG_PASSWORD`).
    public func url(_ database: String? = nil) -> String { "postgresql://\(user)@127.0.0.1:\(port)/\(database ?? self.database)" }
    /// A libpq connection string for the test's own clients (psycopg), password included.
    public func dsn(_ database: String? = nil) -> String { "host=127.0.0.1 port=\(port) dbname=\(database ?? self.database) user=\(user) password=\(password)" }

    /// Creates another database, so each test starts from an empty one.
    public func createDatabase(_ name: String) throws {
        try server("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", user, name], password: password)
    }

    /// Why a cluster cannot start here.
    public struct Unavailable: Error, CustomStringConvertible {
        public let description: String
    }

    public init() throws {
        let found = try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql").sorted { $0.compare($1, options: .numeric) == .orderedAscending }.last
        guard let version = found else { throw Unavailable(description: "no PostgreSQL server under /usr/lib/postgresql: run scripts/install-deps.sh --test") }
        binaries = URL(fileURLWithPath: "/usr/lib/postgresql/\(version)/bin")
        directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        port = try Self.freePort()
        try password.write(to: directory.appendingPathComponent("pwfile"), atomically: true, encoding: .utf8)
        try own(directory)
        try own(directory.appendingPathComponent("pwfile"))
        try server("initdb", ["-D", data, "-U", user, "--auth=scram-sha-256", "--pwfile=\(directory.path)/pwfile", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        try server("pg_ctl", ["-D", data, "-l", "\(directory.path)/server.log", "-w", "-t", "60", "start",
                              "-o", "-p \(port) -k \(directory.path) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off"])
        try createDatabase(database)
    }

    deinit {
        _ = try? server("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"])
        // Only the folder this cluster made for itself (a fresh pg-<uuid> under the temp dir).
        try? FileManager.default.removeItem(at: directory)
    }

    /// A loopback port nothing listens on now (the kernel's pick).
    private static func freePort() throws -> Int {
        let output = try Shell.run("python3", ["-c", "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"])
        guard let port = Int(output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else { throw Unavailable(description: "no free port: \(output.text)") }
        return port
    }

    private var data: String { directory.appendingPathComponent("data").path }

    /// Runs one of the server's programs, as `postgres` when this process is root (initdb
    /// refuses root). Spawned and waited for directly: Foundation's `Process` can miss the exit
    /// of `runuser` once `pg_ctl` has left the server running behind it.
    @discardableResult
    private func server(_ program: String, _ arguments: [String], password: String? = nil) throws -> String {
        let path = binaries.appendingPathComponent(program).path
        let environment = password.map { ["PGPASSWORD=\($0)"] } ?? []
        let command = (getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] : []) + ["/usr/bin/env"] + environment + [path] + arguments
        let output = directory.appendingPathComponent("\(program).out").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var arguments = command.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, &arguments, environ)
        guard spawned == 0 else { throw Unavailable(description: "cannot start \(command[0]): error \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard status == 0 else {
            let log = (try? String(contentsOf: directory.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
            throw Unavailable(description: "\(program) failed (status \(status)): \(text)\n\(log.suffix(2000))")
        }
        return text
    }

    /// Hands a path to `postgres` when running as root, so the server may write there.
    private func own(_ url: URL) throws {
        guard getuid() == 0 else { return }
        let output = try Shell.run("chown", ["postgres:postgres", url.path])
        guard output.status == 0 else { throw Unavailable(description: "chown postgres \(url.path): \(output.text)") }
    }
}
