import CYAML

/// Converts libyaml's error state into a `YAMLError` with a 1-based mark.
enum LibyamlError {
    /// The error libyaml reported. Reader errors (bad UTF-8, control characters) carry a byte offset
    /// rather than a mark, so their line and column are counted from the input.
    static func make(_ parser: yaml_parser_t, input: UnsafeBufferPointer<UInt8>) -> YAMLError {
        var problem = parser.problem.map { String(cString: $0) } ?? "unreadable input"
        let context = parser.context.map { String(cString: $0) }
        guard parser.error == YAML_READER_ERROR else {
            let m = parser.problem_mark, c = parser.context_mark
            return YAMLError(.syntax(problem: problem, context: context), at: Mark(line: Int(m.line) + 1, column: Int(m.column) + 1),
                             contextMark: context == nil ? nil : Mark(line: Int(c.line) + 1, column: Int(c.column) + 1))
        }
        if parser.problem_value >= 0 {
            problem += " (#" + String(UInt32(parser.problem_value), radix: 16, uppercase: true) + ")"
        }
        let at = mark(ofByte: Int(parser.problem_offset), in: input, encoding: parser.encoding)
        return YAMLError(.syntax(problem: problem, context: context), at: at)
    }

    /// The line and column (in characters, as libyaml counts them) of a byte offset.
    static func mark(ofByte offset: Int, in input: UnsafeBufferPointer<UInt8>, encoding: yaml_encoding_t) -> Mark {
        let prefix = UnsafeBufferPointer(rebasing: input[0..<max(0, min(offset, input.count))])
        let text: String
        switch encoding {
        case YAML_UTF16LE_ENCODING, YAML_UTF16BE_ENCODING:
            let bigEndian = encoding == YAML_UTF16BE_ENCODING
            let units = stride(from: 0, to: prefix.count - 1, by: 2).map { i -> UInt16 in
                let a = UInt16(prefix[i]), b = UInt16(prefix[i + 1])
                return bigEndian ? a << 8 | b : b << 8 | a
            }
            text = String(decoding: units, as: UTF16.self)
        default:
            text = String(decoding: prefix, as: UTF8.self)
        }
        var line = 1, column = 1
        var afterCR = false
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\u{FEFF}" where line == 1 && column == 1:
                continue
            case "\n" where afterCR:
                break
            case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}":
                line += 1
                column = 1
            default:
                column += 1
            }
            afterCR = scalar == "\r"
        }
        return Mark(line: line, column: column)
    }
}
