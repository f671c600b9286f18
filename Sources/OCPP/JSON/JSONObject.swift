/// A JSON object: members in the order they were written, looked up by key.
///
/// The members are one array: an OCPP object has a handful of them, which a scan finds faster than hashing the
/// key, and the reader builds the array in a single allocation. Beyond `indexedCount` members a key index keeps
/// lookups constant-time, so an object with thousands of keys cannot turn every lookup into a long scan.
public struct JSONObject: Hashable, Sendable {
    /// The members in order.
    public private(set) var members: [(key: String, value: JSONValue)] = []
    /// Each key's place in `members`; kept only while the object has more than `indexedCount` members.
    private var positions: [String: Int]?
    /// Whether every key is ASCII, as nearly every key is: two ASCII strings are equal exactly when their bytes
    /// are, so such keys can be told apart by their lengths first. Other keys need Swift's full comparison,
    /// which counts canonically equivalent spellings as equal.
    private var keysAreASCII = true

    /// The most members an object finds by scanning rather than through `positions`.
    static let indexedCount = 16

    /// An empty object.
    public init() {}

    /// An object from members in order; a repeated key keeps its first place and its last value.
    public init(_ members: KeyValuePairs<String, JSONValue>) {
        for (key, value) in members { self[key] = value }
    }

    /// The object of members read from a document, whose keys must all differ; `keysAreASCII` says whether the
    /// reader saw only ASCII in every key (false when it cannot tell).
    ///
    /// Keys compare as Swift strings do (canonically equivalent spellings are the same key), as a lookup does.
    init(readMembers members: [(key: String, value: JSONValue)], keysAreASCII: Bool) throws(RepeatedKey) {
        self.keysAreASCII = keysAreASCII
        if members.count > Self.indexedCount {
            var positions: [String: Int] = Dictionary(minimumCapacity: members.count)
            for (position, member) in members.enumerated() where positions.updateValue(position, forKey: member.key) != nil {
                throw RepeatedKey(position: position)
            }
            self.positions = positions
        } else {
            for later in members.indices.dropFirst() {
                let key = members[later].key
                let length = key.utf8.count
                for earlier in 0..<later where Self.mayEqual(members[earlier].key, length, keysAreASCII)
                    && members[earlier].key == key {
                    throw RepeatedKey(position: later)
                }
            }
        }
        self.members = members
    }

    /// The place of the first member whose key an earlier member of the same object already has.
    struct RepeatedKey: Error {
        /// Its index among the members.
        let position: Int
    }

    /// The value of `key`, or nil; setting appends a new key at the end, setting nil removes the member.
    public subscript(key: String) -> JSONValue? {
        get { position(of: key).map { members[$0].value } }
        set {
            if let position = position(of: key) {
                if let newValue {
                    members[position].value = newValue
                } else {
                    members.remove(at: position)
                    positions = members.count > Self.indexedCount ? Self.index(members) : nil
                    keysAreASCII = members.allSatisfy(\.key.isASCII)
                }
            } else if let newValue {
                members.append((key, newValue))
                keysAreASCII = keysAreASCII && key.isASCII
                if positions != nil {
                    positions?[key] = members.count - 1
                } else if members.count > Self.indexedCount {
                    positions = Self.index(members)
                }
            }
        }
    }

    /// The value of the member named by the ASCII text `name`: the same as `self[name]`, without building a
    /// string for the name and, while the keys are ASCII, comparing only the keys of the same length.
    func value(named name: StaticString) -> JSONValue? {
        let length = name.utf8CodeUnitCount
        if name.isASCII, keysAreASCII, positions == nil {
            for index in members.indices where members[index].key.utf8.count == length {
                if Self.equals(members[index].key, name) { return members[index].value }
            }
            return nil
        }
        return self[name.description]
    }

    /// The keys in order.
    public var keys: [String] { members.map(\.key) }

    /// The number of members.
    public var count: Int { members.count }

    /// Where the member named `key` is.
    private func position(of key: String) -> Int? {
        if let positions { return positions[key] }
        let length = key.utf8.count
        let asciiKeys = keysAreASCII && key.isASCII
        return members.indices.first { Self.mayEqual(members[$0].key, length, asciiKeys) && members[$0].key == key }
    }

    /// False only when `key` cannot equal a string of `length` UTF-8 bytes: both are ASCII and the lengths differ.
    private static func mayEqual(_ key: String, _ length: Int, _ bothASCII: Bool) -> Bool {
        !bothASCII || key.utf8.count == length
    }

    /// Whether the ASCII key has exactly the bytes of `name`.
    private static func equals(_ key: String, _ name: StaticString) -> Bool {
        let sameBytes = key.utf8.withContiguousStorageIfAvailable { actual in
            name.withUTF8Buffer { expected in
                actual.count == expected.count && actual.indices.allSatisfy { actual[$0] == expected[$0] }
            }
        }
        return sameBytes ?? (key == name.description)
    }

    /// The key index of members whose keys all differ.
    private static func index(_ members: [(key: String, value: JSONValue)]) -> [String: Int] {
        var positions: [String: Int] = Dictionary(minimumCapacity: members.count)
        for (position, member) in members.enumerated() { positions[member.key] = position }
        return positions
    }

    /// Equal when the same keys hold equal values in the same order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.members.count == rhs.members.count
            && zip(lhs.members, rhs.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    /// Hashes the members in order, as `==` compares them.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(members.count)
        for member in members {
            hasher.combine(member.key)
            hasher.combine(member.value)
        }
    }
}
