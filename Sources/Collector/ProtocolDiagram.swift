import Foundation

extension Collector {
    /// The connect, subscribe and reconnect protocol each venue worker follows, as a Mermaid
    /// sequence diagram whose timings are the collector's defaults, so the picture in the docs
    /// (`docs/diagrams/2_ingestion/collector_protocol.mmd`) cannot drift from the code.
    public static func protocolDiagram(options: Options = Options()) -> String {
        let worker = StreamWorker.Policy(stallSeconds: options.stallSeconds, backoffMax: options.backoffMax)
        func seconds(_ value: Double) -> String { value == value.rounded() ? "\(Int(value)) s" : "\(value) s" }
        let backoff = "min(\(seconds(worker.backoffMax)), \(seconds(worker.backoffBase)) x 2^failures) x 50-100% jitter"
        let fallback = options.fallbackAfter.map { "down for \(seconds($0)) or more: GET the REST ticker every \(seconds(options.pollSeconds))" } ?? "no fallback polling"
        let probes = options.probeSeconds.map { "every \(seconds($0)), on its own thread" } ?? "switched off"
        return """
            sequenceDiagram
                participant W as worker (one per venue)
                participant V as venue stream
                participant R as venue REST
                participant S as segment (.part)
                par clock probes (\(probes))
                    W->>R: GET server time (e.g. /0/public/Time)
                    R-->>W: serverTime / unixtime / epoch
                    W->>S: clock_probe (sent_ms, rtt_us, the answer)
                end
                W->>V: TCP connect + HTTP upgrade (\(seconds(worker.connectSeconds)) timeout)
                alt upgrade refused or no answer
                    W->>S: connect_failed (reason, e.g. HTTP 503)
                    W->>S: reconnect_attempt (delay = \(backoff))
                    opt \(fallback)
                        W->>R: GET ticker
                        W->>S: message line marked poll (or poll_failed with the status)
                    end
                else 101 Switching Protocols
                    W->>S: connected (URL)
                    W->>V: subscribe (Kraken, Coinbase; Binance subscribes in the URL)
                    V-->>W: status / acks / refusals
                    W->>S: status, subscribed or subscribe_failed (reason)
                    loop until closed
                        V-->>W: ticker / heartbeat (pings answered)
                        W->>S: message line (received_ms, monotonic_ns)
                        Note over W,S: written at least every \(seconds(options.flushSeconds)); rolled every \(seconds(options.rollSeconds))
                    end
                    alt venue sends a close frame
                        W->>S: closed (code, reason, by_venue)
                    else TCP lost without a close
                        W->>S: closed (lost)
                    else nothing for --stall-seconds (\(seconds(worker.stallSeconds)))
                        W->>S: message_gap, closed (stalled)
                    else no confirmed subscription in \(seconds(worker.subscribeSeconds))
                        W->>S: closed (subscription_failed)
                    else SIGINT / SIGTERM
                        W->>V: close 1000
                        W->>S: closed (stopping), stopped
                    end
                    W->>S: reconnect_attempt (backoff reset after a healthy connection)
                end

            """
    }
}
