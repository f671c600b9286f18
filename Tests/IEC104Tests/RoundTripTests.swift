import SeededRandom
import Testing
@testable import IEC104

@Suite("Round trips")
struct RoundTripTests {
    @Test("Random ASDUs of every type survive encode → decode", arguments: TypeID.allCases)
    func everyType(type: TypeID) throws {
        var rng = SeededGenerator(seed: 0xC0DE + UInt64(type.rawValue))
        for _ in 0..<300 {
            let parameters = rng.parameters()
            let asdu = rng.asdu(type, parameters: parameters)
            let bytes = try asdu.encoded(parameters: parameters)
            #expect(bytes.count == ASDU.encodedLength(of: type, count: asdu.objects.count, isSequence: asdu.isSequence,
                                                      parameters: parameters))
            #expect(bytes.count <= 249)
            #expect(try ASDU.decode(bytes, parameters: parameters) == asdu)
        }
    }

    @Test("Random APDUs survive encode → decode")
    func apdus() throws {
        var rng = SeededGenerator(seed: 42)
        for _ in 0..<2000 {
            let send = SequenceNumber.zero.advanced(by: Int.random(in: 0..<32768, using: &rng))
            let receive = SequenceNumber.zero.advanced(by: Int.random(in: 0..<32768, using: &rng))
            let apdu: APDU = switch Int.random(in: 0..<3, using: &rng) {
            case 0: .information(send: send, receive: receive, asdu: rng.bytes(Int.random(in: 1...249, using: &rng)))
            case 1: .supervisory(receive: receive)
            default: .unnumbered(UFunction.allCases.randomElement(using: &rng) ?? .testFRActivation)
            }
            let bytes = try apdu.encoded()
            #expect(APDUDecoder.decode(bytes) == .frame(apdu, consumedBytes: bytes.count))
        }
    }

    @Test("Normalized values map −1 … 1 − 2⁻¹⁵ onto Int16 and clamp beyond")
    func normalizedValues() {
        #expect(NormalizedValue(rawValue: .min).doubleValue == -1)
        #expect(NormalizedValue(rawValue: .max).doubleValue == 1 - 1.0 / 32768)
        #expect(NormalizedValue(0.5).rawValue == 16384)
        #expect(NormalizedValue(1.0).rawValue == .max)
        #expect(NormalizedValue(-7).rawValue == .min)
        #expect(NormalizedValue(.nan).rawValue == 0)
        #expect(NormalizedValue(.infinity).rawValue == .max)
        var rng = SeededGenerator(seed: 9)
        for _ in 0..<5000 {
            let value = rng.normalized()
            #expect(NormalizedValue(value.doubleValue) == value)
        }
    }
}
