import Foundation

/// SIGTERM and SIGINT turned into a call, for the long-running commands (`schedule run`,
/// `collect`) that stop cleanly instead of dying. Keep the value alive while it should listen.
struct StopSignals {
    private let sources: [DispatchSourceSignal]

    init(_ onStop: @escaping @Sendable () -> Void) {
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler(handler: onStop)
            source.resume()
            return source
        }
    }

    /// Ends the listening (the value must live until here).
    func cancel() { sources.forEach { $0.cancel() } }
}
