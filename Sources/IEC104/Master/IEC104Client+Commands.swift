/// The control-direction ASDUs a controlling station sends, each one information object in one ASDU.
extension IEC104Client {
    /// Sends C_IC_NA_1 (IOA 0, COT activation): QOI 20 is station interrogation, 21–36 groups 1–16.
    public func interrogate(commonAddress: UInt16, qualifier: UInt8 = 20, originator: UInt8 = 0) async throws {
        try await send(Self.single(.interrogation(qualifier: qualifier), address: 0, cause: .activation,
                                   commonAddress: commonAddress, originator: originator))
    }

    /// Sends C_CI_NA_1 (IOA 0, COT activation); the default qualifier is a general counter request, read only.
    public func counterInterrogate(commonAddress: UInt16,
                                   qualifier: CounterInterrogationQualifier = CounterInterrogationQualifier(request: 5),
                                   originator: UInt8 = 0) async throws {
        try await send(Self.single(.counterInterrogation(qualifier), address: 0, cause: .activation,
                                   commonAddress: commonAddress, originator: originator))
    }

    /// Sends C_RD_NA_1 for one point (COT request).
    public func readPoint(commonAddress: UInt16, address: UInt32, originator: UInt8 = 0) async throws {
        try await send(Self.single(.read, address: address, cause: .request,
                                   commonAddress: commonAddress, originator: originator))
    }

    /// Sends C_CS_NA_1 (IOA 0, COT activation) with the given time.
    public func clockSync(commonAddress: UInt16, time: CP56Time2a, originator: UInt8 = 0) async throws {
        try await send(Self.single(.clockSynchronization(time), address: 0, cause: .activation,
                                   commonAddress: commonAddress, originator: originator))
    }

    /// Sends a command element (single, double, set-point, with or without time) to one point.
    ///
    /// The type id follows the element; the cause is normally `.activation` or `.deactivation`. Any element is
    /// accepted on purpose, so tests can also send what a station must reject.
    public func sendCommand(commonAddress: UInt16, address: UInt32, element: InformationElement,
                            cause: Cause = .activation, originator: UInt8 = 0) async throws {
        try await send(Self.single(element, address: address, cause: cause,
                                   commonAddress: commonAddress, originator: originator))
    }

    /// An ASDU carrying one information object.
    static func single(_ element: InformationElement, address: UInt32, cause: Cause, commonAddress: UInt16,
                       originator: UInt8) -> ASDU {
        ASDU(typeID: element.typeID, causeOfTransmission: CauseOfTransmission(cause, originatorAddress: originator),
             commonAddress: commonAddress, objects: [InformationObject(address: address, element)])
    }
}
