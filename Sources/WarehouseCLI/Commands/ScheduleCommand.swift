import ArgumentParser
import Foundation
import Pipeline
import Scheduler
import Warehouse

struct ScheduleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedule",
        abstract: "Run the warehouse unattended: the [[schedules]] of warehouse.toml (six_hourly and daily by default).",
        discussion: """
            warehouse schedule list                       each job and its next fire times
            warehouse schedule run                        a foreground daemon: starts each job on time (logs to stderr; SIGTERM stops it after the current asset)
            warehouse schedule install --systemd          systemd timers, one per job (or --daemon for one service running `schedule run`, or --cron)
            See docs/operations.md.
            """,
        subcommands: [ScheduleListCommand.self, ScheduleRunCommand.self, ScheduleInstallCommand.self])
}

struct ScheduleListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Each schedule with its next fire times.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "How many fire times to show per schedule.")
    var count = 3

    @Flag(help: "Print JSON on stdout.")
    var json = false

    func run() throws {
        let app = try global.pipeline()
        let entries = app.settings.schedules.map { schedule -> [String: Any] in
            var times: [String] = [], cursor = app.clock.now
            while times.count < count, let next = schedule.cron.next(after: cursor, in: schedule.timeZone) {
                times.append(ISO8601.format(next))
                cursor = next
            }
            return ["name": schedule.name, "cron": schedule.cron.description, "timezone": schedule.zoneName, "select": schedule.select,
                    "overlap": schedule.overlap.rawValue, "jitter_seconds": schedule.jitterSeconds, "next": times]
        }
        if json { print(Format.json(entries)); return }
        for entry in entries {
            print("\(entry["name"]!)  \(entry["cron"]!) (\(entry["timezone"]!))  select \((entry["select"] as! [String]).joined(separator: " "))  overlap \(entry["overlap"]!)")
            for time in entry["next"] as! [String] { print("    next \(time)") }
        }
    }
}

struct ScheduleRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Start each schedule's job on time until stopped (SIGTERM or SIGINT: the running job stops after its current asset).",
        discussion: "Logs one line per event to stderr, for journald. Exit status: 0 when stopped, 2 for a configuration error.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let app = try global.pipeline()
        let clock = SystemScheduleClock()
        let signals = StopSignals { clock.stop() }
        let root = global.root, verbose = global.verbose
        let runner = ScheduleRunner(layout: app.layout, schedules: app.settings.schedules, clock: clock,
                                    pipeline: { _ in try Pipeline(root: root, verbose: verbose) },
                                    log: { FileHandle.standardError.write(Data("\(ISO8601.format(Date())) warehouse: \($0)\n".utf8)) })
        try runner.run()
        signals.cancel()
    }
}

struct ScheduleInstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Print (or --write) the schedules as systemd timers, one systemd service, or crontab lines.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "A .service and a .timer per schedule.")
    var systemd = false

    @Flag(help: "One systemd service that runs `warehouse schedule run`.")
    var daemon = false

    @Flag(help: "Crontab lines.")
    var cron = false

    @Option(help: ArgumentHelp("Write the files into this folder (e.g. /etc/systemd/system) instead of printing them; a file it did not write is never replaced.", valueName: "DIR"))
    var write: String?

    func validate() throws {
        if [systemd, daemon, cron].filter({ $0 }).count != 1 { throw ValidationError("choose one of --systemd, --daemon or --cron.") }
    }

    func run() throws {
        let app = try global.pipeline()
        // The running binary itself, however it was invoked (argv[0] may be a bare name found on PATH).
        let binary = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? Bundle.main.executablePath
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        let installer = ScheduleInstaller(schedules: app.settings.schedules, binary: binary, root: app.layout.root.standardizedFileURL.path)
        let files = systemd ? installer.systemdTimers() : daemon ? [installer.systemdDaemon()] : [("warehouse.crontab", installer.crontab())]
        if let write {
            for url in try ScheduleInstaller.write(files, to: URL(fileURLWithPath: write)) { print("wrote \(url.path)") }
            if systemd { print("then: systemctl daemon-reload && systemctl enable --now " + app.settings.schedules.map { "warehouse-\($0.name).timer" }.joined(separator: " ")) }
            return
        }
        for (file, text) in files { print("# --- \(file)\n\(text)") }
    }
}
