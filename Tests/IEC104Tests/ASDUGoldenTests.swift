import Testing
@testable import IEC104

/// Hand-computed octets (IEC 104 profile: COT 2, CA 2, IOA 3, all little endian).
@Suite("ASDU golden vectors")
struct ASDUGoldenTests {
    /// Encodes `asdu`, compares with `golden`, and decodes `golden` back to `asdu`.
    func check(_ asdu: ASDU, _ golden: String, parameters: ASDUParameters = .iec104) throws {
        #expect(try asdu.encoded(parameters: parameters) == hex(golden))
        #expect(try ASDU.decode(hex(golden), parameters: parameters) == asdu)
    }

    @Test("M_ME_TF_1: 14.4, IV, 2026-03-01T12:30:15.250Z (a Sunday)")
    func shortFloatWithTime() throws {
        let when = try #require(UTCDateTime(year: 2026, month: 3, day: 1, hour: 12, minute: 30, second: 15, millisecond: 250))
        let time = try #require(CP56Time2a(when))
        let asdu = ASDU(typeID: .M_ME_TF_1, causeOfTransmission: CauseOfTransmission(.spontaneous), commonAddress: 1,
                        objects: [InformationObject(address: 1001, .shortFloatWithTime(14.4, .invalid, time))])
        // 14.4f = 0x41666666; ms 15250 = 0x3B92; day 1 | Sunday (7) << 5 = 0xE1; year 26 = 0x1A.
        try check(asdu, "24 01 03 00 01 00 E9 03 00 66 66 66 41 80 92 3B 1E 0C E1 03 1A")
        let apdu = APDU.information(send: .zero, receive: .zero, asdu: try asdu.encoded())
        #expect(try apdu.encoded() == hex("68 19 00 00 00 00 24 01 03 00 01 00 E9 03 00 66 66 66 41 80 92 3B 1E 0C E1 03 1A"))
        #expect(time.dateTime == when)
    }

    @Test("M_SP_TB_1 spontaneous: on at 2026-11-24T19:10:42.123Z (a Tuesday)")
    func singlePointWithTime() throws {
        let when = try #require(UTCDateTime(year: 2026, month: 11, day: 24, hour: 19, minute: 10, second: 42, millisecond: 123))
        let time = try #require(CP56Time2a(when))
        let asdu = ASDU(typeID: .M_SP_TB_1, causeOfTransmission: CauseOfTransmission(.spontaneous), commonAddress: 1,
                        objects: [InformationObject(address: 2001, .singlePointWithTime(SinglePoint(true), time))])
        // ms 42123 = 0xA48B; day 24 | Tuesday (2) << 5 = 0x58; month 11 = 0x0B.
        try check(asdu, "1E 01 03 00 01 00 D1 07 00 01 8B A4 0A 13 58 0B 1A")
    }

    @Test("C_SE_NC_1 select 11.0 (activation)")
    func setpointFloatSelect() throws {
        let asdu = ASDU(typeID: .C_SE_NC_1, causeOfTransmission: CauseOfTransmission(.activation), commonAddress: 1,
                        objects: [InformationObject(address: 3001, .setpointFloat(11.0, SetpointQualifier(select: true)))])
        try check(asdu, "32 01 06 00 01 00 B9 0B 00 00 00 30 41 80")
    }

    @Test("C_IC_NA_1 QOI 20 ACT_CON echoing originator 3")
    func interrogationConfirmation() throws {
        let asdu = ASDU(typeID: .C_IC_NA_1,
                        causeOfTransmission: CauseOfTransmission(.activationConfirmation, originatorAddress: 3),
                        commonAddress: 1, objects: [InformationObject(address: 0, .interrogation(qualifier: 20))])
        try check(asdu, "64 01 07 03 01 00 00 00 00 14")
    }

    @Test("Negative test confirmation sets P/N and T")
    func negativeTest() throws {
        let asdu = ASDU(typeID: .C_IC_NA_1,
                        causeOfTransmission: CauseOfTransmission(.activationConfirmation, isNegative: true, isTest: true),
                        commonAddress: 0x1234, objects: [InformationObject(address: 0, .interrogation(qualifier: 20))])
        try check(asdu, "64 01 C7 00 34 12 00 00 00 14")
    }

