public import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every file Carnet creates that holds health data or keys is readable by its owner only (0600),
/// every directory it creates 0700 (issue 23.17: `carnet.sqlite` was 0644 in an existing directory).
/// `carnet` sets the process umask at start too; these explicit modes are what holds when a library
/// (SQLite, Foundation's atomic writes, `pg_dump`) creates a file with its own default.
public enum PrivateFiles {
    public static let fileMode: mode_t = 0o600
    public static let directoryMode: mode_t = 0o700

    /// Creates an empty file at `path` with mode 0600 unless one exists, then makes any existing one
    /// 0600 too. An empty file is a valid new SQLite database, so SQLite's own files (`-wal`, `-shm`,
    /// journals), which take the database's mode, are private from the start.
    public static func create(_ path: String) throws {
        let descriptor = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, fileMode)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
        defer { close(descriptor) }
        guard fchmod(descriptor, fileMode) == 0 else { throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path]) }
    }

    /// Makes the files at `paths` that exist 0600.
    public static func restrict(_ paths: [String]) {
        for path in paths where FileManager.default.fileExists(atPath: path) { _ = chmod(path, fileMode) }
    }

    /// The SQLite database at `path` and its companions (`-wal`, `-shm`, `-journal`).
    public static func sqliteFiles(_ path: String) -> [String] {
        [path, path + "-wal", path + "-shm", path + "-journal"]
    }

    /// Makes every directory under `root` (itself included) 0700 and every file 0600: a backup or a
    /// restored data directory, whose files were written by copies and tools.
    public static func restrictTree(_ root: URL) throws {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: root.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { return restrict([root.path]) }
        _ = chmod(root.path, directoryMode)
        for name in try files.contentsOfDirectory(atPath: root.path) {
            try restrictTree(root.appendingPathComponent(name))
        }
    }
}
