/// A normalized value (NVA): an Int16 read as a fixed-point fraction in −1 … 1 − 2⁻¹⁵.
public struct NormalizedValue: Hashable, Sendable {
    /// The two's-complement word as sent.
    public var rawValue: Int16

    /// Creates a value from its wire word.
    public init(rawValue: Int16) { self.rawValue = rawValue }

    /// Creates the nearest representable value, clamping to −1 … 1 − 2⁻¹⁵ (NaN becomes 0).
    public init(_ value: Double) {
        guard !value.isNaN else { self.rawValue = 0; return }
        // Clamp before converting: Int16(…) would trap on out-of-range doubles.
        let scaled = (value * 32768).rounded()
        rawValue = Int16(min(max(scaled, -32768), 32767))
    }

    /// The fraction this word stands for.
    public var doubleValue: Double { Double(rawValue) / 32768 }
}

/// A binary counter reading (BCR): counter value, sequence number and the CY/CA/IV flags.
public struct BinaryCounterReading: Hashable, Sendable {
    /// The counter value.
    public var value: Int32
    /// The sequence notation, 0...31 (higher bits are dropped on encoding).
    public var sequenceNumber: UInt8
    /// CY: the counter overflowed in the period.
    public var carry: Bool
    /// CA: the counter was adjusted since the last reading.
    public var adjusted: Bool
    /// IV: the reading is invalid.
    public var invalid: Bool

    /// Creates a counter reading.
    public init(_ value: Int32, sequenceNumber: UInt8 = 0, carry: Bool = false, adjusted: Bool = false, invalid: Bool = false) {
        self.value = value
        self.sequenceNumber = sequenceNumber
        self.carry = carry
        self.adjusted = adjusted
        self.invalid = invalid
    }

    /// The fifth octet: sequence number in bits 0–4, then CY, CA, IV.
    var flagsOctet: UInt8 {
        (sequenceNumber & 0x1F) | (carry ? 0x20 : 0) | (adjusted ? 0x40 : 0) | (invalid ? 0x80 : 0)
    }

    /// Rebuilds the reading from the value and the flags octet.
    init(value: Int32, flagsOctet: UInt8) {
        self.init(value, sequenceNumber: flagsOctet & 0x1F, carry: flagsOctet & 0x20 != 0,
                  adjusted: flagsOctet & 0x40 != 0, invalid: flagsOctet & 0x80 != 0)
    }
}
