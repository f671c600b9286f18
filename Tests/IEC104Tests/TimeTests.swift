import SeededRandom
import Testing
@testable import IEC104

@Suite("CP56Time2a and UTC dates")
struct TimeTests {
    @Test("Epoch milliseconds and fields agree for random instants in 2000–2099")
    func epochRoundTrip() throws {
        var rng = SeededGenerator(seed: 7)
        let start = try #require(UTCDateTime(year: 2000, month: 1, day: 1)).millisecondsSince1970
        let end = try #require(UTCDateTime(year: 2099, month: 12, day: 31, hour: 23, minute: 59, second: 59, millisecond: 999))
            .millisecondsSince1970
        for _ in 0..<5000 {
            let instant = Int64.random(in: start...end, using: &rng)
            let date = UTCDateTime(millisecondsSince1970: instant)
            #expect(date.millisecondsSince1970 == instant)
            let time = try #require(CP56Time2a(date))
            #expect(time.dateTime == date)
            var writer = ByteWriter()
            time.encode(into: &writer)
            var reader = ByteReader(writer.bytes)
            #expect(try CP56Time2a.decode(from: &reader) == time)
        }
    }

    @Test("Known instants, weekdays and leap days")
    func knownDates() throws {
        #expect(UTCDateTime(millisecondsSince1970: 0) == UTCDateTime(year: 1970, month: 1, day: 1))
        #expect(UTCDateTime(millisecondsSince1970: 1_772_368_215_250)
            == UTCDateTime(year: 2026, month: 3, day: 1, hour: 12, minute: 30, second: 15, millisecond: 250))
        #expect(UTCDateTime(millisecondsSince1970: -1) == UTCDateTime(year: 1969, month: 12, day: 31, hour: 23,
                                                                     minute: 59, second: 59, millisecond: 999))
        #expect(try #require(UTCDateTime(year: 2000, month: 1, day: 1)).dayOfWeek == 6)
        #expect(try #require(UTCDateTime(year: 2024, month: 2, day: 29)).dayOfWeek == 4)
        #expect(UTCDateTime(year: 2100, month: 2, day: 29) == nil)
        #expect(UTCDateTime(year: 2025, month: 13, day: 1) == nil)
        _ = UTCDateTime(millisecondsSince1970: .min)
        _ = UTCDateTime(millisecondsSince1970: .max)
    }

    @Test("Years outside 2000–2099 cannot be tagged; impossible fields decode but have no date")
    func limits() throws {
        let before = try #require(UTCDateTime(year: 1999, month: 12, day: 31))
        let after = try #require(UTCDateTime(year: 2100, month: 1, day: 1))
        #expect(CP56Time2a(before) == nil)
        #expect(CP56Time2a(after) == nil)
        var reader = ByteReader(hex("FF FF FF FF FF FF FF"))
        let time = try CP56Time2a.decode(from: &reader)
        #expect(time.invalid && time.summerTime)
        #expect(time.minute == 63 && time.hour == 31 && time.dayOfMonth == 31 && time.dayOfWeek == 7)
        #expect(time.month == 15 && time.year == 127)
        #expect(time.dateTime == nil)
    }
}
