/// The value of a monitored point, independent of whether it travels with a time tag.
public enum PointValue: Hashable, Sendable {
    /// Single-point state (M_SP_*).
    case single(Bool)
    /// Double-point state (M_DP_*).
    case double(DoublePointState)
    /// Normalized measured value (M_ME_NA_1 / M_ME_TD_1).
    case normalized(NormalizedValue)
    /// Scaled measured value (M_ME_NB_1 / M_ME_TE_1).
    case scaled(Int16)
    /// Short floating point measured value (M_ME_NC_1 / M_ME_TF_1).
    case float(Float)
    /// Integrated total (M_IT_NA_1 / M_IT_TB_1); its IV flag is the reading's own.
    case counter(BinaryCounterReading)

    /// Whether the value can be sent as `type` (its time-tagged twin included).
    public func fits(_ type: TypeID) -> Bool {
        switch (self, type.nonTimeTagged) {
        case (.single, .M_SP_NA_1), (.double, .M_DP_NA_1), (.normalized, .M_ME_NA_1), (.scaled, .M_ME_NB_1),
             (.float, .M_ME_NC_1), (.counter, .M_IT_NA_1): true
        default: false
        }
    }

    /// The value a point has before its first update: zero, sent with quality IV so nobody takes it for real.
    public static func placeholder(for type: TypeID) -> PointValue {
        switch type.nonTimeTagged {
        case .M_SP_NA_1: .single(false)
        case .M_DP_NA_1: .double(.indeterminate)
        case .M_ME_NA_1: .normalized(NormalizedValue(rawValue: 0))
        case .M_ME_NB_1: .scaled(0)
        case .M_IT_NA_1: .counter(BinaryCounterReading(0, invalid: true))
        default: .float(0)
        }
    }
}

/// How a published update leaves the station.
public enum Transmission: Hashable, Sendable {
    /// Sent with COT 3 (spontaneous), queued while no master is active.
    case spontaneous
    /// Sent with COT 1 (periodic / cyclic).
    case periodic
    /// Sent with COT 2 (background scan).
    case background
    /// Only the station's image changes; interrogations and reads report it.
    case imageOnly

    /// The cause sent with the update, nil when nothing is sent.
    public var cause: Cause? {
        switch self {
        case .spontaneous: .spontaneous
        case .periodic: .periodic
        case .background: .background
        case .imageOnly: nil
        }
    }
}

/// A new value of one monitored point, as the gateway publishes it.
public struct PointUpdate: Hashable, Sendable {
    /// The point's address.
    public var address: UInt32
    /// The value.
    public var value: PointValue
    /// The quality (IV, NT, SB, BL, OV); for integrated totals the reading's own IV flag counts as well.
    public var quality: QualityDescriptor
    /// When the value was measured (UTC); nil means "now" at the station.
    public var time: UTCDateTime?
    /// How the update is sent.
    public var transmission: Transmission

    /// Creates an update.
    public init(address: UInt32, value: PointValue, quality: QualityDescriptor = .good, time: UTCDateTime? = nil,
                transmission: Transmission = .spontaneous) {
        self.address = address
        self.value = value
        self.quality = quality
        self.time = time
        self.transmission = transmission
    }
}

/// Why a published update was refused (the station's image is unchanged).
public enum PublishError: Error, Hashable, Sendable {
    /// No monitored point has this address.
    case unknownAddress(UInt32)
    /// The value's kind does not fit the point's type (e.g. a float for a single point).
    case valueDoesNotFitType(address: UInt32, TypeID)
}
