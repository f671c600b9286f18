import SeededRandom
import Testing
import YAML

/// libyaml's scanner, parser and reader errors come back as fatal `.syntax` errors with a 1-based mark.
@Suite struct SyntaxErrorTests {
    @Test func badIndentation() throws {
        let error = try fatal("station:\n  common_address: 1\n    listen: x\n")
        #expect(error == YAMLError(.syntax(problem: "mapping values are not allowed in this context", context: nil), at: at(3, 11)))
        #expect(error.description == "3:11: YAML syntax error: mapping values are not allowed in this context")
    }

    @Test func unterminatedQuote() throws {
        let error = try fatal("a: \"abc\nb: 1\n")
        #expect(error == YAMLError(.syntax(problem: "found unexpected end of stream", context: "while scanning a quoted scalar"), at: at(3, 1), contextMark: at(1, 4)))
        #expect(error.related?.message == "while scanning a quoted scalar that started here")
        #expect(error.related?.mark == at(1, 4))
        #expect(error.message == "YAML syntax error: found unexpected end of stream (while scanning a quoted scalar)")
        let single = try fatal("a: 'abc")
        #expect(single.kind == .syntax(problem: "found unexpected end of stream", context: "while scanning a quoted scalar"))
        #expect(single.mark == at(1, 8))
    }

    @Test func tabIndentation() throws {
        let error = try fatal("points:\n\t- signal: x\n")
        #expect(error == YAMLError(.syntax(problem: "found character that cannot start any token", context: "while scanning for the next token"), at: at(2, 1), contextMark: at(2, 1)))
        #expect(error.related == nil, "a context starting where the problem is adds nothing")
    }

    @Test func unclosedFlowSequence() throws {
        let error = try fatal("a: [1, 2\nb: 3\n")
        guard case .syntax(let problem, let context) = error.kind else {
            Issue.record("expected a syntax error, got \(error)")
            return
        }
        #expect(problem == "did not find expected ',' or ']'")
        #expect(context == "while parsing a flow sequence")
        #expect(error.mark == at(2, 2))
    }

    @Test func valueAfterValue() throws {
        let error = try fatal("key: value: x\n")
        #expect(error == YAMLError(.syntax(problem: "mapping values are not allowed in this context", context: nil), at: at(1, 11)))
    }

    @Test func blockSequenceThenMappingAtTheSameLevel() throws {
        let error = try fatal("- a\nb: c\n")
        guard case .syntax = error.kind else {
            Issue.record("expected a syntax error, got \(error)")
            return
        }
        #expect(error.mark.line == 2)
    }

    @Test func anErrorInALaterDocumentDropsEveryDocument() throws {
        let stream = YAMLParser.parse("a: 1\n---\nb: [\n")
        #expect(stream.documents.isEmpty)
        #expect(stream.errors.count == 1)
        #expect(stream.errors.first?.isFatal == true)
    }

    @Test func invalidLeadingUTF8Octet() throws {
        let error = try fatal(Array("a: 1\nb: x".utf8) + [0xFF] + Array(" y\n".utf8))
        #expect(error == YAMLError(.syntax(problem: "invalid leading UTF-8 octet (#FF)", context: nil), at: at(2, 5)))
    }

    @Test func invalidTrailingUTF8Octet() throws {
        let error = try fatal(Array("a: 1\nbb: ".utf8) + [0xC3, 0x28])
        #expect(error.kind == .syntax(problem: "invalid trailing UTF-8 octet (#28)", context: nil))
        #expect(error.mark == at(2, 6), "the byte after the broken lead byte")
    }

    @Test func truncatedUTF8AtTheEnd() throws {
        let error = try fatal(Array("é: ".utf8) + [0xE2, 0x82])
        #expect(error == YAMLError(.syntax(problem: "incomplete UTF-8 octet sequence", context: nil), at: at(1, 4)))
    }

    @Test func surrogatesAndOverlongFormsAreRefused() throws {
        let surrogate = try fatal(Array("k: ".utf8) + [0xED, 0xA0, 0x80])
        #expect(surrogate == YAMLError(.syntax(problem: "invalid Unicode character (#D800)", context: nil), at: at(1, 4)))
        let overlong = try fatal(Array("k: ".utf8) + [0xC0, 0x80])
        #expect(overlong.mark == at(1, 4))
        guard case .syntax(let problem, _) = overlong.kind else {
            Issue.record("expected a syntax error, got \(overlong)")
            return
        }
        #expect(problem.contains("UTF-8"))
    }

