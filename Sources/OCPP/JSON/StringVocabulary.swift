/// A fixed list of strings (enumeration values, schema property names, units) that finds a text the way
/// `firstIndex(of:)` does, with Swift's string equality (canonically equivalent spellings are equal), but without
/// comparing the text to every entry.
///
/// Entries are grouped by their length in UTF-8 bytes. A text is compared first with the entries of its own
/// length, which is where any ASCII text's match must be (equal ASCII strings have equal bytes); only a text
/// that matches none of them and is not ASCII, or a list with non-ASCII entries, needs the other entries.
struct StringVocabulary: Sendable {
    /// The entries in their original order.
    let entries: [String]
    /// For each UTF-8 length, the position of the first entry of that length, or -1.
    private let firstOfLength: [Int]
    /// For each entry, the position of the next entry of the same length, or -1: the entries of one length form
    /// a chain in list order. Only the first of equal entries is in a chain.
    private let nextOfLength: [Int]
    /// Whether an entry has non-ASCII bytes: such an entry may equal a text of another length.
    private let hasNonASCIIEntry: Bool

    /// A vocabulary of `entries`.
    init(_ entries: [String]) {
        self.entries = entries
        let longest = entries.map(\.utf8.count).max() ?? 0
        var first = [Int](repeating: -1, count: longest + 1)
        var next = [Int](repeating: -1, count: entries.count)
        var last = [Int](repeating: -1, count: longest + 1)
        for (position, entry) in entries.enumerated() where !entries[..<position].contains(entry) {
            let length = entry.utf8.count
            if last[length] < 0 { first[length] = position } else { next[last[length]] = position }
            last[length] = position
        }
        firstOfLength = first
        nextOfLength = next
        hasNonASCIIEntry = !entries.allSatisfy(\.isASCII)
    }

    /// The position of the first entry equal to `text`, or nil.
    func firstIndex(of text: String) -> Int? {
        let length = text.utf8.count
        if length < firstOfLength.count {
            var position = firstOfLength[length]
            while position >= 0 {
                if entries[position] == text { return position }
                position = nextOfLength[position]
            }
        }
        guard hasNonASCIIEntry || !text.isASCII else { return nil }
        return entries.firstIndex(of: text)
    }

    /// Whether an entry equals `text`.
    func contains(_ text: String) -> Bool { firstIndex(of: text) != nil }
}
