import SeededRandom
import Testing
@testable import OCPP

/// The string helpers of the hot path agree with the plain definitions they stand in for.
@Suite struct StringMatchingTests {
    /// Texts that test length grouping and Unicode equivalence: ASCII, precomposed and decomposed letters, the
    /// Kelvin sign (canonically a "K") and the empty string.
    static let texts = [
        "", "K", "k", "\u{212A}", "\u{212A}W", "KW", "kW", "W", "é", "e\u{301}", "Wh", "wh", "L1", "L1-N",
        "Energy.Active.Import.Register", "Energy.Active.Export.Register", "Power.Active.Import", "x\u{301}", "Hz",
    ]

    @Test func vocabularyFindsWhatFirstIndexFinds() {
        var rng = SplitMix64(seed: 0x564F_4341)
        for _ in 0..<3_000 {
            let entries = (0..<Int.random(in: 0...8, using: &rng)).map { _ in Self.texts.randomElement(using: &rng) ?? "" }
            let vocabulary = StringVocabulary(entries)
            for text in Self.texts {
                #expect(vocabulary.firstIndex(of: text) == entries.firstIndex(of: text), "\(entries) \(text)")
                #expect(vocabulary.contains(text) == entries.contains(text))
            }
        }
    }

    @Test func asciiCheck() {
        #expect("".isASCII && "plain text 123".isASCII && "\u{7F}".isASCII)
        #expect(!"é".isASCII && !"a\u{80}".isASCII && !"\u{212A}".isASCII && !String(repeating: "a", count: 40).appending("€").isASCII)
    }

    /// Whether the reader may copy `byte` into a string as it is: the byte-by-byte definition.
    static func isSpecial(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte >= 0x80 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    @Test func wordScanFindsTheFirstSpecialByte() {
        var rng = SplitMix64(seed: 0x5357_4152)
        let interesting: [UInt8] = [0x00, 0x01, 0x1F, 0x20, 0x21, 0x22, 0x23, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F, 0x80, 0xC3, 0xFF]
        for round in 0..<50_000 {
            let bytes = (0..<8).map { _ in
                round.isMultiple(of: 2) ? UInt8.random(in: 0...255, using: &rng) : interesting.randomElement(using: &rng) ?? 0
            }
            let word = bytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let special = JSONReader.specialBytes(in: word)
            let first = bytes.firstIndex(where: Self.isSpecial)
            #expect((special == 0) == (first == nil), "\(bytes)")
            if let first { #expect(special.trailingZeroBitCount / 8 == first, "\(bytes)") }
            #expect(bytes.allSatisfy { JSONReader.isPlainASCII($0) == !Self.isSpecial($0) })
        }
    }

    @Test func stringsOfEveryLengthWithASpecialByteAnywhere() throws {
        // Each length and position around the eight-byte steps, with an escape, a non-ASCII letter or nothing.
        for length in 0...40 {
            for position in 0...length {
                for insert in ["", "\\n", "é", "\\u0041"] {
                    var characters = Array(repeating: "a", count: length)
                    characters.insert(insert, at: position)
                    let body = characters.joined()
                    let value = try JSONParser.parse(#"["\#(body)", 1]"#)
                    let expected = body.replacingEscapes()
                    #expect(value == .array([.string(expected), .number(JSONNumber(1))]), "\(body)")
                }
            }
        }
        for length in 0...20 {
            let text = #"[""# + String(repeating: "b", count: length) + "\u{1}" + #""]"#
            #expect(throws: JSONError(.controlCharacterInString, offset: 2 + length, path: "$[0]")) {
                try JSONParser.parse(text)
            }
        }
    }

    @Test func decimalsAgreeWithTheGrammarAndStrtod() {
        var rng = SplitMix64(seed: 0x4445_4349)
        let alphabet = Array("0123456789.+-eE ,x")
        for round in 0..<20_000 {
            var text: String
            if round.isMultiple(of: 3) {
                text = String((0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? "0" })
            } else {
                let digits = (0..<Int.random(in: 1...22, using: &rng)).map { _ in String(Int.random(in: 0...9, using: &rng)) }.joined()
                let point = Int.random(in: 0...digits.count, using: &rng)
                text = (Bool.random(using: &rng) ? "-" : "") + digits.prefix(point) + "." + digits.dropFirst(point)
                if Bool.random(using: &rng) { text += "e" + String(Int.random(in: -40...40, using: &rng)) }
            }
            #expect(LegacyValueSanitizer.decimal(Substring(text))?.bitPattern == Self.referenceDecimal(text)?.bitPattern, "\(text)")
            #expect(LegacyValueSanitizer.decimal(text)?.bitPattern == Self.referenceDecimal(text)?.bitPattern, "\(text)")
        }
    }

    /// The strict decimal grammar checked with a regular loop, then strtod: what the sanitizer always meant.
    static func referenceDecimal(_ text: String) -> Double? {
        var rest = Substring(text)
        if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
        let whole = rest.prefix(while: \.isASCIIDigit).count
        rest = rest.dropFirst(whole)
        var fraction = 0
        if rest.first == "." {
            rest = rest.dropFirst()
            fraction = rest.prefix(while: \.isASCIIDigit).count
            rest = rest.dropFirst(fraction)
        }
        guard whole + fraction > 0 else { return nil }
        if rest.first == "e" || rest.first == "E" {
            rest = rest.dropFirst()
            if rest.first == "+" || rest.first == "-" { rest = rest.dropFirst() }
            let exponent = rest.prefix(while: \.isASCIIDigit).count
            guard exponent > 0 else { return nil }
            rest = rest.dropFirst(exponent)
        }
        guard rest.isEmpty, let value = Double(text), value.isFinite else { return nil }
        return value
    }

    @Test func asciiValuesReadByteByByteAsCharacterByCharacter() {
        var rng = SplitMix64(seed: 0x4153_4349)
        let alphabet: [String] = ["1", "4", "0", ".", ",", "-", "+", "e", " ", "\t", "\r", "\n", "\r\n", "k", "W", "h",
                                  "V", "A", "%", "C", "z", "H", "x"]
        for _ in 0..<20_000 {
            let text = (0..<Int.random(in: 0...9, using: &rng)).map { _ in alphabet.randomElement(using: &rng) ?? "" }.joined()
            var bytes = text
            let byBytes = bytes.withUTF8 { LegacyValueSanitizer.readASCII($0[...], text) }
            #expect(byBytes == LegacyValueSanitizer.readCharacters(text), "\(Array(text.utf8))")
            #expect(LegacyValueSanitizer.read(text) == byBytes)
        }
    }
}

private extension Character {
    /// Whether this is one of the ASCII digits.
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}

private extension String {
    /// This test body with its JSON escapes (`\n`, `\u0041`) decoded.
    func replacingEscapes() -> String {
        normalizerReplacing("\\n", "\n").normalizerReplacing("\\u0041", "A")
    }
}
