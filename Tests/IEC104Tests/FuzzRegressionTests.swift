import Testing
@testable import IEC104

/// Inputs the libFuzzer target `FuzzAPDU` found; each must stay fixed.
@Suite struct FuzzRegressionTests {
    static let crashes: [[UInt8]] = [
        [104, 16, 8, 0, 0, 0, 1, 131, 20, 0, 1, 0, 208, 7, 0, 1, 104, 18, 6, 0, 0, 1, 8, 0, 15, 1, 37, 0, 1, 0, 233, 3,
         255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255,
         255, 255, 255, 255, 255, 255, 0, 64, 226, 1, 0, 5],
    ]

    /// Reserved SIQ/DIQ bits are ignored on decoding (as lib60870 does), so the first re-encoding may differ
    /// from the input; from then on encoding and decoding must agree byte for byte.
    @Test("frames re-encode to their own bytes; ASDU decoding is stable after one normalization", arguments: crashes)
    func roundTrip(_ input: [UInt8]) throws {
        var buffer = input
        while !buffer.isEmpty {
            guard case .frame(let apdu, let consumed) = APDUDecoder.decode(buffer) else { return }
            #expect((try? apdu.encoded()) == Array(buffer.prefix(consumed)), "APDU \(apdu)")
            if case .information(_, _, let bytes) = apdu, let asdu = try? ASDU.decode(bytes) {
                let normalized = try asdu.encoded()
                #expect(try ASDU.decode(normalized).encoded() == normalized, "ASDU \(asdu)")
                #expect(normalized.count == bytes.count, "normalization keeps the length")
            }
            buffer.removeFirst(consumed)
        }
    }
}
