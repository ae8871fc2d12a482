import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import Warehouse

/// Sends a finished run's alerts: to each target whose events it raised, one message, retried
/// with doubling delays; every attempt's outcome is kept in `warehouse.sqlite` (`alerts`: sent
/// or failed, attempts, the last error). A delivery that fails is logged and recorded, never
/// thrown: it does not change the run or its exit status.
struct AlertDispatcher {
    let targets: [AlertTarget]
    let layout: WarehouseLayout
    let logger: Logger
    /// The first retry's delay in seconds (`fetch.retry_base_seconds`).
    let baseDelay: Double
    let now: () -> Date

    func send(_ summary: RunSummary, trigger: RunTrigger) {
        let message = AlertMessage(summary)
        for target in targets where !message.events(for: target).isEmpty {
            let body = message.body(for: target, trigger: trigger, root: layout.root, at: now())
            guard let data = try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]) else { continue }
            var attempts = 0
            var lastError: String?
            while attempts <= target.retries {
                attempts += 1
                lastError = deliver(data, to: target.delivery)
                if lastError == nil { break }
                if attempts <= target.retries { Thread.sleep(forTimeInterval: baseDelay * pow(2, Double(attempts - 1))) }
            }
            if let lastError {
                logger.error("alert not delivered", metadata: ["alert": "\(target.name)", "run": "\(summary.runID)", "attempts": "\(attempts)", "error": "\(lastError)"])
            }
            do {
                let database = try RunLog(layout: layout).database
                try database.execute("""
                    INSERT INTO alerts(run_id, alert, target, events, status, attempts, error, created_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [.text(summary.runID), .text(target.name), .text(Self.describe(target.delivery)),
                          .text(message.events(for: target).map(\.rawValue).joined(separator: ",")), .text(lastError == nil ? "sent" : "failed"),
                          .integer(Int64(attempts)), lastError.map(SQLValue.text) ?? .null, .text(ISO8601.format(now())),
                          .text(String(decoding: data, as: UTF8.self))])
            } catch {
                logger.error("alert outcome not recorded", metadata: ["alert": "\(target.name)", "error": "\(error)"])
            }
        }
    }

    /// How long an `exec` command may take before it is stopped (a webhook has 15 s).
    static let commandTimeout: Double = 30

    static func describe(_ delivery: AlertTarget.Delivery) -> String {
        switch delivery {
        case .webhook(let url): return url.absoluteString
        case .command(let command): return "exec: \(command)"
        }
    }

    /// One attempt; the problem, or nil when it was delivered.
    private func deliver(_ body: Data, to delivery: AlertTarget.Delivery) -> String? {
        switch delivery {
        case .webhook(let url):
            var request = URLRequest(url: url, timeoutInterval: 10)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.setValue("medallion-warehouse", forHTTPHeaderField: "User-Agent")
            request.httpBody = body
            final class Outcome: @unchecked Sendable { var problem: String? = "no answer" }
            let done = DispatchSemaphore(value: 0)
            let outcome = Outcome()
            URLSession.shared.dataTask(with: request) { _, response, error in
                if let error {
                    outcome.problem = error.localizedDescription
                } else if let status = (response as? HTTPURLResponse)?.statusCode {
                    outcome.problem = (200..<300).contains(status) ? nil : "HTTP \(status)"
                }
                done.signal()
            }.resume()
            // The semaphore orders the write before this read.
            if done.wait(timeout: .now() + 15) == .timedOut { return "no answer in 15 s" }
            return outcome.problem
        case .command(let command):
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command]
            let input = Pipe()
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            // A command that exits without reading its input must not take this process down.
            signal(SIGPIPE, SIG_IGN)
            let finished = DispatchSemaphore(value: 0)
            process.terminationHandler = { _ in finished.signal() }
            do { try process.run() } catch { return "cannot start /bin/sh: \(error)" }
            // Written from another thread: a large body must not block while the command runs.
            let writer = input.fileHandleForWriting
            DispatchQueue.global().async {
                try? writer.write(contentsOf: body)
                try? writer.close()
            }
            if finished.wait(timeout: .now() + Self.commandTimeout) == .timedOut {
                process.terminate()
                return "the command did not finish in \(Int(Self.commandTimeout)) s and was stopped"
            }
            return process.terminationStatus == 0 ? nil : "the command exited with \(process.terminationStatus)"
        }
    }
}
