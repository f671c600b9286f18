/// Which way a point's data flows, seen from SCADA.
public enum Direction: String, Sendable, Hashable, CaseIterable {
    /// Station → SCADA (measurements, statuses, counters).
    case monitor
    /// SCADA → station (commands, set-points).
    case control
}

/// What kind of value an IEC type carries; decides which transform outputs fit.
public enum IECValueKind: String, Sendable, Hashable {
    /// Single-point information or single command (one bit).
    case single
    /// Double-point information or double command (off/on/intermediate/indeterminate).
    case double
    /// Normalized value, −1 … +1 − 2⁻¹⁵.
    case normalized
    /// Scaled value, a 16-bit integer.
    case scaled
    /// IEEE 754 short float.
    case float
    /// Integrated total (binary counter reading, 32-bit).
    case integratedTotal
}

/// An ASDU type identification usable for points, with its direction and value kind.
public struct IECType: Sendable, Hashable, CustomStringConvertible {
    /// The type identification (1 … 127).
    public let id: Int
    /// The standard name, e.g. `M_ME_TF_1`.
    public let name: String
    /// Monitor or control.
    public let direction: Direction
    /// The value it carries.
    public let valueKind: IECValueKind
    /// True when the information object carries a CP56Time2a time tag.
    public let timeTagged: Bool

    /// `M_ME_TF_1 (36)`.
    public var description: String { "\(name) (\(id))" }

    /// True for set-point commands (C_SE_*).
    public var isSetpoint: Bool {
        direction == .control && [.normalized, .scaled, .float].contains(valueKind)
    }

    /// True for single and double commands (C_SC_*, C_DC_*).
    public var isBinaryCommand: Bool {
        direction == .control && [.single, .double].contains(valueKind)
    }

    /// The types points may have, in type-id order.
    public static let all: [IECType] = [
        IECType(id: 1, name: "M_SP_NA_1", direction: .monitor, valueKind: .single, timeTagged: false),
        IECType(id: 3, name: "M_DP_NA_1", direction: .monitor, valueKind: .double, timeTagged: false),
        IECType(id: 9, name: "M_ME_NA_1", direction: .monitor, valueKind: .normalized, timeTagged: false),
        IECType(id: 11, name: "M_ME_NB_1", direction: .monitor, valueKind: .scaled, timeTagged: false),
        IECType(id: 13, name: "M_ME_NC_1", direction: .monitor, valueKind: .float, timeTagged: false),
        IECType(id: 15, name: "M_IT_NA_1", direction: .monitor, valueKind: .integratedTotal, timeTagged: false),
        IECType(id: 30, name: "M_SP_TB_1", direction: .monitor, valueKind: .single, timeTagged: true),
        IECType(id: 31, name: "M_DP_TB_1", direction: .monitor, valueKind: .double, timeTagged: true),
        IECType(id: 34, name: "M_ME_TD_1", direction: .monitor, valueKind: .normalized, timeTagged: true),
        IECType(id: 35, name: "M_ME_TE_1", direction: .monitor, valueKind: .scaled, timeTagged: true),
        IECType(id: 36, name: "M_ME_TF_1", direction: .monitor, valueKind: .float, timeTagged: true),
        IECType(id: 37, name: "M_IT_TB_1", direction: .monitor, valueKind: .integratedTotal, timeTagged: true),
        IECType(id: 45, name: "C_SC_NA_1", direction: .control, valueKind: .single, timeTagged: false),
        IECType(id: 46, name: "C_DC_NA_1", direction: .control, valueKind: .double, timeTagged: false),
        IECType(id: 48, name: "C_SE_NA_1", direction: .control, valueKind: .normalized, timeTagged: false),
        IECType(id: 49, name: "C_SE_NB_1", direction: .control, valueKind: .scaled, timeTagged: false),
        IECType(id: 50, name: "C_SE_NC_1", direction: .control, valueKind: .float, timeTagged: false),
        IECType(id: 58, name: "C_SC_TA_1", direction: .control, valueKind: .single, timeTagged: true),
        IECType(id: 59, name: "C_DC_TA_1", direction: .control, valueKind: .double, timeTagged: true),
        IECType(id: 61, name: "C_SE_TA_1", direction: .control, valueKind: .normalized, timeTagged: true),
        IECType(id: 62, name: "C_SE_TB_1", direction: .control, valueKind: .scaled, timeTagged: true),
        IECType(id: 63, name: "C_SE_TC_1", direction: .control, valueKind: .float, timeTagged: true),
    ]

    /// Station-level types that exist in the profile but cannot be points.
    public static let systemTypes: [String: Int] = [
        "M_EI_NA_1": 70, "C_IC_NA_1": 100, "C_CI_NA_1": 101, "C_RD_NA_1": 102,
        "C_CS_NA_1": 103, "C_TS_TA_1": 107,
    ]

    private static let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
    private static let byID = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })

    /// The point type with this name, if any.
    public static func named(_ name: String) -> IECType? { byName[name] }

    /// The point type with this identification, if any.
    public static func withID(_ id: Int) -> IECType? { byID[id] }

    /// The type used to answer interrogation: the same value without a time tag.
    public var withoutTimeTag: IECType {
        guard timeTagged else { return self }
        return IECType.all.first { $0.direction == direction && $0.valueKind == valueKind && !$0.timeTagged } ?? self
    }
}
