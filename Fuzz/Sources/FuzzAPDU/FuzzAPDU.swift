import IEC104

/// libFuzzer entry: splits the bytes into APDUs as a receive buffer would, decodes each I-frame's ASDU,
/// and checks that frames re-encode to their own bytes and that decoding is stable: reserved bits a
/// decoder ignores may vanish once, but encoding what was decoded and decoding it again changes nothing.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAPDU(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var buffer = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    while !buffer.isEmpty {
        guard case .frame(let apdu, let consumed) = APDUDecoder.decode(buffer) else { return 0 }
        precondition(consumed >= 6 && consumed <= buffer.count)
        if let again = try? apdu.encoded() { precondition(again == Array(buffer.prefix(consumed))) }
        if case .information(_, _, let bytes) = apdu, let asdu = try? ASDU.decode(bytes) {
            guard let normalized = try? asdu.encoded() else { preconditionFailure("a decoded ASDU always encodes") }
            let again = try? ASDU.decode(normalized).encoded()
            precondition(again == normalized, "decode ∘ encode is stable")
        }
        buffer.removeFirst(consumed)
    }
    return 0
}
