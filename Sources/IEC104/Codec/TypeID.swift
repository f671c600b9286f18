/// The ASDU type identifications this gateway understands (IEC 60870-5-101/104).
public enum TypeID: UInt8, CaseIterable, Sendable {
    /// Single-point information.
    case M_SP_NA_1 = 1
    /// Double-point information.
    case M_DP_NA_1 = 3
    /// Measured value, normalized.
    case M_ME_NA_1 = 9
    /// Measured value, scaled.
    case M_ME_NB_1 = 11
    /// Measured value, short floating point.
    case M_ME_NC_1 = 13
    /// Integrated totals.
    case M_IT_NA_1 = 15
    /// Single-point information with CP56Time2a.
    case M_SP_TB_1 = 30
    /// Double-point information with CP56Time2a.
    case M_DP_TB_1 = 31
    /// Measured value, normalized, with CP56Time2a.
    case M_ME_TD_1 = 34
    /// Measured value, scaled, with CP56Time2a.
    case M_ME_TE_1 = 35
    /// Measured value, short floating point, with CP56Time2a.
    case M_ME_TF_1 = 36
    /// Integrated totals with CP56Time2a.
    case M_IT_TB_1 = 37
    /// Single command.
    case C_SC_NA_1 = 45
    /// Double command.
    case C_DC_NA_1 = 46
    /// Set-point command, normalized value.
    case C_SE_NA_1 = 48
    /// Set-point command, scaled value.
    case C_SE_NB_1 = 49
    /// Set-point command, short floating point.
    case C_SE_NC_1 = 50
    /// Single command with CP56Time2a.
    case C_SC_TA_1 = 58
    /// Double command with CP56Time2a.
    case C_DC_TA_1 = 59
    /// Set-point command, normalized value, with CP56Time2a.
    case C_SE_TA_1 = 61
    /// Set-point command, scaled value, with CP56Time2a.
    case C_SE_TB_1 = 62
    /// Set-point command, short floating point, with CP56Time2a.
    case C_SE_TC_1 = 63
    /// End of initialization.
    case M_EI_NA_1 = 70
    /// (General) interrogation command.
    case C_IC_NA_1 = 100
    /// Counter interrogation command.
    case C_CI_NA_1 = 101
    /// Read command.
    case C_RD_NA_1 = 102
    /// Clock synchronization command.
    case C_CS_NA_1 = 103
    /// Test command with CP56Time2a.
    case C_TS_TA_1 = 107

    /// Octets of one information element of this type, excluding the IOA.
    public var elementLength: Int {
        switch self {
        case .M_SP_NA_1, .M_DP_NA_1, .C_SC_NA_1, .C_DC_NA_1, .M_EI_NA_1, .C_IC_NA_1, .C_CI_NA_1: 1
        case .M_ME_NA_1, .M_ME_NB_1, .C_SE_NA_1, .C_SE_NB_1: 3
        case .M_ME_NC_1, .M_IT_NA_1, .C_SE_NC_1: 5
        case .C_RD_NA_1: 0
        case .C_CS_NA_1: CP56Time2a.encodedLength
        case .M_SP_TB_1, .M_DP_TB_1, .C_SC_TA_1, .C_DC_TA_1: 1 + CP56Time2a.encodedLength
        case .M_ME_TD_1, .M_ME_TE_1, .C_SE_TA_1, .C_SE_TB_1: 3 + CP56Time2a.encodedLength
        case .M_ME_TF_1, .M_IT_TB_1, .C_SE_TC_1: 5 + CP56Time2a.encodedLength
        case .C_TS_TA_1: 2 + CP56Time2a.encodedLength
        }
    }
}
