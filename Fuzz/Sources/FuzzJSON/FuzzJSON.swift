import OCPP

/// libFuzzer entry: parses the bytes as one OCPP-J frame would be, and checks the reader's promises: it never
/// traps, an error points inside the input, and a value it returns writes out as text that reads back to itself.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let raw = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    let result = Result { () throws(JSONError) in try JSONParser.parse(raw) }
    let viaArray = Result { () throws(JSONError) in try JSONParser.parse(Array(raw)) }
    precondition(result == viaArray, "raw memory and [UInt8] disagree")
    switch result {
    case .success(let value):
        let text = value.serialized()
        var bytes: [UInt8] = []
        value.write(into: &bytes)
        precondition(bytes == Array(text.utf8), "serialized() and write(into:) disagree")
        guard let again = try? JSONParser.parse(text) else { preconditionFailure("serialized text does not parse: \(text)") }
        precondition(again == value, "round trip changed the value: \(text)")
        precondition(again.serialized() == text, "serialization is not stable: \(text)")
    case .failure(let error):
        precondition((0...raw.count).contains(error.offset), "offset outside the input: \(error)")
        precondition(error.path.hasPrefix("$"), "path without root: \(error)")
        _ = error.description
    }
    return 0
}
