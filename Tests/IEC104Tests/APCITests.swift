import SeededRandom
import Testing
@testable import IEC104

@Suite("APCI")
struct APCITests {
    @Test("U-frames encode to their golden octets and decode back", arguments: [
        (UFunction.startDTActivation, "68 04 07 00 00 00"),
        (.startDTConfirmation, "68 04 0B 00 00 00"),
        (.stopDTActivation, "68 04 13 00 00 00"),
        (.stopDTConfirmation, "68 04 23 00 00 00"),
        (.testFRActivation, "68 04 43 00 00 00"),
        (.testFRConfirmation, "68 04 83 00 00 00"),
    ])
    func uFrames(function: UFunction, golden: String) throws {
        let bytes = try APDU.unnumbered(function).encoded()
        #expect(bytes == hex(golden))
        #expect(APDUDecoder.decode(bytes) == .frame(.unnumbered(function), consumedBytes: 6))
    }

    @Test("S-frame N(R)=300 is 68 04 01 00 58 02")
    func sFrame() throws {
        let apdu = APDU.supervisory(receive: try #require(SequenceNumber(rawValue: 300)))
        #expect(try apdu.encoded() == hex("68 04 01 00 58 02"))
        #expect(APDUDecoder.decode(hex("68 04 01 00 58 02")) == .frame(apdu, consumedBytes: 6))
    }

    @Test("I-frame N(S)=5 N(R)=300 with an ASDU")
    func iFrame() throws {
        let asdu = hex("64 01 06 00 01 00 00 00 00 14")
        let apdu = APDU.information(send: try #require(SequenceNumber(rawValue: 5)),
                                    receive: try #require(SequenceNumber(rawValue: 300)), asdu: asdu)
        let golden = hex("68 0E 0A 00 58 02") + asdu
        #expect(try apdu.encoded() == golden)
        #expect(APDUDecoder.decode(golden + hex("68 04")) == .frame(apdu, consumedBytes: 16))
    }

    @Test("Sequence numbers wrap from 32767 to 0, on the wire too")
    func sequenceWrap() throws {
        let last = try #require(SequenceNumber(rawValue: 32767))
        #expect(last.successor == .zero)
        #expect(last.advanced(by: 2).rawValue == 1)
        #expect(SequenceNumber.zero.advanced(by: -1) == last)
        #expect(last.distance(to: .zero) == 1)
        #expect(SequenceNumber(rawValue: 32768) == nil)
        let apdu = APDU.information(send: last, receive: last.successor, asdu: [0x01])
        let bytes = try apdu.encoded()
        #expect(bytes == hex("68 05 FE FF 00 00 01"))
        #expect(APDUDecoder.decode(bytes) == .frame(apdu, consumedBytes: 7))
    }

    @Test("Partial frames ask for more data")
    func needMoreData() {
        let frame = hex("68 05 02 00 00 00 01")
        for cut in 0..<frame.count {
            #expect(APDUDecoder.decode(frame.prefix(cut)) == .needMoreData)
        }
    }

    @Test("Malformed frames give typed errors", arguments: [
        ("69 04 07 00 00 00", APDUDecodingError.badStartByte(0x69)),
        ("68 03 07 00 00", .lengthTooShort(3)),
        ("68 FE", .lengthTooLong(254)),
        ("68 04 02 00 00 00", .emptyASDU),
        ("68 04 02 00 01 00", .invalidControlField([0x02, 0x00, 0x01, 0x00])),
        ("68 04 05 00 00 00", .invalidControlField([0x05, 0x00, 0x00, 0x00])),
        ("68 04 01 00 03 00", .invalidControlField([0x01, 0x00, 0x03, 0x00])),
        ("68 05 01 00 00 00 AA", .unexpectedPayload(length: 1)),
        ("68 04 0F 00 00 00", .multipleUFunctions(0x0C)),
        ("68 04 C3 00 00 00", .multipleUFunctions(0xC0)),
        ("68 04 03 00 00 00", .missingUFunction),
        ("68 04 07 01 00 00", .invalidControlField([0x07, 0x01, 0x00, 0x00])),
        ("68 05 43 00 00 00 00", .unexpectedPayload(length: 1)),
    ])
    func malformed(bytes: String, error: APDUDecodingError) {
        #expect(APDUDecoder.decode(hex(bytes)) == .failure(error))
    }

    @Test("I-frame encoding rejects empty and oversized ASDUs")
    func encodingLimits() {
        #expect(throws: APDUEncodingError.emptyASDU) { try APDU.information(send: .zero, receive: .zero, asdu: []).encoded() }
        #expect(throws: APDUEncodingError.asduTooLong(length: 250, maximum: 249)) {
            try APDU.information(send: .zero, receive: .zero, asdu: Array(repeating: 0, count: 250)).encoded()
        }
        let largest = APDU.information(send: .zero, receive: .zero, asdu: Array(repeating: 7, count: 249))
        #expect((try? largest.encoded())?.prefix(2) == [0x68, 0xFD])
    }

    @Test("A stream of frames split at every point decodes frame by frame")
    func streaming() throws {
        var rng = SeededGenerator(seed: 1)
        var frames: [APDU] = []
        for index in 0..<200 {
            let number = SequenceNumber.zero.advanced(by: index * 331)
            switch index % 3 {
            case 0: frames.append(.information(send: number, receive: number.successor,
                                               asdu: rng.bytes(Int.random(in: 1...249, using: &rng))))
            case 1: frames.append(.supervisory(receive: number))
            default: frames.append(.unnumbered(UFunction.allCases[index % 6]))
            }
        }
        var stream: [UInt8] = []
        for frame in frames { stream += try frame.encoded() }
        var buffer: [UInt8] = []
        var decoded: [APDU] = []
        var position = 0
        while position < stream.count {
            let chunk = Int.random(in: 1...40, using: &rng)
            buffer += stream[position..<min(stream.count, position + chunk)]
            position += chunk
            while case let .frame(apdu, consumed) = APDUDecoder.decode(buffer) {
                decoded.append(apdu)
                buffer.removeFirst(consumed)
            }
        }
        #expect(decoded == frames)
        #expect(buffer.isEmpty)
    }
}
