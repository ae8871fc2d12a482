import Foundation
import Warehouse

/// For users who prefer their system's scheduler: the schedules as systemd timers (a oneshot
/// service and a timer per schedule), as one systemd service running `warehouse schedule run`,
/// or as crontab lines. Each job is `warehouse materialize SELECTION --root ROOT --quiet`, with
/// `--wait` when the schedule queues behind a busy root.
public struct ScheduleInstaller {
    public let schedules: [Schedule]
    /// The `warehouse` binary, absolute.
    public let binary: String
    /// The root, absolute.
    public let root: String

    /// The first line of every file this writes: a file without it is not replaced.
    public static let marker = "# Written by `warehouse schedule install`; regenerate it rather than editing it."

    public init(schedules: [Schedule], binary: String, root: String) {
        self.schedules = schedules
        self.binary = binary
        self.root = root
    }

    func arguments(_ schedule: Schedule) -> [String] {
        ["materialize"] + schedule.select + ["--root", root, "--quiet"] + (schedule.overlap == .queue ? ["--wait"] : []) + (schedule.refresh ? ["--refresh"] : [])
    }

    /// A `.service` and a `.timer` per schedule, named `warehouse-NAME`.
    public func systemdTimers() -> [(file: String, text: String)] {
        schedules.flatMap { schedule -> [(String, String)] in
            let command = ([binary] + arguments(schedule)).map(Self.systemdQuoted).joined(separator: " ")
            let service = """
                \(Self.marker)
                [Unit]
                Description=warehouse schedule \(schedule.name): materialize \(schedule.select.joined(separator: " "))

                [Service]
                Type=oneshot
                ExecStart=\(command)
                """
            var timer = """
                \(Self.marker)
                [Unit]
                Description=warehouse schedule \(schedule.name) (\(schedule.cron))

                [Timer]

                """
            for calendar in Self.onCalendar(schedule.cron, zone: schedule.zoneName) { timer += "OnCalendar=\(calendar)\n" }
            if schedule.jitterSeconds > 0 { timer += "RandomizedDelaySec=\(schedule.jitterSeconds)\n" }
            timer += "Persistent=true\n\n[Install]\nWantedBy=timers.target"
            return [("warehouse-\(schedule.name).service", service + "\n"), ("warehouse-\(schedule.name).timer", timer + "\n")]
        }
    }

    /// One long-running service: `warehouse schedule run`, stopped by SIGTERM after the current asset.
    public func systemdDaemon() -> (file: String, text: String) {
        ("warehouse-scheduler.service", """
            \(Self.marker)
            [Unit]
            Description=warehouse scheduler for \(root)
            After=network-online.target

            [Service]
            Type=simple
            ExecStart=\([binary, "schedule", "run", "--root", root].map(Self.systemdQuoted).joined(separator: " "))
            Restart=on-failure
            KillSignal=SIGTERM
            TimeoutStopSec=15min

            [Install]
            WantedBy=multi-user.target

            """)
    }

    /// Crontab lines, each job's output appended to `ROOT/logs/schedule.log`. A schedule in a time
    /// zone other than UTC gets a `CRON_TZ=` line (cronie and Vixie cron read it).
    public func crontab() -> String {
        var lines = [Self.marker, "# Install with: crontab -l | cat - THIS_FILE | crontab -"]
        for schedule in schedules {
            let command = ([binary] + arguments(schedule)).map(Self.shellQuoted).joined(separator: " ")
            lines.append("# \(schedule.name)" + (schedule.jitterSeconds > 0 ? " (jitter: cron has none; the daemon or a systemd timer adds it)" : ""))
            lines.append("CRON_TZ=\(schedule.zoneName)")
            lines.append("\(schedule.cron.fields) mkdir -p \(Self.shellQuoted(root + "/logs")) && \(command) >> \(Self.shellQuoted(root + "/logs/schedule.log")) 2>&1")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// systemd calendar expressions equal to a cron expression: the fields as lists (a cron that
    /// restricts both day fields matches either, so it becomes two expressions).
    static func onCalendar(_ cron: CronExpression, zone: String) -> [String] {
        func list(_ values: Set<Int>, all: ClosedRange<Int>, width: Int = 2) -> String {
            values == Set(all) ? "*" : values.sorted().map { String(format: "%0\(width)d", $0) }.joined(separator: ",")
        }
        let time = "\(list(cron.hours, all: 0...23)):\(list(cron.minutes, all: 0...59)):00"
        let months = list(cron.months, all: 1...12)
        let days = list(cron.daysOfMonth, all: 1...31)
        let weekdays = cron.daysOfWeek.sorted().map { ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][$0] }.joined(separator: ",")
        let suffix = " " + zone
        if cron.dayOfMonthRestricted && cron.dayOfWeekRestricted {
            // Either day field matches: two calendars.
            return ["\(weekdays) *-\(months)-* \(time)\(suffix)", "*-\(months)-\(days) \(time)\(suffix)"]
        }
        // Otherwise both must match (a `*/2` day is still a restriction).
        let weekdayPrefix = cron.daysOfWeek.count == 7 ? "" : "\(weekdays) "
        return ["\(weekdayPrefix)*-\(months)-\(days) \(time)\(suffix)"]
    }

    static func shellQuoted(_ text: String) -> String {
        text.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=+@".contains($0) } ? text : "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    static func systemdQuoted(_ text: String) -> String {
        text.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=+@".contains($0) } ? text : "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// Writes files into a folder, never over one this did not write.
    /// - Throws: `ScheduleInstallError.notOurs` naming such a file; nothing is written then.
    public static func write(_ files: [(file: String, text: String)], to folder: URL) throws -> [URL] {
        let urls = files.map { folder.appendingPathComponent($0.file) }
        for url in urls where FileManager.default.fileExists(atPath: url.path) {
            let first = (try? String(contentsOf: url, encoding: .utf8))?.split(separator: "\n").first.map(String.init)
            if first != marker { throw ScheduleInstallError.notOurs(url.path) }
        }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (url, file) in zip(urls, files) { try AtomicFile.write(Data(file.text.utf8), to: url) }
        return urls
    }
}

/// A file `schedule install --write` will not replace.
public enum ScheduleInstallError: WarehouseError {
    case notOurs(String)

    public var parts: (problem: String, fix: String?) {
        switch self {
        case .notOurs(let path): return ("\(path) exists and was not written by `warehouse schedule install`; nothing was written", "move it away, or --write to another folder")
        }
    }
}
