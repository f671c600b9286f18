import SeededRandom
import Testing
@testable import IEC104

@Suite("Size limits and hostile input")
struct LimitsAndFuzzTests {
    /// `count` time-tagged float objects at consecutive addresses from 1.
    func floats(_ count: Int) throws -> [InformationObject] {
        let date = try #require(UTCDateTime(year: 2026, month: 1, day: 1))
        let time = try #require(CP56Time2a(date))
        return (0..<count).map { InformationObject(address: 1 + UInt32($0), .shortFloatWithTime(Float($0), .good, time)) }
    }

    @Test("SQ=0: 16 M_ME_TF_1 fit in 249 octets, a 17th does not")
    func sixteenFloatsIndividual() throws {
        #expect(ASDU.maximumObjectCount(of: .M_ME_TF_1, isSequence: false) == 16)
        let fits = ASDU(typeID: .M_ME_TF_1, causeOfTransmission: CauseOfTransmission(.spontaneous), commonAddress: 1,
                        objects: try floats(16))
        let bytes = try fits.encoded()
        #expect(bytes.count == 6 + 16 * 15)
        #expect(try APDU.information(send: .zero, receive: .zero, asdu: bytes).encoded().count <= 255)
        var tooMany = fits
        tooMany.objects = try floats(17)
        #expect(throws: ASDUEncodingError.tooLong(length: 261, maximum: 249)) { try tooMany.encoded() }
    }

    @Test("SQ=1: 16 M_ME_TF_1 fit; sharing one IOA the limit is 20 (249 octets exactly), a 21st does not")
    func floatsInSequence() throws {
        #expect(ASDU.maximumObjectCount(of: .M_ME_TF_1, isSequence: true) == 20)
        var asdu = ASDU(typeID: .M_ME_TF_1, isSequence: true, causeOfTransmission: CauseOfTransmission(.spontaneous),
                        commonAddress: 1, objects: try floats(16))
        #expect(try asdu.encoded().count == 9 + 16 * 12)
        asdu.objects = try floats(20)
        #expect(try asdu.encoded().count == 249)
        asdu.objects = try floats(21)
        #expect(throws: ASDUEncodingError.tooLong(length: 261, maximum: 249)) { try asdu.encoded() }
    }

    @Test("Decoding rejects ASDUs over 249 octets")
    func decodeTooLong() {
        var bytes = hex("01 7F 03 00 01 00")
        bytes += Array(repeating: 0, count: 250 - bytes.count)
        #expect(throws: ASDUDecodingError.tooLong(length: 250)) { try ASDU.decode(bytes) }
    }

    @Test("Thousands of random byte strings never trap and are almost all rejected")
    func randomBytes() {
        var rng = SeededGenerator(seed: 0xF00D)
        var apduErrors = 0
        var asduErrors = 0
        let runs = 20_000
        for _ in 0..<runs {
            var bytes = rng.bytes(Int.random(in: 0...300, using: &rng))
            // Half the time give a plausible start, so the decoders get past their first checks.
            if rng.bool(), !bytes.isEmpty {
                bytes[0] = 0x68
                if bytes.count > 1 { bytes[1] = UInt8(min(253, bytes.count - 2)) }
            }
            if case .failure = APDUDecoder.decode(bytes) { apduErrors += 1 }
            let parameters = rng.parameters()
            var asdu = Array(bytes.dropFirst(6))
            if rng.bool(), !asdu.isEmpty {
                asdu[0] = TypeID.allCases.randomElement(using: &rng)?.rawValue ?? 1
            }
            do {
                let decoded = try ASDU.decode(asdu, parameters: parameters)
                // Whatever decodes must re-encode, and re-encoding is stable (compared as octets, so NaN is fine).
                let once = try decoded.encoded(parameters: parameters)
                let twice = try ASDU.decode(once, parameters: parameters).encoded(parameters: parameters)
                #expect(once == twice)
            } catch is ASDUDecodingError {
                asduErrors += 1
            } catch {
                Issue.record("a decoded ASDU failed to re-encode: \(error)")
            }
        }
        #expect(apduErrors > runs / 3)
        #expect(asduErrors > runs * 9 / 10)
    }

    @Test("Mutated valid ASDUs (flipped octets, truncation, extension) never trap")
    func mutatedASDUs() throws {
        var rng = SeededGenerator(seed: 0xBEEF)
        var errors = 0
        for index in 0..<10_000 {
            let type = TypeID.allCases[index % TypeID.allCases.count]
            let parameters = rng.parameters()
            var bytes = try rng.asdu(type, parameters: parameters).encoded(parameters: parameters)
            switch Int.random(in: 0..<3, using: &rng) {
            case 0:
                let position = Int.random(in: 0..<bytes.count, using: &rng)
                bytes[position] = rng.byte()
            case 1: bytes.removeLast(Int.random(in: 1...bytes.count, using: &rng))
            default: bytes += rng.bytes(Int.random(in: 1...8, using: &rng))
            }
            if (try? ASDU.decode(bytes, parameters: parameters)) == nil { errors += 1 }
        }
        #expect(errors > 0)
    }
}
