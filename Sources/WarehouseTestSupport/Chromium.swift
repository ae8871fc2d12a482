import Foundation

/// Headless Chromium from Debian's package (scripts/test.sh installs it): pages loaded as a
/// user's browser loads them, their DOM dumped and screenshots taken.
public enum Chromium {
    public static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Runs it headless with a profile folder of its own (at most a minute).
    public static func run(_ arguments: [String], profile: URL) throws -> Shell.Output {
        try Shell.run("timeout", ["60", path ?? "chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                                  "--user-data-dir=\(profile.path)"] + arguments)
    }

    /// The page's DOM after it loaded.
    public static func dom(_ url: String, profile: URL) throws -> Shell.Output { try run(["--dump-dom", url], profile: profile) }

    /// A PNG of the page at a window size (`1280,900`); fails unless the file is a PNG of some substance.
    public static func screenshot(_ url: String, to file: URL, size: String, profile: URL) throws {
        try? FileManager.default.removeItem(at: file)
        let shot = try run(["--window-size=\(size)", "--screenshot=\(file.path)", url], profile: profile)
        let png = (try? Data(contentsOf: file)) ?? Data()
        guard shot.status == 0, png.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]), png.count > 10_000 else {
            throw ChromiumError(message: "no screenshot of \(url) (status \(shot.status), \(png.count) bytes): \(shot.stderr.suffix(300))")
        }
    }
}

/// A screenshot that did not come out.
public struct ChromiumError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
