import ArgumentParser
import Foundation
import Pipeline
import Server
import Warehouse

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API (under /api/v1) and the dashboard for a root.",
        discussion: """
            Reads go through read-only SQLite connections, so a running materialization never blocks the server and the server never blocks it. POST /api/v1/runs starts a run; it needs Authorization: Bearer <token> with the token from WAREHOUSE_API_TOKEN (without one the server is read-only). The OpenAPI document is at /api/v1/openapi.json. SIGINT or SIGTERM stops the server after the requests in flight.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 8080

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535, got \(port).") }
    }

    func run() throws {
        let pipeline = try global.pipeline()
        let server = try WarehouseServer(pipeline: pipeline, token: pipeline.environment["WAREHOUSE_API_TOKEN"])
        let application = server.application(host: host, port: port) { port in
            print("Serving \(pipeline.layout.root.path) on http://\(host):\(port)/ (API: http://\(host):\(port)/api/v1/)")
        }
        let done = DispatchSemaphore(value: 0)
        var failure: Error?
        Task {
            do { try await application.runService() } catch { failure = error }
            done.signal()
        }
        done.wait()
        if let failure { throw RunFailed(message: "the server stopped: \(failure)") }
    }
}
