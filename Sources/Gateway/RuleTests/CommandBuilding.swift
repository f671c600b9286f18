import IEC104

/// Turning a command value written in a test into the command the station decodes for a type.
enum CommandBuilding {
    /// Why a value does not fit a command type.
    struct Problem: Error {
        let message: String
    }

    /// The command of `type` carrying `value`.
    static func command(_ value: CommandValueInput, as type: TypeID) -> Result<Command, Problem> {
        let base = type.nonTimeTagged
        switch (base, value) {
        case let (.C_SC_NA_1, .bool(flag)): return .success(.single(flag, qualifier: 0))
        case (.C_SC_NA_1, .doublePoint(.on)): return .success(.single(true, qualifier: 0))
        case (.C_SC_NA_1, .doublePoint(.off)): return .success(.single(false, qualifier: 0))
        case let (.C_DC_NA_1, .doublePoint(state)): return .success(.double(state, qualifier: 0))
        case let (.C_DC_NA_1, .bool(flag)): return .success(.double(flag ? .on : .off, qualifier: 0))
        case let (.C_SE_NA_1, .number(fraction)):
            guard (-1...1).contains(fraction) else { return .failure(Problem(message: "\(type) takes a fraction −1…1, found \(fraction)")) }
            return .success(.setpointNormalized(NormalizedValue(fraction)))
        case let (.C_SE_NB_1, .number(number)):
            guard number == number.rounded(), let scaled = Int16(exactly: number) else {
                return .failure(Problem(message: "\(type) takes a whole number −32768…32767, found \(OutputText.number(number))"))
            }
            return .success(.setpointScaled(scaled))
        case let (.C_SE_NC_1, .number(number)):
            return .success(.setpointFloat(Float(number)))
        default:
            let wanted = switch base {
            case .C_SC_NA_1: "true/false (or on/off)"
            case .C_DC_NA_1: "on/off (or true/false)"
            default: "a number"
            }
            return .failure(Problem(message: "\(type) takes \(wanted)"))
        }
    }
}
