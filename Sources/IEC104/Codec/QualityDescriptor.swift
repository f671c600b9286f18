/// The quality bits shared by monitored information (QDS, and the upper half of SIQ/DIQ).
public struct QualityDescriptor: OptionSet, Hashable, Sendable {
    /// The octet as sent; reserved bits are kept so a decode–encode round trip is exact.
    public let rawValue: UInt8

    /// Creates a descriptor from its octet.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Overflow (measured values only; in SIQ/DIQ this bit carries the state).
    public static let overflow = QualityDescriptor(rawValue: 0x01)
    /// Blocked for transmission.
    public static let blocked = QualityDescriptor(rawValue: 0x10)
    /// Substituted by an operator or automatic source.
    public static let substituted = QualityDescriptor(rawValue: 0x20)
    /// Not topical: not updated successfully within the expected time.
    public static let notTopical = QualityDescriptor(rawValue: 0x40)
    /// Invalid.
    public static let invalid = QualityDescriptor(rawValue: 0x80)

    /// Good quality: no bit set.
    public static let good: QualityDescriptor = []

    /// The bits SIQ and DIQ can carry (their low bits hold the state).
    static let pointMask: UInt8 = 0xF0
}
