/// The information element(s) of one information object, one case per supported type id.
public enum InformationElement: Hashable, Sendable {
    /// M_SP_NA_1: single-point information.
    case singlePoint(SinglePoint)
    /// M_DP_NA_1: double-point information.
    case doublePoint(DoublePoint)
    /// M_ME_NA_1: normalized measured value.
    case normalized(NormalizedValue, QualityDescriptor)
    /// M_ME_NB_1: scaled measured value.
    case scaled(Int16, QualityDescriptor)
    /// M_ME_NC_1: short floating point measured value.
    case shortFloat(Float, QualityDescriptor)
    /// M_IT_NA_1: integrated totals.
    case integratedTotals(BinaryCounterReading)
    /// M_SP_TB_1: single-point information with time tag.
    case singlePointWithTime(SinglePoint, CP56Time2a)
    /// M_DP_TB_1: double-point information with time tag.
    case doublePointWithTime(DoublePoint, CP56Time2a)
    /// M_ME_TD_1: normalized measured value with time tag.
    case normalizedWithTime(NormalizedValue, QualityDescriptor, CP56Time2a)
    /// M_ME_TE_1: scaled measured value with time tag.
    case scaledWithTime(Int16, QualityDescriptor, CP56Time2a)
    /// M_ME_TF_1: short floating point measured value with time tag.
    case shortFloatWithTime(Float, QualityDescriptor, CP56Time2a)
    /// M_IT_TB_1: integrated totals with time tag.
    case integratedTotalsWithTime(BinaryCounterReading, CP56Time2a)
    /// C_SC_NA_1: single command (state and qualifier).
    case singleCommand(Bool, CommandQualifier)
    /// C_DC_NA_1: double command (only off and on are permitted states; others are carried for rejection).
    case doubleCommand(DoublePointState, CommandQualifier)
    /// C_SE_NA_1: set-point, normalized value.
    case setpointNormalized(NormalizedValue, SetpointQualifier)
    /// C_SE_NB_1: set-point, scaled value.
    case setpointScaled(Int16, SetpointQualifier)
    /// C_SE_NC_1: set-point, short floating point.
    case setpointFloat(Float, SetpointQualifier)
    /// C_SC_TA_1: single command with time tag.
    case singleCommandWithTime(Bool, CommandQualifier, CP56Time2a)
    /// C_DC_TA_1: double command with time tag.
    case doubleCommandWithTime(DoublePointState, CommandQualifier, CP56Time2a)
    /// C_SE_TA_1: set-point, normalized value, with time tag.
    case setpointNormalizedWithTime(NormalizedValue, SetpointQualifier, CP56Time2a)
    /// C_SE_TB_1: set-point, scaled value, with time tag.
    case setpointScaledWithTime(Int16, SetpointQualifier, CP56Time2a)
    /// C_SE_TC_1: set-point, short floating point, with time tag.
    case setpointFloatWithTime(Float, SetpointQualifier, CP56Time2a)
    /// M_EI_NA_1: end of initialization.
    case endOfInitialization(CauseOfInitialization)
    /// C_IC_NA_1: interrogation with its qualifier QOI (20 station, 21–36 groups 1–16).
    case interrogation(qualifier: UInt8)
    /// C_CI_NA_1: counter interrogation.
    case counterInterrogation(CounterInterrogationQualifier)
    /// C_RD_NA_1: read command (no element, only the address).
    case read
    /// C_CS_NA_1: clock synchronization.
    case clockSynchronization(CP56Time2a)
    /// C_TS_TA_1: test command with its test sequence counter TSC.
    case testCommand(counter: UInt16, CP56Time2a)

    /// The type id an ASDU carrying this element must have.
    public var typeID: TypeID {
        switch self {
        case .singlePoint: .M_SP_NA_1
        case .doublePoint: .M_DP_NA_1
        case .normalized: .M_ME_NA_1
        case .scaled: .M_ME_NB_1
        case .shortFloat: .M_ME_NC_1
        case .integratedTotals: .M_IT_NA_1
        case .singlePointWithTime: .M_SP_TB_1
        case .doublePointWithTime: .M_DP_TB_1
        case .normalizedWithTime: .M_ME_TD_1
        case .scaledWithTime: .M_ME_TE_1
        case .shortFloatWithTime: .M_ME_TF_1
        case .integratedTotalsWithTime: .M_IT_TB_1
        case .singleCommand: .C_SC_NA_1
        case .doubleCommand: .C_DC_NA_1
        case .setpointNormalized: .C_SE_NA_1
        case .setpointScaled: .C_SE_NB_1
        case .setpointFloat: .C_SE_NC_1
        case .singleCommandWithTime: .C_SC_TA_1
        case .doubleCommandWithTime: .C_DC_TA_1
        case .setpointNormalizedWithTime: .C_SE_TA_1
        case .setpointScaledWithTime: .C_SE_TB_1
        case .setpointFloatWithTime: .C_SE_TC_1
        case .endOfInitialization: .M_EI_NA_1
        case .interrogation: .C_IC_NA_1
        case .counterInterrogation: .C_CI_NA_1
        case .read: .C_RD_NA_1
        case .clockSynchronization: .C_CS_NA_1
        case .testCommand: .C_TS_TA_1
        }
    }
}
