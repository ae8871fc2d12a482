import Foundation
import Warehouse

/// Shows a run as it goes, on stderr: one updating line on a terminal, plain lines otherwise.
final class ConsoleObserver: RunObserver {
    private let interactive: Bool
    private let quiet: Bool
    private var lastDraw = Date.distantPast

    init(quiet: Bool) {
        interactive = isatty(STDERR_FILENO) == 1
        self.quiet = quiet
    }

    func assetStarted(_ key: AssetKey, reason: StaleReason, index: Int, total: Int) {
        guard !quiet else { return }
        write("[\(index + 1)/\(total)] \(key): building (\(reason))", final: !interactive)
    }

    func assetProgress(_ key: AssetKey, done: Int, total: Int) {
        guard !quiet else { return }
        if interactive {
            guard Date().timeIntervalSince(lastDraw) > 0.1 || done == total else { return }
            lastDraw = Date()
            write("    \(key): \(done)/\(total)", final: false)
        }
    }

    func assetFinished(_ result: AssetRunResult, index: Int, total: Int) {
        guard !quiet else { return }
        let detail: String
        switch result.status {
        case .success: detail = "built \(Format.count(result.outcome?.rows ?? 0)) \(result.key.layer == .bronze ? "files" : "rows") in \(Format.seconds(result.seconds))"
        case .skipped: detail = "skipped (\(result.reason))"
        case .failed: detail = "FAILED: \(result.error ?? "")"
        case .blocked: detail = "not run: \(result.reason)"
        }
        write("[\(index + 1)/\(total)] \(result.key): \(detail)", final: true)
    }

    private func write(_ line: String, final: Bool) {
        let text = interactive ? "\r\u{1B}[2K" + line + (final ? "\n" : "") : line + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }
}
