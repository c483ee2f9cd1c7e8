import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a playing lesson tells its notes window: which step is on the audience's screen.
/// Written as JSON by the presenter (`maskscope lesson FILE`) on every step change, read by
/// `maskscope lesson --notes FILE`.
public struct PresenterStatus: Codable, Equatable, Sendable {
    /// The lesson file's absolute path, as the presenter opened it.
    public var lesson: String
    /// The presenter's process id: a file whose process is gone is stale.
    public var pid: Int32
    /// The step on screen, 0-based.
    public var step: Int
    /// How many steps the presenter's copy of the lesson has.
    public var steps: Int
    /// When the presentation started, seconds since 1970 (whole seconds, for the clock).
    public var started: Int

    public init(lesson: String, pid: Int32, step: Int, steps: Int, started: Int) {
        self.lesson = lesson
        self.pid = pid
        self.step = step
        self.steps = steps
        self.started = started
    }
}

/// What the notes window finds when it looks for its presenter.
public enum PresenterReading: Equatable, Sendable {
    /// No presenter has this lesson open.
    case none
    /// A presenter wrote the file but its process is gone (it was killed): the file is stale.
    case ended(pid: Int32)
    case live(PresenterStatus)
    /// The file is there but cannot be read as a status.
    case unreadable(String)
}

/// The small state file through which a presenter and its notes window talk, one per lesson:
/// `$XDG_RUNTIME_DIR/maskscope/lesson-HASH.json` (else `/tmp/maskscope-UID/`, made 0700), HASH
/// a hash of the lesson file's absolute path. The presenter replaces it atomically on every
/// step and removes it when it quits; the notes window polls it.
public struct PresenterChannel: Sendable {
    public let url: URL

    /// The channel of the lesson at `lessonPath` (made absolute), creating its folder.
    /// - Throws: `PresenterChannelError` when no private folder can be had.
    public init(lessonPath: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(PresenterChannelError) {
        let folder = try Self.folder(environment: environment)
        url = folder.appendingPathComponent("lesson-\(Self.hash(Self.absolute(lessonPath))).json")
    }

    /// `path` as an absolute, standardized path, so two terminals in different folders agree.
    public static func absolute(_ path: String) -> String {
        let expanded = (path as NSString).expandingTildeInPath
        let url = expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded)
            : URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(expanded)
        return url.standardizedFileURL.resolvingSymlinksInPath().path
    }

    /// FNV-1a, 64 bits, as 16 hex digits: stable across runs and machines (Swift's `Hasher` is not).
    static func hash(_ text: String) -> String {
        var value: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x100_0000_01b3
        }
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The runtime folder: `$XDG_RUNTIME_DIR/maskscope` when that variable names a folder of
    /// ours, else `/tmp/maskscope-UID`. Either is made 0700 and must be ours and private.
    static func folder(environment: [String: String]) throws(PresenterChannelError) -> URL {
        let uid = getuid()
        if let runtime = environment["XDG_RUNTIME_DIR"], runtime.hasPrefix("/"), isPrivateFolder(runtime, owner: uid, strict: false) {
            let folder = URL(fileURLWithPath: runtime).appendingPathComponent("maskscope")
            try makePrivateFolder(folder.path, owner: uid)
            return folder
        }
        let folder = URL(fileURLWithPath: "/tmp/maskscope-\(uid)")
        try makePrivateFolder(folder.path, owner: uid)
        return folder
    }

    private static func isPrivateFolder(_ path: String, owner: uid_t, strict: Bool) -> Bool {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR, info.st_uid == owner else { return false }
        return !strict || (info.st_mode & 0o077) == 0
    }

    private static func makePrivateFolder(_ path: String, owner: uid_t) throws(PresenterChannelError) {
        if mkdir(path, 0o700) != 0, errno != EEXIST {
            throw .folder(path: path, reason: String(cString: strerror(errno)))
        }
        // Someone else's folder (or a symlink) at a predictable /tmp name is refused, not used.
        guard isPrivateFolder(path, owner: owner, strict: true) else {
            throw .folder(path: path, reason: "it is not a private folder of this user (mode 0700); remove it or set XDG_RUNTIME_DIR")
        }
    }

    /// Replaces the status file atomically, so the notes window never reads half of one.
    public func write(_ status: PresenterStatus) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try AtomicFile.write(try encoder.encode(status), to: url)
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }

    /// What the file says now; a status whose process is gone reads `.ended`.
    public func read(isAlive: (Int32) -> Bool = PresenterChannel.processIsAlive) -> PresenterReading {
        guard let data = FileManager.default.contents(atPath: url.path) else { return .none }
        guard let status = try? JSONDecoder().decode(PresenterStatus.self, from: data) else {
            return .unreadable("\(url.path) is not a presenter status file")
        }
        return isAlive(status.pid) ? .live(status) : .ended(pid: status.pid)
    }

    /// Whether process `pid` exists (it may belong to another user: EPERM still means alive).
    public static func processIsAlive(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}

public enum PresenterChannelError: Error, CustomStringConvertible, Equatable {
    case folder(path: String, reason: String)

    public var description: String {
        switch self {
        case let .folder(path, reason):
            return "cannot use \(path) for the presenter's status file: \(reason)"
        }
    }
}
