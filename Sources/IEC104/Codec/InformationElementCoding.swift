extension InformationElement {
    /// Writes the element octets (without the IOA); their count is always `typeID.elementLength`.
    func encode(into w: inout ByteWriter) {
        switch self {
        case let .singlePoint(point): w.write(point.octet)
        case let .doublePoint(point): w.write(point.octet)
        case let .normalized(value, quality): w.write(value.rawValue); w.write(quality.rawValue)
        case let .scaled(value, quality): w.write(value); w.write(quality.rawValue)
        case let .shortFloat(value, quality): w.write(value); w.write(quality.rawValue)
        case let .integratedTotals(reading): Self.write(reading, into: &w)
        case let .singlePointWithTime(point, time): w.write(point.octet); time.encode(into: &w)
        case let .doublePointWithTime(point, time): w.write(point.octet); time.encode(into: &w)
        case let .normalizedWithTime(value, quality, time):
            w.write(value.rawValue); w.write(quality.rawValue); time.encode(into: &w)
        case let .scaledWithTime(value, quality, time): w.write(value); w.write(quality.rawValue); time.encode(into: &w)
        case let .shortFloatWithTime(value, quality, time): w.write(value); w.write(quality.rawValue); time.encode(into: &w)
        case let .integratedTotalsWithTime(reading, time): Self.write(reading, into: &w); time.encode(into: &w)
        case let .singleCommand(state, qualifier): w.write(Self.sco(state, qualifier))
        case let .doubleCommand(state, qualifier): w.write(state.rawValue | qualifier.bits)
        case let .setpointNormalized(value, qualifier): w.write(value.rawValue); w.write(qualifier.octet)
        case let .setpointScaled(value, qualifier): w.write(value); w.write(qualifier.octet)
        case let .setpointFloat(value, qualifier): w.write(value); w.write(qualifier.octet)
        case let .singleCommandWithTime(state, qualifier, time): w.write(Self.sco(state, qualifier)); time.encode(into: &w)
        case let .doubleCommandWithTime(state, qualifier, time):
            w.write(state.rawValue | qualifier.bits); time.encode(into: &w)
        case let .setpointNormalizedWithTime(value, qualifier, time):
            w.write(value.rawValue); w.write(qualifier.octet); time.encode(into: &w)
        case let .setpointScaledWithTime(value, qualifier, time):
            w.write(value); w.write(qualifier.octet); time.encode(into: &w)
        case let .setpointFloatWithTime(value, qualifier, time):
            w.write(value); w.write(qualifier.octet); time.encode(into: &w)
        case let .endOfInitialization(coi): w.write(coi.octet)
        case let .interrogation(qualifier): w.write(qualifier)
        case let .counterInterrogation(qcc): w.write(qcc.octet)
        case .read: break
        case let .clockSynchronization(time): time.encode(into: &w)
        case let .testCommand(counter, time): w.write(counter); time.encode(into: &w)
        }
    }

    /// Reads one element of `type`; throws (never traps) when the octets run out.
    static func decode(_ type: TypeID, from r: inout ByteReader) throws(ASDUDecodingError) -> InformationElement {
        switch type {
        case .M_SP_NA_1: return .singlePoint(SinglePoint(octet: try r.readUInt8()))
        case .M_DP_NA_1: return .doublePoint(DoublePoint(octet: try r.readUInt8()))
        case .M_ME_NA_1: return .normalized(try normalized(&r), try quality(&r))
        case .M_ME_NB_1: return .scaled(try r.readInt16(), try quality(&r))
        case .M_ME_NC_1: return .shortFloat(try r.readFloat(), try quality(&r))
        case .M_IT_NA_1: return .integratedTotals(try reading(&r))
        case .M_SP_TB_1: return .singlePointWithTime(SinglePoint(octet: try r.readUInt8()), try .decode(from: &r))
        case .M_DP_TB_1: return .doublePointWithTime(DoublePoint(octet: try r.readUInt8()), try .decode(from: &r))
        case .M_ME_TD_1: return .normalizedWithTime(try normalized(&r), try quality(&r), try .decode(from: &r))
        case .M_ME_TE_1: return .scaledWithTime(try r.readInt16(), try quality(&r), try .decode(from: &r))
        case .M_ME_TF_1: return .shortFloatWithTime(try r.readFloat(), try quality(&r), try .decode(from: &r))
        case .M_IT_TB_1: return .integratedTotalsWithTime(try reading(&r), try .decode(from: &r))
        case .C_SC_NA_1:
            let octet = try r.readUInt8()
            return .singleCommand(octet & 0x01 != 0, CommandQualifier(octet: octet))
        case .C_DC_NA_1:
            let octet = try r.readUInt8()
            return .doubleCommand(DoublePointState(lowBitsOf: octet), CommandQualifier(octet: octet))
        case .C_SE_NA_1: return .setpointNormalized(try normalized(&r), SetpointQualifier(octet: try r.readUInt8()))
        case .C_SE_NB_1: return .setpointScaled(try r.readInt16(), SetpointQualifier(octet: try r.readUInt8()))
        case .C_SE_NC_1: return .setpointFloat(try r.readFloat(), SetpointQualifier(octet: try r.readUInt8()))
        case .C_SC_TA_1:
            let octet = try r.readUInt8()
            return .singleCommandWithTime(octet & 0x01 != 0, CommandQualifier(octet: octet), try .decode(from: &r))
        case .C_DC_TA_1:
            let octet = try r.readUInt8()
            return .doubleCommandWithTime(DoublePointState(lowBitsOf: octet), CommandQualifier(octet: octet),
                                          try .decode(from: &r))
        case .C_SE_TA_1:
            return .setpointNormalizedWithTime(try normalized(&r), SetpointQualifier(octet: try r.readUInt8()),
                                               try .decode(from: &r))
        case .C_SE_TB_1:
            return .setpointScaledWithTime(try r.readInt16(), SetpointQualifier(octet: try r.readUInt8()),
                                           try .decode(from: &r))
        case .C_SE_TC_1:
            return .setpointFloatWithTime(try r.readFloat(), SetpointQualifier(octet: try r.readUInt8()),
                                          try .decode(from: &r))
        case .M_EI_NA_1: return .endOfInitialization(CauseOfInitialization(octet: try r.readUInt8()))
        case .C_IC_NA_1: return .interrogation(qualifier: try r.readUInt8())
        case .C_CI_NA_1: return .counterInterrogation(CounterInterrogationQualifier(octet: try r.readUInt8()))
        case .C_RD_NA_1: return .read
        case .C_CS_NA_1: return .clockSynchronization(try .decode(from: &r))
        case .C_TS_TA_1: return .testCommand(counter: try r.readUInt16(), try .decode(from: &r))
        }
    }

    /// The SCO octet: state in bit 0, then the qualifier bits.
    private static func sco(_ state: Bool, _ qualifier: CommandQualifier) -> UInt8 { (state ? 0x01 : 0) | qualifier.bits }

    /// Writes a BCR: the counter, then the flags octet.
    private static func write(_ reading: BinaryCounterReading, into w: inout ByteWriter) {
        w.write(reading.value)
        w.write(reading.flagsOctet)
    }

    /// Reads an NVA word.
    private static func normalized(_ r: inout ByteReader) throws(ASDUDecodingError) -> NormalizedValue {
        NormalizedValue(rawValue: try r.readInt16())
    }

    /// Reads a QDS octet.
    private static func quality(_ r: inout ByteReader) throws(ASDUDecodingError) -> QualityDescriptor {
        QualityDescriptor(rawValue: try r.readUInt8())
    }

    /// Reads a BCR.
    private static func reading(_ r: inout ByteReader) throws(ASDUDecodingError) -> BinaryCounterReading {
        BinaryCounterReading(value: try r.readInt32(), flagsOctet: try r.readUInt8())
    }
}
