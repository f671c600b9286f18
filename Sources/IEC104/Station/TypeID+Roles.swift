extension TypeID {
    /// Whether the type carries monitored information (station → master).
    public var isMonitoring: Bool { rawValue < 45 }

    /// Whether the type is a single, double or set-point command (with or without time tag).
    public var isCommand: Bool { commandBase != nil }

    /// Whether the element carries a CP56Time2a time tag.
    public var isTimeTagged: Bool { nonTimeTagged != self }

    /// The twin without time tag (M_ME_TF_1 → M_ME_NC_1, C_SE_TC_1 → C_SE_NC_1); the type itself otherwise.
    public var nonTimeTagged: TypeID {
        switch self {
        case .M_SP_TB_1: .M_SP_NA_1
        case .M_DP_TB_1: .M_DP_NA_1
        case .M_ME_TD_1: .M_ME_NA_1
        case .M_ME_TE_1: .M_ME_NB_1
        case .M_ME_TF_1: .M_ME_NC_1
        case .M_IT_TB_1: .M_IT_NA_1
        case .C_SC_TA_1: .C_SC_NA_1
        case .C_DC_TA_1: .C_DC_NA_1
        case .C_SE_TA_1: .C_SE_NA_1
        case .C_SE_TB_1: .C_SE_NB_1
        case .C_SE_TC_1: .C_SE_NC_1
        default: self
        }
    }

    /// The command type without time tag for a command type, nil for every other type.
    public var commandBase: TypeID? {
        switch nonTimeTagged {
        case .C_SC_NA_1, .C_DC_NA_1, .C_SE_NA_1, .C_SE_NB_1, .C_SE_NC_1: nonTimeTagged
        default: nil
        }
    }

    /// Whether the type is an integrated total (answered by counter interrogation, not by general interrogation).
    public var isIntegratedTotals: Bool { nonTimeTagged == .M_IT_NA_1 }
}
