/// The Double of a decimal number without strtod, when that can be exact: a mantissa of at most 15 significant
/// digits and a power of ten up to 10²² are both exact in a Double, so one correctly rounded multiplication or
/// division gives the nearest Double (Clinger's fast path), the same one strtod gives. Most numbers chargers
/// send are such numbers.
enum ExactDecimal {
    /// The most significant digits a mantissa may have for the fast path.
    static let maximumDigits = 15

    /// Powers of ten that are exact in a Double.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// `±mantissa × 10^exponent` when the fast path is exact, nil when strtod must decide.
    static func value(mantissa: UInt64, significantDigits: Int, exponent: Int, negative: Bool) -> Double? {
        guard significantDigits <= maximumDigits, (-22...22).contains(exponent) else { return nil }
        let magnitude = Double(mantissa)
        let power = powersOfTen[abs(exponent)]
        let value = exponent < 0 ? magnitude / power : magnitude * power
        return negative ? -value : value
    }
}

/// Collects the digits of a decimal number for `ExactDecimal`: the first 15 significant ones as an integer,
/// and how many significant ones there were in all.
struct DecimalMantissa {
    /// The significant digits read so far (up to 15) as an integer.
    private(set) var value: UInt64 = 0
    /// How many significant digits were read (leading zeros are not significant).
    private(set) var significantDigits = 0

    /// Adds the ASCII digit `byte`.
    mutating func append(_ byte: UInt8) {
        let digit = UInt64(byte &- UInt8(ascii: "0"))
        if value != 0 || digit != 0 { significantDigits += 1 }
        // Beyond 15 digits the fast path is not taken, so the value no longer matters (and must not overflow).
        if significantDigits <= ExactDecimal.maximumDigits { value = value &* 10 &+ digit }
    }
}