    @Test("M_IT_NA_1 counter request (COT 37): 123456, seq 5, CY")
    func integratedTotals() throws {
        let asdu = ASDU(typeID: .M_IT_NA_1, causeOfTransmission: CauseOfTransmission(.requestedByGeneralCounter),
                        commonAddress: 1,
                        objects: [InformationObject(address: 4001, .integratedTotals(BinaryCounterReading(123_456, sequenceNumber: 5, carry: true)))])
        try check(asdu, "0F 01 25 00 01 00 A1 0F 00 40 E2 01 00 25")
    }

    @Test("M_EI_NA_1 initialized: remote reset")
    func endOfInitialization() throws {
        let asdu = ASDU(typeID: .M_EI_NA_1, causeOfTransmission: CauseOfTransmission(.initialized), commonAddress: 1,
                        objects: [InformationObject(address: 0, .endOfInitialization(CauseOfInitialization(cause: 2)))])
        try check(asdu, "46 01 04 00 01 00 00 00 00 02")
    }

    @Test("M_ME_NB_1 SQ=1: three scaled values from IOA 100")
    func sequenceOfScaled() throws {
        let asdu = ASDU(typeID: .M_ME_NB_1, isSequence: true, causeOfTransmission: CauseOfTransmission(.interrogatedByStation),
                        commonAddress: 1, objects: [
                            InformationObject(address: 100, .scaled(1, .good)),
                            InformationObject(address: 101, .scaled(-1, .overflow)),
                            InformationObject(address: 102, .scaled(0x1234, [.blocked, .substituted, .notTopical])),
                        ])
        try check(asdu, "0B 83 14 00 01 00 64 00 00 01 00 00 FF FF 01 34 12 70")
    }

    @Test("Single and double commands pack state, QU and S/E in one octet")
    func commands() throws {
        let single = ASDU(typeID: .C_SC_NA_1, causeOfTransmission: CauseOfTransmission(.activation), commonAddress: 1,
                          objects: [InformationObject(address: 5, .singleCommand(true, CommandQualifier(qualifier: 1, select: true)))])
        try check(single, "2D 01 06 00 01 00 05 00 00 85")
        let double = ASDU(typeID: .C_DC_NA_1, causeOfTransmission: CauseOfTransmission(.activation), commonAddress: 1,
                          objects: [InformationObject(address: 6, .doubleCommand(.on, CommandQualifier(qualifier: 3)))])
        try check(double, "2E 01 06 00 01 00 06 00 00 0E")
    }

    @Test("Small field sizes: COT 1, CA 1, IOA 1")
    func smallParameters() throws {
        let parameters = try #require(ASDUParameters(causeOfTransmissionSize: 1, commonAddressSize: 1, informationObjectAddressSize: 1))
        let asdu = ASDU(typeID: .M_DP_NA_1, causeOfTransmission: CauseOfTransmission(.spontaneous), commonAddress: 7,
                        objects: [InformationObject(address: 9, .doublePoint(DoublePoint(.on, quality: .invalid)))])
        try check(asdu, "03 01 03 07 09 82", parameters: parameters)
        var withOriginator = asdu
        withOriginator.causeOfTransmission.originatorAddress = 1
        #expect(throws: ASDUEncodingError.originatorAddressNotRepresentable(1)) { try withOriginator.encoded(parameters: parameters) }
        var bigCA = asdu
        bigCA.commonAddress = 256
        #expect(throws: ASDUEncodingError.commonAddressOutOfRange(256)) { try bigCA.encoded(parameters: parameters) }
        var bigIOA = asdu
        bigIOA.objects[0].address = 256
        #expect(throws: ASDUEncodingError.addressOutOfRange(index: 0, address: 256)) { try bigIOA.encoded(parameters: parameters) }
        #expect(ASDUParameters(causeOfTransmissionSize: 3) == nil)
        #expect(ASDUParameters(informationObjectAddressSize: 0) == nil)
    }

