/// The field sizes of an ASDU, fixed per connection (the 104 profile uses 2/2/3).
public struct ASDUParameters: Hashable, Sendable {
    /// The IEC 104 sizes: COT 2 octets (with originator address), CA 2 octets, IOA 3 octets.
    public static let iec104 = ASDUParameters(checkedCOT: 2, commonAddress: 2, informationObjectAddress: 3)

    /// Octets of the cause of transmission: 1, or 2 with the originator address.
    public let causeOfTransmissionSize: Int
    /// Octets of the common address of ASDU: 1 or 2.
    public let commonAddressSize: Int
    /// Octets of the information object address: 1 to 3.
    public let informationObjectAddressSize: Int

    /// Creates parameters, or nil when a size is outside what lib60870 and the standard allow.
    public init?(causeOfTransmissionSize: Int = 2, commonAddressSize: Int = 2, informationObjectAddressSize: Int = 3) {
        guard (1...2).contains(causeOfTransmissionSize), (1...2).contains(commonAddressSize),
              (1...3).contains(informationObjectAddressSize) else { return nil }
        self.init(checkedCOT: causeOfTransmissionSize, commonAddress: commonAddressSize,
                  informationObjectAddress: informationObjectAddressSize)
    }

    /// Memberwise initializer for sizes already known to be valid.
    private init(checkedCOT: Int, commonAddress: Int, informationObjectAddress: Int) {
        causeOfTransmissionSize = checkedCOT
        commonAddressSize = commonAddress
        informationObjectAddressSize = informationObjectAddress
    }

    /// Octets before the first information object: type id, VSQ, COT and CA.
    public var headerLength: Int { 2 + causeOfTransmissionSize + commonAddressSize }
    /// The largest common address the CA field can carry.
    public var maximumCommonAddress: UInt16 { commonAddressSize == 1 ? 0xFF : 0xFFFF }
    /// The largest information object address the IOA field can carry.
    public var maximumInformationObjectAddress: UInt32 { (UInt32(1) << (8 * informationObjectAddressSize)) - 1 }
}