    @Test func nulByte() throws {
        let error = try fatal(Array("a: 1\nb: ".utf8) + [0] + Array("\n".utf8))
        #expect(error == YAMLError(.syntax(problem: "control characters are not allowed (#0)", context: nil), at: at(2, 4)))
    }

    @Test func controlCharacterAfterMultiByteTextAndCRLF() throws {
        let error = try fatal(Array("ü: 1\r\nnäme: \"日本".utf8) + [0x07] + Array("\"\n".utf8))
        #expect(error == YAMLError(.syntax(problem: "control characters are not allowed (#7)", context: nil), at: at(2, 10)))
    }

    @Test func byteOrderMarkIsNotAColumn() throws {
        let error = try fatal([0xEF, 0xBB, 0xBF] + Array("a: ".utf8) + [0x01])
        #expect(error.mark == at(1, 4))
    }

    @Test func utf16ReaderErrors() throws {
        // UTF-16LE with a BOM: "a: " then a lone low surrogate.
        let lone = try fatal([0xFF, 0xFE, 0x61, 0, 0x3A, 0, 0x20, 0, 0x00, 0xDC])
        #expect(lone.kind == .syntax(problem: "unexpected low surrogate area (#DC00)", context: nil))
        #expect(lone.mark == at(1, 4))
        // UTF-16BE: "x:\n" then a NUL character.
        let nul = try fatal([0xFE, 0xFF, 0, 0x78, 0, 0x3A, 0, 0x0A, 0, 0])
        #expect(nul == YAMLError(.syntax(problem: "control characters are not allowed (#0)", context: nil), at: at(2, 1)))
    }

    @Test func randomGarbageGivesErrorsNotCrashes() {
        var rng = SplitMix64(seed: 0x0CB9_0809)
        let alphabet = Array("-:[]{},?&*!|>'\"%@`#\n\t \\<=~0aZ".utf8)
        var failed = 0
        for round in 0..<4_000 {
            let count = Int.random(in: 0...256, using: &rng)
            let bytes: [UInt8] = (0..<count).map { _ in
                round % 2 == 0 ? UInt8.random(in: 0...255, using: &rng) : alphabet.randomElement(using: &rng)!
            }
            let stream = YAMLParser.parse(bytes)
            checkInvariants(stream, input: bytes)
            if stream.errors.contains(where: \.isFatal) { failed += 1 }
        }
        #expect(failed > 1_000, "random input is mostly invalid")
    }

    @Test func mutatedRuleFilesGiveErrorsNotCrashes() {
        let original = Array("""
            station:
              common_address: 1
              listen: "0.0.0.0:2404"
            templates:
              ac: &ac
                points:
                  - {signal: power_kw, offset: 0, type: M_ME_TF_1, unit: kW}
                  - signal: status
                    offset: 1
                    type: M_SP_TB_1
                    from: {action: StatusNotification, transform: [{map: {Available: false, "*": true}}]}
            chargers:
              - {id: CP1, template: ac, ioa_base: 1000}
              - <<: *ac
                id: CP2

            """.utf8)
        _ = YAMLParser.parse(original)
        var rng = SplitMix64(seed: 42)
        for _ in 0..<3_000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[i] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.remove(at: i)
                default: bytes.insert(bytes[Int.random(in: 0..<bytes.count, using: &rng)], at: i)
                }
            }
            checkInvariants(YAMLParser.parse(bytes), input: bytes)
        }
    }

    private func checkInvariants(_ stream: YAMLStream, input: [UInt8]) {
        let fatalCount = stream.errors.filter(\.isFatal).count
        #expect(fatalCount <= 1, "at most one fatal error: \(stream.errors)")
        if fatalCount == 1 {
            #expect(stream.errors.last?.isFatal == true, "the fatal error comes last")
            #expect(stream.documents.isEmpty)
        }
        for error in stream.errors {
            #expect(error.mark.line >= 1 && error.mark.column >= 1, "\(error)")
            #expect(error.mark.line <= input.count + 1, "\(error)")
        }
    }
}
