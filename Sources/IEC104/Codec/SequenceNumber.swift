/// A 15-bit I-frame sequence number N(S) or N(R) that wraps from 32767 to 0.
public struct SequenceNumber: Hashable, Sendable, CustomStringConvertible {
    /// The number of distinct sequence numbers (2¹⁵); arithmetic is modulo this value.
    public static let modulus: UInt16 = 32768

    /// The first sequence number of a connection.
    public static let zero = SequenceNumber(masking: 0)

    /// The sequence number, always in 0...32767.
    public let rawValue: UInt16

    /// Creates a sequence number, or nil when `rawValue` does not fit in 15 bits.
    public init?(rawValue: UInt16) {
        guard rawValue < Self.modulus else { return nil }
        self.rawValue = rawValue
    }

    /// Creates a sequence number from the low 15 bits of `value` (used when the wire already limits the range).
    init(masking value: UInt16) {
        rawValue = value & (Self.modulus - 1)
    }

    /// The number that follows this one, wrapping 32767 to 0.
    public var successor: SequenceNumber { advanced(by: 1) }

    /// This number moved forward by `count` frames, modulo 32768.
    public func advanced(by count: Int) -> SequenceNumber {
        let modulus = Int(Self.modulus)
        // Reduce first so huge or negative counts cannot overflow.
        let step = ((count % modulus) + modulus) % modulus
        return SequenceNumber(masking: UInt16((Int(rawValue) + step) % modulus))
    }

    /// How many frames lie from `self` forward to `other`, in 0...32767 (modular distance).
    public func distance(to other: SequenceNumber) -> Int {
        let modulus = Int(Self.modulus)
        return (Int(other.rawValue) - Int(rawValue) + modulus) % modulus
    }

    /// The decimal value.
    public var description: String { String(rawValue) }
}
