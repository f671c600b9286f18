/// One information object: its address and its element.
public struct InformationObject: Hashable, Sendable {
    /// The information object address (IOA).
    public var address: UInt32
    /// The information element(s).
    public var element: InformationElement

    /// Creates an information object.
    public init(address: UInt32, _ element: InformationElement) {
        self.address = address
        self.element = element
    }
}

/// An application service data unit of the 104 profile.
///
/// With `isSequence` (SQ=1) only the first address goes on the wire and object *i* has address first + *i*;
/// the encoder checks that the objects' addresses really are consecutive rather than silently renumbering them.
public struct ASDU: Hashable, Sendable {
    /// The largest ASDU the APDU length octet allows (253 − 4 control octets).
    public static let maximumLength = APDU.maximumASDULength
    /// The largest object count the VSQ can express.
    public static let maximumObjectCount = 127

    /// The type identification; every object's element must be of this type.
    public var typeID: TypeID
    /// SQ: the objects share one address and are numbered consecutively.
    public var isSequence: Bool
    /// The cause of transmission.
    public var causeOfTransmission: CauseOfTransmission
    /// The common address of ASDU (station address).
    public var commonAddress: UInt16
    /// The information objects, 1...127 of them.
    public var objects: [InformationObject]

    /// Creates an ASDU.
    public init(typeID: TypeID, isSequence: Bool = false, causeOfTransmission: CauseOfTransmission,
                commonAddress: UInt16, objects: [InformationObject]) {
        self.typeID = typeID
        self.isSequence = isSequence
        self.causeOfTransmission = causeOfTransmission
        self.commonAddress = commonAddress
        self.objects = objects
    }

    /// The encoded length for `count` objects of `type`, used to pack objects before building an ASDU.
    public static func encodedLength(of type: TypeID, count: Int, isSequence: Bool,
                                     parameters: ASDUParameters = .iec104) -> Int {
        let ioa = parameters.informationObjectAddressSize
        let body = isSequence ? ioa + count * type.elementLength : count * (ioa + type.elementLength)
        return parameters.headerLength + body
    }

    /// How many objects of `type` fit in one ASDU (also bounded by the VSQ's 127).
    public static func maximumObjectCount(of type: TypeID, isSequence: Bool, parameters: ASDUParameters = .iec104) -> Int {
        let ioa = parameters.informationObjectAddressSize
        let room = maximumLength - parameters.headerLength - (isSequence ? ioa : 0)
        let perObject = type.elementLength + (isSequence ? 0 : ioa)
        guard perObject > 0 else { return maximumObjectCount }
        return min(maximumObjectCount, room / perObject)
    }
}

/// Why an ASDU could not be encoded.
public enum ASDUEncodingError: Error, Hashable, Sendable {
    /// An ASDU needs at least one object.
    case noObjects
    /// The VSQ cannot count more than 127 objects.
    case tooManyObjects(count: Int)
    /// The encoded ASDU would exceed 249 octets.
    case tooLong(length: Int, maximum: Int)
    /// The element at `index` belongs to another type id than the ASDU's.
    case elementTypeMismatch(index: Int, expected: TypeID, found: TypeID)
    /// The address at `index` does not fit in the configured IOA size.
    case addressOutOfRange(index: Int, address: UInt32)
    /// With SQ=1, the object at `index` does not have the address following its predecessor's.
    case addressNotConsecutive(index: Int, address: UInt32)
    /// The common address does not fit in the configured CA size.
    case commonAddressOutOfRange(UInt16)
    /// A non-zero originator address cannot be sent in a 1-octet COT.
    case originatorAddressNotRepresentable(UInt8)
}

/// Why octets are not a valid ASDU.
public enum ASDUDecodingError: Error, Hashable, Sendable {
    /// Fewer octets than the header (type id, VSQ, COT, CA) needs.
    case truncatedHeader(length: Int, needed: Int)
    /// The type id is not one this codec knows; the station answers with COT 44.
    case unknownTypeID(UInt8)
    /// The VSQ announces zero objects.
    case zeroObjectCount
    /// The octets end before the announced objects do.
    case truncatedObjects(expected: Int, actual: Int)
    /// Octets remain after the announced objects.
    case lengthMismatch(expected: Int, actual: Int)
    /// The ASDU is longer than 249 octets.
    case tooLong(length: Int)
    /// With SQ=1, the consecutive addresses run past the largest IOA.
    case addressOverflow(first: UInt32, count: Int)
    /// Internal safety net: a read went past the end at `offset` (the length checks should prevent it).
    case truncated(offset: Int)
}
