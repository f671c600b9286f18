import YAML

/// One site found among the rule files: its root file and, when it is valid, its rule graph.
public struct LoadedSite: Sendable {
    /// The root file (the one with `station:`).
    public var root: String
    /// Every file of the site, root first.
    public var files: [String]
    /// The resolved graph; nil when the site has errors.
    public var graph: RuleGraph?
}

/// The outcome of loading rule files: every site and every diagnostic, in file order.
public struct LoadReport: Sendable {
    /// Sites found.
    public var sites: [LoadedSite]
    /// All problems, sorted by place.
    public var diagnostics: [Diagnostic]

    /// Number of errors.
    public var errorCount: Int { diagnostics.filter { $0.severity == .error }.count }
    /// Number of warnings.
    public var warningCount: Int { diagnostics.filter { $0.severity == .warning }.count }
}

/// Loads rule files into sites: reads YAML, decodes fragments, follows includes, and builds each site's graph.
public enum RuleLoader {
    /// Loads in-memory files; every file given is a starting point.
    public static func load(_ sources: [RuleSource]) -> LoadReport {
        load(starting: sources.map(\.path), from: MemoryFiles(sources))
    }

    /// Loads the given files; directories among them are walked for rule files.
    public static func load(paths: [String], from provider: any RuleFileProvider = DiskFiles()) -> LoadReport {
        var files: [String] = []
        for path in paths {
            if let under = provider.ruleFiles(under: path) { files += under } else { files.append(path) }
        }
        return load(starting: files, from: provider)
    }

    static func load(starting files: [String], from provider: any RuleFileProvider) -> LoadReport {
        var session = LoadSession(provider: provider)
        for file in files { session.fragments(of: file, includedFrom: nil) }
        return session.finish(starting: files)
    }
}

/// The state of one load: files read so far, their fragments and the shared diagnostics.
struct LoadSession {
    let provider: any RuleFileProvider
    let sink = DiagnosticSink()
    var cache: [String: [Fragment]] = [:]
    var order: [String] = []

    init(provider: any RuleFileProvider) {
        self.provider = provider
    }

    /// Reads and decodes a file once; later calls return the cached fragments.
    @discardableResult
    mutating func fragments(of path: String, includedFrom: Located<String>?) -> [Fragment]? {
        let key = RulePath.normalize(path)
        if let cached = cache[key] { return cached }
        guard let bytes = provider.read(path) else {
            let message = "cannot read '\(path)'"
            if let includedFrom { sink.error(message + " (included here)", at: includedFrom.location) }
            else { sink.error(message, at: SourceLocation(file: path, mark: Mark(line: 1, column: 1))) }
            cache[key] = []
            return nil
        }
        let stream = YAMLParser.parse(bytes)
        let context = DecodeContext(file: path, sink: sink)
        for error in stream.errors {
            let related = error.related.map { [RelatedLocation($0.message, at: SourceLocation(file: path, mark: $0.mark))] } ?? []
            sink.error(error.message, at: SourceLocation(file: path, mark: error.mark), related: related)
        }
        var fragments: [Fragment] = []
        if stream.errors.contains(where: \.isFatal) {
            fragments = [Fragment(file: path, readable: false)]
        } else {
            if stream.documents.isEmpty {
                sink.warning("the file holds no rules", at: SourceLocation(file: path, mark: Mark(line: 1, column: 1)))
            }
            fragments = stream.documents.map { FragmentDecoder(context: context).decode($0) }
        }
        cache[key] = fragments
        order.append(path)
        return fragments
    }

    /// The files a site is made of, root first, following includes depth-first.
    mutating func siteFiles(root: String) -> [String] {
        var files: [String] = []
        var visited: Set<String> = []
        var stack: [String] = []
        collect(root, files: &files, visited: &visited, stack: &stack, includedFrom: nil)
        return files
    }

    private mutating func collect(_ path: String, files: inout [String], visited: inout Set<String>, stack: inout [String], includedFrom: Located<String>?) {
        let key = RulePath.normalize(path)
        if let start = stack.firstIndex(of: key), let includedFrom {
            let chain = (stack[start...] + [key]).joined(separator: " → ")
            sink.error("include cycle: \(chain)", at: includedFrom.location)
            return
        }
        guard !visited.contains(key) else { return }
        visited.insert(key)
        guard let fragments = fragments(of: path, includedFrom: includedFrom) else { return }
        files.append(path)
        stack.append(key)
        for fragment in fragments {
            for include in fragment.includes {
                let target = RulePath.normalize(RulePath.join(RulePath.directory(of: path), include.value))
                if let under = provider.ruleFiles(under: target) {
                    for file in under { collect(file, files: &files, visited: &visited, stack: &stack, includedFrom: include) }
                } else {
                    collect(target, files: &files, visited: &visited, stack: &stack, includedFrom: include)
                }
            }
        }
        stack.removeLast()
    }

    mutating func finish(starting files: [String]) -> LoadReport {
        var sites: [LoadedSite] = []
        var covered: Set<String> = []
        let roots = files.filter { file in cache[RulePath.normalize(file)]?.contains { $0.station != nil } == true }
        for root in roots {
            let siteFiles = siteFiles(root: root)
            covered.formUnion(siteFiles.map(RulePath.normalize))
            let fragments = siteFiles.flatMap { cache[RulePath.normalize($0)] ?? [] }
            guard fragments.allSatisfy(\.readable) else {
                sites.append(LoadedSite(root: root, files: siteFiles, graph: nil))
                continue
            }
            var builder = GraphBuilder(fragments: fragments, sink: sink)
            let graph = builder.build()
            let fileSet = Set(siteFiles.map(RulePath.normalize))
            let fileErrors = sink.diagnostics.contains { $0.severity == .error && fileSet.contains(RulePath.normalize($0.location.file)) }
            sites.append(LoadedSite(root: root, files: siteFiles, graph: fileErrors ? nil : graph))
        }
        for file in files where !covered.contains(RulePath.normalize(file)) {
            guard let fragments = cache[RulePath.normalize(file)], fragments.allSatisfy(\.readable), !fragments.isEmpty else { continue }
            sink.warning("not part of any site: no 'station:' here and no site file includes it; checked for syntax and structure only",
                         at: SourceLocation(file: file, mark: Mark(line: 1, column: 1)))
        }
        let sorted = sink.diagnostics.enumerated().sorted { a, b in
            a.element.location.file != b.element.location.file
                ? (order.firstIndex(of: a.element.location.file) ?? Int.max, a.element.location.file) < (order.firstIndex(of: b.element.location.file) ?? Int.max, b.element.location.file)
                : (a.element.location.mark, a.offset) < (b.element.location.mark, b.offset)
        }.map(\.element)
        return LoadReport(sites: sites, diagnostics: sorted)
    }
}
