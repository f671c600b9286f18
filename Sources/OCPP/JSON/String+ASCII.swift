extension String {
    /// Whether every byte is ASCII, checked on the bytes in place: walking the UTF-8 view index by index costs
    /// several times as much, and the lookups that ask this ask it for every key they compare.
    var isASCII: Bool {
        utf8.withContiguousStorageIfAvailable { bytes in bytes.allSatisfy { $0 < 0x80 } }
            ?? utf8.allSatisfy { $0 < 0x80 }
    }
}
