import Foundation
import NIOConcurrencyHelpers

/// The official message schemas bundled with the module, compiled on first use and cached.
public final class OfficialSchemas: Sendable {
    /// Which message of an action.
    public enum Direction: Hashable, Sendable {
        /// The CALL's payload.
        case request
        /// The CALLRESULT's payload.
        case response
    }

    /// The schemas shipped in the module's resources.
    public static let bundled = OfficialSchemas(directory: Bundle.module.url(forResource: "Schemas", withExtension: nil))

    private let directory: URL?
    /// Every schema asked for, nil for one that is not bundled; keyed by what was asked rather than by the file
    /// name, so a lookup (one per incoming CALL) builds no string.
    private let cache = NIOLockedValueBox<[Key: JSONSchema?]>([:])

    /// What a schema is asked for by.
    private struct Key: Hashable {
        let action: String
        let direction: Direction
        let version: OCPPVersion
    }

    /// Schemas read from `directory` (with `v16/` and `v201/` inside).
    public init(directory: URL?) {
        self.directory = directory
    }

    /// The schema of `action`'s request or response in `version`, or nil when none is bundled.
    public func schema(for action: String, _ direction: Direction, version: OCPPVersion) -> JSONSchema? {
        let key = Key(action: action, direction: direction, version: version)
        if let cached = cache.withLockedValue({ $0[key] }) { return cached }
        let file = Self.fileName(action: action, direction: direction, version: version)
        var compiled: JSONSchema?
        // Action names come from chargers: only plain names may become file names.
        if action.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }), let directory,
           let data = try? Data(contentsOf: directory.appendingPathComponent(file)),
           let document = try? JSONParser.parse(Array(data), limits: JSONLimits(maximumDepth: 64, maximumLength: 1 << 22)) {
            compiled = try? JSONSchema(document)
        }
        cache.withLockedValue { $0[key] = compiled }
        return compiled
    }

    /// `v16/MeterValues.json`, `v16/MeterValuesResponse.json`, `v201/MeterValuesRequest.json`, …
    static func fileName(action: String, direction: Direction, version: OCPPVersion) -> String {
        switch (version, direction) {
        case (.v16, .request): "v16/\(action).json"
        case (.v16, .response): "v16/\(action)Response.json"
        case (.v201, .request): "v201/\(action)Request.json"
        case (.v201, .response): "v201/\(action)Response.json"
        }
    }
}
