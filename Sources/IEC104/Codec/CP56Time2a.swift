/// A seven-octet time tag (CP56Time2a): milliseconds, minute, hour, day, month and a two-digit year.
///
/// Fields are stored as received (masked to their bit widths) so that a tag from a peer with an
/// impossible date still decodes and re-encodes unchanged; `dateTime` tells whether it is a real date.
public struct CP56Time2a: Hashable, Sendable {
    /// The octets of an encoded time tag.
    public static let encodedLength = 7

    /// Seconds and milliseconds of the minute, 0...59999 when valid.
    public let milliseconds: UInt16
    /// The minute, 0...59 when valid.
    public let minute: UInt8
    /// The hour, 0...23 when valid.
    public let hour: UInt8
    /// The day of the month, 1...31 when valid.
    public let dayOfMonth: UInt8
    /// The day of the week, 1 Monday … 7 Sunday, or 0 when not used.
    public let dayOfWeek: UInt8
    /// The month, 1...12 when valid.
    public let month: UInt8
    /// The year of the century, 0...99, standing for 2000...2099.
    public let year: UInt8
    /// IV (minute octet, 0x80): the time is invalid.
    public let invalid: Bool
    /// SU (hour octet, 0x80): summer time; this gateway sends UTC and leaves it clear.
    public let summerTime: Bool

    /// Creates a tag for `dateTime`, or nil when its year is outside 2000...2099.
    public init?(_ dateTime: UTCDateTime, invalid: Bool = false, summerTime: Bool = false) {
        guard (2000...2099).contains(dateTime.year) else { return nil }
        self.init(milliseconds: UInt16(dateTime.second * 1000 + dateTime.millisecond), minute: UInt8(dateTime.minute),
                  hour: UInt8(dateTime.hour), dayOfMonth: UInt8(dateTime.day), dayOfWeek: UInt8(dateTime.dayOfWeek),
                  month: UInt8(dateTime.month), year: UInt8(dateTime.year - 2000), invalid: invalid, summerTime: summerTime)
    }

    /// Creates a tag from raw fields, each masked to its bit width (as the wire would).
    public init(milliseconds: UInt16, minute: UInt8, hour: UInt8, dayOfMonth: UInt8, dayOfWeek: UInt8,
                month: UInt8, year: UInt8, invalid: Bool = false, summerTime: Bool = false) {
        self.milliseconds = milliseconds
        self.minute = minute & 0x3F
        self.hour = hour & 0x1F
        self.dayOfMonth = dayOfMonth & 0x1F
        self.dayOfWeek = dayOfWeek & 0x07
        self.month = month & 0x0F
        self.year = year & 0x7F
        self.invalid = invalid
        self.summerTime = summerTime
    }

    /// The date and time the fields name (ignoring SU and IV), or nil when they are no real date.
    public var dateTime: UTCDateTime? {
        guard year <= 99, milliseconds <= 59_999 else { return nil }
        return UTCDateTime(year: 2000 + Int(year), month: Int(month), day: Int(dayOfMonth), hour: Int(hour),
                           minute: Int(minute), second: Int(milliseconds / 1000), millisecond: Int(milliseconds % 1000))
    }

    /// Writes the seven octets; reserved bits are sent as zero.
    func encode(into writer: inout ByteWriter) {
        writer.write(milliseconds)
        writer.write(minute | (invalid ? 0x80 : 0))
        writer.write(hour | (summerTime ? 0x80 : 0))
        writer.write(dayOfMonth | dayOfWeek << 5)
        writer.write(month)
        writer.write(year)
    }

    /// Reads seven octets; reserved bits are ignored.
    static func decode(from reader: inout ByteReader) throws(ASDUDecodingError) -> CP56Time2a {
        let milliseconds = try reader.readUInt16()
        let minute = try reader.readUInt8()
        let hour = try reader.readUInt8()
        let day = try reader.readUInt8()
        let month = try reader.readUInt8()
        let year = try reader.readUInt8()
        return CP56Time2a(milliseconds: milliseconds, minute: minute, hour: hour, dayOfMonth: day, dayOfWeek: day >> 5,
                          month: month, year: year, invalid: minute & 0x80 != 0, summerTime: hour & 0x80 != 0)
    }
}
