import Foundation

/// Where rule files come from: the file system, or memory (tests, fuzzing, reload payloads).
public protocol RuleFileProvider: Sendable {
    /// The bytes of a file, or nil when there is no such file.
    func read(_ path: String) -> [UInt8]?
    /// The rule files (`*.yaml`, `*.yml`, but not rule tests `*.test.yaml`) under a directory, recursively and sorted;
    /// nil when it is not a directory.
    func ruleFiles(under path: String) -> [String]?
}

/// One rule file held in memory.
public struct RuleSource: Sendable {
    /// The file's path, used in diagnostics and to resolve includes.
    public var path: String
    /// Its bytes.
    public var bytes: [UInt8]

    /// Creates a source.
    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    /// Creates a source from text.
    public init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }
}

/// Rule files in memory; a directory is any prefix of their paths.
public struct MemoryFiles: RuleFileProvider {
    private let files: [String: [UInt8]]

    /// Creates a provider over these sources.
    public init(_ sources: [RuleSource]) {
        var files: [String: [UInt8]] = [:]
        for source in sources { files[RulePath.normalize(source.path)] = source.bytes }
        self.files = files
    }

    /// See `RuleFileProvider`.
    public func read(_ path: String) -> [UInt8]? { files[RulePath.normalize(path)] }

    /// See `RuleFileProvider`.
    public func ruleFiles(under path: String) -> [String]? {
        let prefix = RulePath.normalize(path) + "/"
        let found = files.keys.filter { $0.hasPrefix(prefix) && RulePath.isRuleFile($0) }.sorted()
        return found.isEmpty ? nil : found
    }
}

/// Rule files on disk.
public struct DiskFiles: RuleFileProvider {
    /// Creates a provider over the file system.
    public init() {}

    /// See `RuleFileProvider`.
    public func read(_ path: String) -> [UInt8]? {
        guard !isDirectory(path), let data = FileManager.default.contents(atPath: path) else { return nil }
        return [UInt8](data)
    }

    /// See `RuleFileProvider`.
    public func ruleFiles(under path: String) -> [String]? {
        guard isDirectory(path) else { return nil }
        var found: [String] = []
        var pending = [path]
        while let directory = pending.popLast() {
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { continue }
            for entry in entries where !entry.hasPrefix(".") {
                let full = RulePath.join(directory, entry)
                if isDirectory(full) { pending.append(full) } else if RulePath.isRuleFile(full) { found.append(full) }
            }
        }
        return found.sorted()
    }

    /// True when the path names a directory.
    public func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// True when anything exists at the path.
    public func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }
}

/// Lexical path handling, so diagnostics show paths the way the user wrote them.
enum RulePath {
    /// `*.yaml` and `*.yml`, except rule tests (`*.test.yaml`, `*.test.yml`), which `ocpp809 rules test` reads.
    static func isRuleFile(_ path: String) -> Bool {
        (path.hasSuffix(".yaml") || path.hasSuffix(".yml")) && !path.hasSuffix(".test.yaml") && !path.hasSuffix(".test.yml")
    }

    static func join(_ directory: String, _ name: String) -> String {
        if name.hasPrefix("/") { return name }
        if directory.isEmpty || directory == "." { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Removes `.` and resolvable `..` components and duplicate slashes.
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            if part == "..", absolute { continue }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }
}
