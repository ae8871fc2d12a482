import Foundation
import Pipeline
import Warehouse

/// `warehouse schedule run`: starts each schedule's job on time, one job at a time per root.
///
/// - On start, a schedule whose last fire (kept in `warehouse.sqlite`) is followed by a fire
///   time already past ran late: it runs once now, however many fires were missed.
/// - Jobs never overlap: they run one after another; a job whose time came while another ran
///   runs right after it, once (`overlap = "queue"`), or is let go (`"skip"`). Another process
///   holding the root is waited for, or let go, likewise.
/// - A stop (SIGTERM) ends the wait at once, or the running job after its current asset.
/// - Each job is a run recorded with trigger `schedule:NAME`; a failed job is logged and the
///   scheduler goes on.
public final class ScheduleRunner {
    /// What one firing did.
    public struct Fire: Sendable, Equatable {
        public let schedule: String
        /// The fire time the cron gave (before jitter).
        public let scheduled: Date
        public let started: Date
        public let catchUp: Bool
        /// Nil when the job did not run (skipped, or it could not start).
        public let runID: String?
        public let succeeded: Bool
        /// Requests the job's pipeline made to the built-in emulator, by source/dataset.
        public let emulatorRequests: [String: Int]
        public let note: String
    }

    public let layout: WarehouseLayout
    public let schedules: [Schedule]
    let clock: ScheduleClock
    /// The product wired for one job at its start time.
    let pipeline: (Date) throws -> Pipeline
    let log: (String) -> Void
    let random: () -> Double
    /// Every firing so far, in order.
    public private(set) var fires: [Fire] = []

    public init(layout: WarehouseLayout, schedules: [Schedule], clock: ScheduleClock, pipeline: @escaping (Date) throws -> Pipeline,
                log: @escaping (String) -> Void, random: @escaping () -> Double = { Double.random(in: 0...1) }) {
        self.layout = layout
        self.schedules = schedules
        self.clock = clock
        self.pipeline = pipeline
        self.log = log
        self.random = random
    }

    /// Runs until the clock says stop.
    public func run() throws {
        let state = try ScheduleState(layout: layout)
        let start = clock.now
        // Each schedule's next fire, and whether it is a catch-up.
        var due: [(schedule: Schedule, at: Date, catchUp: Bool)] = []
        for schedule in schedules {
            if let last = try state.lastFire(of: schedule.name), let missed = schedule.cron.next(after: last, in: schedule.timeZone), missed <= start {
                log("schedule \(schedule.name): missed its run at \(ISO8601.format(missed)) while down; running it once now")
                due.append((schedule, start, true))
            } else if let next = schedule.cron.next(after: start, in: schedule.timeZone) {
                due.append((schedule, next, false))
            }
        }
        log("scheduler started at \(ISO8601.format(start)) on \(layout.root.path): " + schedules.map { schedule in
            "\(schedule.name) (\(schedule.cron), next \(due.first { $0.schedule.name == schedule.name }.map { ISO8601.format($0.at) } ?? "never"))"
        }.joined(separator: ", "))
        while !due.isEmpty {
            due.sort { ($0.at, $0.schedule.name) < ($1.at, $1.schedule.name) }
            let job = due.removeFirst()
            let jitter = job.catchUp ? 0 : Double(job.schedule.jitterSeconds) * random()
            guard clock.sleep(until: job.at.addingTimeInterval(jitter)) else { break }
            if job.schedule.overlap == .skip, !job.catchUp, clock.now.timeIntervalSince(job.at) - jitter > 60 {
                // Another job ran past this one's time: a skipping schedule lets the fire go.
                record(job.schedule, job.at, catchUp: false, runID: nil, succeeded: false, requests: [:], note: "let go: another job ran past its time (overlap = skip)")
                if let next = job.schedule.cron.next(after: clock.now, in: job.schedule.timeZone) { due.append((job.schedule, next, false)) }
                continue
            }
            try fire(job.schedule, scheduled: job.at, catchUp: job.catchUp, state: state)
            if clock.stopRequested { break }
            // The next fire after this one. Fires that passed while it ran collapse into one run now
            // (queue), or are let go (skip).
            let now = clock.now
            guard var following = job.schedule.cron.next(after: job.at, in: job.schedule.timeZone) else { continue }
            if following <= now {
                if job.schedule.overlap == .queue {
                    while let later = job.schedule.cron.next(after: following, in: job.schedule.timeZone), later <= now { following = later }
                } else if let next = job.schedule.cron.next(after: now, in: job.schedule.timeZone) {
                    log("schedule \(job.schedule.name): let go of the fires a long job ran past (overlap = skip)")
                    following = next
                } else { continue }
            }
            due.append((job.schedule, following, false))
        }
        log("scheduler stopped at \(ISO8601.format(clock.now))")
    }

    private func fire(_ schedule: Schedule, scheduled: Date, catchUp: Bool, state: ScheduleState) throws {
        let started = clock.now
        do {
            let app = try pipeline(started)
            let keys = try app.graph().addingFollowers(try app.resolve(try Selection(parsing: schedule.select)))
            let rootLock: RootLock
            do {
                rootLock = try RootLock(layout: app.layout, wait: schedule.overlap == .queue)
            } catch RootLockError.busy(_, let holder) {
                record(schedule, scheduled, catchUp: catchUp, runID: nil, succeeded: false, requests: [:], note: "skipped: \(holder) holds the root")
                return
            }
            let summary = try app.materialize(keys, refresh: schedule.refresh, command: "schedule \(schedule.name): materialize \(schedule.select.joined(separator: " "))",
                                              trigger: .schedule(schedule.name), observer: SilentObserver()) { [clock] orchestrator in
                orchestrator.stopRequested = { clock.stopRequested }
            }
            withExtendedLifetime(rootLock) {}
            try state.record(schedule.name, firedAt: scheduled, runID: summary.runID)
            let failed = summary.results.filter { $0.status == .failed }.map(\.key.description)
            record(schedule, scheduled, catchUp: catchUp, runID: summary.runID, succeeded: summary.succeeded,
                   requests: app.emulator?.requestCounts ?? [:],
                   note: "\(summary.count(.success)) built, \(summary.count(.skipped)) up to date, \(summary.requests) requests"
                       + (failed.isEmpty ? "" : ", failed: \(failed.joined(separator: ", "))"))
        } catch {
            // A job that cannot start (a bad selection, settings edited into a mistake) is logged; the next fire tries again.
            try state.record(schedule.name, firedAt: scheduled, runID: nil)
            record(schedule, scheduled, catchUp: catchUp, runID: nil, succeeded: false, requests: [:], note: "could not run: \(error)")
        }
    }

    private func record(_ schedule: Schedule, _ scheduled: Date, catchUp: Bool, runID: String?, succeeded: Bool, requests: [String: Int], note: String) {
        let fire = Fire(schedule: schedule.name, scheduled: scheduled, started: clock.now, catchUp: catchUp, runID: runID, succeeded: succeeded,
                        emulatorRequests: requests, note: note)
        fires.append(fire)
        log("schedule \(schedule.name): \(catchUp ? "catch-up " : "")run for \(ISO8601.format(scheduled))"
            + (runID.map { " (run \($0), \(succeeded ? "success" : "failed"))" } ?? "") + ": \(note)")
    }
}
