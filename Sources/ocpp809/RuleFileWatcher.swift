import Foundation

/// Watches rule files by polling their modification times and sizes once a second; a change reloads once the
/// files have been quiet for `settle` (an editor's save is often several writes). Polling is portable and cheap
/// for a handful of files; it also sees files replaced by rename, which some inotify setups miss.
struct RuleFileWatcher: Sendable {
    /// The files and directories given on the command line.
    var paths: [String]
    /// How long the files must be unchanged before the reload.
    var settle: Duration = .milliseconds(500)

    /// Calls `changed` after each settled change, until the task is cancelled.
    func run(_ changed: @Sendable () async -> Void) async {
        var seen = snapshot()
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            var now = snapshot()
            guard now != seen else { continue }
            while !Task.isCancelled {
                try? await Task.sleep(for: settle)
                let later = snapshot()
                if later == now { break }
                now = later
            }
            seen = now
            await changed()
        }
    }

    /// Path → (modification time, size) of every YAML file under the watched paths.
    private func snapshot() -> [String: [Double]] {
        let files = FileManager.default
        var result: [String: [Double]] = [:]
        for path in paths {
            var isDirectory: ObjCBool = false
            guard files.fileExists(atPath: path, isDirectory: &isDirectory) else { continue }
            let members = isDirectory.boolValue
                ? (files.enumerator(atPath: path)?.compactMap { $0 as? String }
                    .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.map { path + "/" + $0 } ?? [])
                : [path]
            for file in members {
                guard let attributes = try? files.attributesOfItem(atPath: file) else { continue }
                let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
                let size = (attributes[.size] as? NSNumber)?.doubleValue ?? 0
                result[file] = [modified, size]
            }
        }
        return result
    }
}