    @Test("C_RD_NA_1 has no element, C_CS_NA_1 and C_TS_TA_1 carry a time")
    func readClockTest() throws {
        let read = ASDU(typeID: .C_RD_NA_1, causeOfTransmission: CauseOfTransmission(.request), commonAddress: 1,
                        objects: [InformationObject(address: 0x030201, .read)])
        try check(read, "66 01 05 00 01 00 01 02 03")
        let when = try #require(UTCDateTime(year: 2000, month: 1, day: 1))
        let time = try #require(CP56Time2a(when))
        // 2000-01-01 was a Saturday (6): day octet 1 | 6 << 5 = 0xC1.
        let sync = ASDU(typeID: .C_CS_NA_1, causeOfTransmission: CauseOfTransmission(.activation), commonAddress: 1,
                        objects: [InformationObject(address: 0, .clockSynchronization(time))])
        try check(sync, "67 01 06 00 01 00 00 00 00 00 00 00 00 C1 01 00")
        let test = ASDU(typeID: .C_TS_TA_1, causeOfTransmission: CauseOfTransmission(.activation), commonAddress: 1,
                        objects: [InformationObject(address: 0, .testCommand(counter: 0xABCD, time))])
        try check(test, "6B 01 06 00 01 00 00 00 00 CD AB 00 00 00 00 C1 01 00")
    }

    @Test("Malformed ASDUs give typed errors", arguments: [
        ("24 01 03 00 01", ASDUDecodingError.truncatedHeader(length: 5, needed: 6)),
        ("02 01 03 00 01 00 00 00 00 00", .unknownTypeID(2)),
        ("01 00 03 00 01 00", .zeroObjectCount),
        ("01 80 03 00 01 00", .zeroObjectCount),
        ("01 02 03 00 01 00 01 00 00 01", .truncatedObjects(expected: 14, actual: 10)),
        ("01 01 03 00 01 00 01 00 00 01 FF", .lengthMismatch(expected: 10, actual: 11)),
        ("01 82 03 00 01 00 FF FF FF 01 00", .addressOverflow(first: 0xFF_FFFF, count: 2)),
    ])
    func malformed(bytes: String, error: ASDUDecodingError) {
        #expect(throws: error) { try ASDU.decode(hex(bytes)) }
    }

    @Test("Encoding rejects empty, mixed-type and non-consecutive ASDUs")
    func encodingErrors() {
        let cot = CauseOfTransmission(.spontaneous)
        #expect(throws: ASDUEncodingError.noObjects) {
            try ASDU(typeID: .M_SP_NA_1, causeOfTransmission: cot, commonAddress: 1, objects: []).encoded()
        }
        #expect(throws: ASDUEncodingError.elementTypeMismatch(index: 1, expected: .M_SP_NA_1, found: .M_DP_NA_1)) {
            try ASDU(typeID: .M_SP_NA_1, causeOfTransmission: cot, commonAddress: 1, objects: [
                InformationObject(address: 1, .singlePoint(SinglePoint(true))),
                InformationObject(address: 2, .doublePoint(DoublePoint(.on))),
            ]).encoded()
        }
        #expect(throws: ASDUEncodingError.addressNotConsecutive(index: 1, address: 3)) {
            try ASDU(typeID: .M_SP_NA_1, isSequence: true, causeOfTransmission: cot, commonAddress: 1, objects: [
                InformationObject(address: 1, .singlePoint(SinglePoint(true))),
                InformationObject(address: 3, .singlePoint(SinglePoint(false))),
            ]).encoded()
        }
        let many = (0..<128).map { InformationObject(address: UInt32($0), .singlePoint(SinglePoint(true))) }
        #expect(throws: ASDUEncodingError.tooManyObjects(count: 128)) {
            try ASDU(typeID: .M_SP_NA_1, isSequence: true, causeOfTransmission: cot, commonAddress: 1, objects: many).encoded()
        }
    }
}
