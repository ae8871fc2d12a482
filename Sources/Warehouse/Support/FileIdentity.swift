import Foundation

/// What identifies the content at a path without reading it: mode, size, inode and modification
/// time of the file, or of every file under a folder. Equal identities mean the content has not
/// been replaced or edited in between, as far as the file system can tell without reading it.
public enum FileIdentity {
    /// Nil when nothing is at the URL.
    public static func of(_ url: URL) -> String? { of(path: url.path) }

    /// Nil when nothing is at the path.
    public static func of(path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        var fingerprint = Fingerprint()
        if info.st_mode & S_IFMT == S_IFDIR {
            let files = (FileManager.default.subpaths(atPath: path) ?? []).sorted()
            for file in files {
                var child = stat()
                guard lstat(path + "/" + file, &child) == 0 else { return nil }
                fingerprint.add(file)
                fingerprint.add(describe(child))
            }
        } else {
            fingerprint.add(describe(info))
        }
        return fingerprint.finish()
    }

    private static func describe(_ info: stat) -> String {
        "\(info.st_mode)|\(info.st_size)|\(info.st_ino)|\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }
}
