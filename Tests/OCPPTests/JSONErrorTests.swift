import Testing
@testable import OCPP

/// Every way the JSON reader rejects input, each with its exact byte offset and path.
@Suite struct JSONErrorTests {
    @Test(arguments: [
        ("", JSONError(.unexpectedEnd, offset: 0)),
        ("  \n", JSONError(.unexpectedEnd, offset: 3)),
        ("[1,2", JSONError(.unexpectedEnd, offset: 4, path: "$[1]")),
        (#"{"a":"#, JSONError(.unexpectedEnd, offset: 5, path: "$.a")),
        (#""abc"#, JSONError(.unexpectedEnd, offset: 4)),
        (#"["a\"#, JSONError(.unexpectedEnd, offset: 4, path: "$[0]")),
        (#""\u00"#, JSONError(.unexpectedEnd, offset: 5)),
        (#""\uD800"#, JSONError(.unexpectedEnd, offset: 7)),
        ("tru", JSONError(.unexpectedEnd, offset: 3)),
        ("{", JSONError(.unexpectedEnd, offset: 1)),
        ("[", JSONError(.unexpectedEnd, offset: 1, path: "$[0]")),
        ("x", JSONError(.unexpectedByte(0x78), offset: 0)),
        ("\u{FEFF}{}", JSONError(.unexpectedByte(0xEF), offset: 0)),
        ("[1 2]", JSONError(.unexpectedByte(0x32), offset: 3, path: "$[0]")),
        ("[1,]", JSONError(.unexpectedByte(0x5D), offset: 3, path: "$[1]")),
        ("[1}", JSONError(.unexpectedByte(0x7D), offset: 2, path: "$[0]")),
        (#"{"a" 1}"#, JSONError(.unexpectedByte(0x31), offset: 5, path: "$.a")),
        (#"{"a":1,}"#, JSONError(.unexpectedByte(0x7D), offset: 7)),
        (#"{"a":1]"#, JSONError(.unexpectedByte(0x5D), offset: 6, path: "$.a")),
        ("{1:2}", JSONError(.unexpectedByte(0x31), offset: 1)),
        ("trux", JSONError(.unexpectedByte(0x78), offset: 3)),
        ("[nulL]", JSONError(.unexpectedByte(0x4C), offset: 4, path: "$[0]")),
    ])
    func structure(input: String, expected: JSONError) {
        #expect(failure(input) == expected)
    }

    @Test(arguments: [
        ("01", 1), ("-01", 2), ("1.", 2), ("1.e3", 2), (".5", 0), ("+1", 0), ("-", 1), ("-a", 1), ("1e", 2),
        ("1e+", 3), ("1E-x", 3), ("NaN", 0), ("Infinity", 0), ("-Infinity", 1),
    ])
    func numbers(input: String, offset: Int) {
        #expect(failure(input) == JSONError(.invalidNumber, offset: offset))
    }

    @Test func numberPaths() {
        #expect(failure("[1,NaN]") == JSONError(.invalidNumber, offset: 3, path: "$[1]"))
        #expect(failure(#"{"v":00}"#) == JSONError(.invalidNumber, offset: 6, path: "$.v"))
        let error = failure(#"[2,"1","MV",{"meterValue":[-]}]"#)
        #expect(error == JSONError(.invalidNumber, offset: 28, path: "$[3].meterValue[0]"))
        #expect(error?.description == "invalid number at byte 28 ($[3].meterValue[0])")
    }

    @Test(arguments: [
        (#""a\x""#, JSONError(.invalidEscape, offset: 2)),
        (#""\'""#, JSONError(.invalidEscape, offset: 1)),
        (#""\U0041""#, JSONError(.invalidEscape, offset: 1)),
        (#""\u12G4""#, JSONError(.invalidUnicodeEscape, offset: 1)),
        (#""\uD800\u12G4""#, JSONError(.invalidUnicodeEscape, offset: 7)),
        (#""\uD800""#, JSONError(.loneSurrogate, offset: 1)),
        (#""\uDC00""#, JSONError(.loneSurrogate, offset: 1)),
        (#""\uD800\u0041""#, JSONError(.loneSurrogate, offset: 1)),
        (#""\uD800\uD800""#, JSONError(.loneSurrogate, offset: 1)),
        (#""\uD800x""#, JSONError(.loneSurrogate, offset: 1)),
        (#""x\uD800\n""#, JSONError(.loneSurrogate, offset: 2)),
        (#"{"k":["\uDFFF"]}"#, JSONError(.loneSurrogate, offset: 7, path: "$.k[0]")),
        ("\"a\tb\"", JSONError(.controlCharacterInString, offset: 2)),
        ("\"\n\"", JSONError(.controlCharacterInString, offset: 1)),
        ("\"\\n\u{1}\"", JSONError(.controlCharacterInString, offset: 3)),
        ("{\"a\u{0}\":1}", JSONError(.controlCharacterInString, offset: 3)),
    ])
    func strings(input: String, expected: JSONError) {
        #expect(failure(input) == expected)
    }

    @Test(arguments: [
        ([0x22, 0x61, 0xC3, 0x28, 0x22], 2),  // a lead byte without its continuation
        ([0x22, 0xC0, 0x80, 0x22], 1),  // overlong two-byte form
        ([0x22, 0xE0, 0x80, 0x80, 0x22], 1),  // overlong three-byte form
        ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),  // an encoded surrogate
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1),  // past U+10FFFF
        ([0x22, 0xF5, 0x80, 0x80, 0x80, 0x22], 1),
        ([0x22, 0x80, 0x22], 1),  // a continuation byte alone
        ([0x22, 0xE2, 0x82, 0x22], 1),  // truncated before the quote
        ([0x22, 0xF0, 0x9F, 0x98], 1),  // truncated by the end of input
        ([0x22, 0xE2, 0x82, 0xAC, 0xFF, 0x22], 4),  // after a valid "€"
        ([0x22, 0x5C, 0x6E, 0xFF, 0x22], 3),  // after an escape
    ] as [([UInt8], Int)])
    func invalidUTF8(input: [UInt8], offset: Int) {
        #expect(failure(input) == JSONError(.invalidUTF8, offset: offset))
    }

    @Test func nonASCIIOutsideStringsIsUnexpected() {
        #expect(failure([0x5B, 0xC3, 0xA9, 0x5D]) == JSONError(.unexpectedByte(0xC3), offset: 1, path: "$[0]"))
    }

    @Test(arguments: [("1 2", 2), ("{}x", 2), ("14.4kW", 4), ("1.5.3", 3), ("[]]", 2), (#""a""b""#, 3), ("null,", 4)])
    func trailingContent(input: String, offset: Int) {
        #expect(failure(input) == JSONError(.trailingContent, offset: offset))
    }

    @Test func depthLimit() throws {
        let deepest = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(failure(deepest) == nil)
        let tooDeep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        let path = "$" + String(repeating: "[0]", count: 64)
        #expect(failure(tooDeep) == JSONError(.tooDeep(limit: 64), offset: 64, path: path))
        let shallow = JSONLimits(maximumDepth: 2)
        #expect(failure(#"{"a":[{"b":1}]}"#, limits: shallow) == JSONError(.tooDeep(limit: 2), offset: 6, path: "$.a[0]"))
        #expect(failure("[]", limits: JSONLimits(maximumDepth: 0)) == JSONError(.tooDeep(limit: 0), offset: 0))
        #expect(try JSONParser.parse("1", limits: JSONLimits(maximumDepth: 0)) == .number(JSONNumber(1)))
        let hostile = String(repeating: "[", count: 200_000)
        #expect(failure(hostile)?.kind == .tooDeep(limit: 64), "refused long before the stack is at risk")
    }

    @Test func lengthLimit() throws {
        let limits = JSONLimits(maximumLength: 10)
        #expect(try JSONParser.parse("[1,2,3,45]", limits: limits).arrayValue?.count == 4)
        let expected = JSONError(.tooLong(limit: 10), offset: 10)
        #expect(failure("[1,2,3,4,5]", limits: limits) == expected)
        #expect(failure(Array("[1,2,3,4,5]".utf8).lazy.map { $0 }, limits: limits) == expected)
        let raw = Array("[1,2,3,4,5]".utf8).withUnsafeBytes { bytes in
            Result { () throws(JSONError) in try JSONParser.parse(bytes, limits: limits) }
        }
        #expect(raw.failure == expected)
        let big = "\"" + String(repeating: "a", count: (1 << 20) - 2) + "\""
        #expect(try JSONParser.parse(big).stringValue?.count == (1 << 20) - 2, "exactly 1 MiB is allowed")
        #expect(failure(big + " ") == JSONError(.tooLong(limit: 1 << 20), offset: 1 << 20))
    }

    @Test func emptyRawBuffer() {
        let result = Result { () throws(JSONError) in try JSONParser.parse(UnsafeRawBufferPointer(start: nil, count: 0)) }
        #expect(result.failure == JSONError(.unexpectedEnd, offset: 0))
    }

    @Test func duplicateKeys() {
        #expect(failure(#"{"a":1,"a":2}"#) == JSONError(.duplicateKey("a"), offset: 7, path: "$.a"))
        #expect(failure(#"[{"x":{"k":1,"k":[]}}]"#) == JSONError(.duplicateKey("k"), offset: 13, path: "$[0].x.k"))
        // Keys are Swift Strings, which compare by canonical equivalence: "é" and "e\u0301" are one key.
        #expect(failure(#"{"é":1,"e\u0301":2}"#)?.kind == .duplicateKey("é"))
    }

    @Test func pathsQuoteKeysThatAreNotIdentifiers() {
        #expect(failure(#"{"meter value":[1,x]}"#) == JSONError(.unexpectedByte(0x78), offset: 18, path: #"$["meter value"][1]"#))
        #expect(failure(#"{"a\"b":x}"#)?.path == #"$["a\"b"]"#)
        #expect(failure(#"{"1a":x}"#)?.path == #"$["1a"]"#)
        #expect(failure(#"{"":x}"#)?.path == #"$[""]"#)
        #expect(failure(#"{"_ok9":x}"#)?.path == "$._ok9")
    }

    @Test func descriptions() {
        let cases: [(JSONError.Kind, String)] = [
            (.unexpectedEnd, "unexpected end of input"),
            (.unexpectedByte(0x78), "unexpected byte 0x78 'x'"),
            (.unexpectedByte(0x0A), "unexpected byte 0x0A"),
            (.unexpectedByte(0xC3), "unexpected byte 0xC3"),
            (.invalidNumber, "invalid number"),
            (.invalidEscape, "invalid escape sequence"),
            (.invalidUnicodeEscape, #"invalid \u escape"#),
            (.loneSurrogate, #"lone UTF-16 surrogate in \u escape"#),
            (.controlCharacterInString, "unescaped control character in string"),
            (.invalidUTF8, "invalid UTF-8"),
            (.trailingContent, "content after the JSON value"),
            (.tooDeep(limit: 64), "nesting deeper than 64 levels"),
            (.tooLong(limit: 1024), "input longer than 1024 bytes"),
            (.duplicateKey("a\"b"), #"duplicate key "a\"b""#),
        ]
        for (kind, text) in cases {
            #expect(JSONError(kind, offset: 3, path: "$.k").description == "\(text) at byte 3 ($.k)")
        }
    }
}

/// The error parsing `input` throws, or nil when it parses.
private func failure(_ input: String, limits: JSONLimits = .default) -> JSONError? {
    failure(input.utf8, limits: limits)
}

/// The error parsing `bytes` throws, or nil when they parse.
private func failure(_ bytes: some Collection<UInt8>, limits: JSONLimits = .default) -> JSONError? {
    do {
        _ = try JSONParser.parse(bytes, limits: limits)
        return nil
    } catch {
        return error
    }
}

extension Result {
    /// The error, or nil on success.
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
