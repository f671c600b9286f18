extension ASDU {
    /// Encodes the ASDU with the given field sizes, checking every limit instead of truncating.
    public func encoded(parameters: ASDUParameters = .iec104) throws(ASDUEncodingError) -> [UInt8] {
        guard !objects.isEmpty else { throw .noObjects }
        guard objects.count <= Self.maximumObjectCount else { throw .tooManyObjects(count: objects.count) }
        let length = Self.encodedLength(of: typeID, count: objects.count, isSequence: isSequence, parameters: parameters)
        guard length <= Self.maximumLength else { throw .tooLong(length: length, maximum: Self.maximumLength) }
        guard commonAddress <= parameters.maximumCommonAddress else { throw .commonAddressOutOfRange(commonAddress) }
        let originator = causeOfTransmission.originatorAddress
        guard parameters.causeOfTransmissionSize == 2 || originator == 0 else {
            throw .originatorAddressNotRepresentable(originator)
        }
        let maximumIOA = parameters.maximumInformationObjectAddress
        for (index, object) in objects.enumerated() {
            guard object.element.typeID == typeID else {
                throw .elementTypeMismatch(index: index, expected: typeID, found: object.element.typeID)
            }
            guard object.address <= maximumIOA else { throw .addressOutOfRange(index: index, address: object.address) }
            if isSequence, index > 0, object.address != objects[index - 1].address &+ 1 {
                throw .addressNotConsecutive(index: index, address: object.address)
            }
        }

        var w = ByteWriter()
        w.write(typeID.rawValue)
        w.write(UInt8(objects.count) | (isSequence ? 0x80 : 0))
        w.write(causeOfTransmission.firstOctet)
        if parameters.causeOfTransmissionSize == 2 { w.write(originator) }
        w.write(UInt32(commonAddress), octets: parameters.commonAddressSize)
        for (index, object) in objects.enumerated() {
            if !isSequence || index == 0 { w.write(object.address, octets: parameters.informationObjectAddressSize) }
            object.element.encode(into: &w)
        }
        return w.bytes
    }

    /// Decodes an ASDU; any octets give either an ASDU or a typed error, never a trap.
    public static func decode(_ bytes: [UInt8], parameters: ASDUParameters = .iec104) throws(ASDUDecodingError) -> ASDU {
        let header = parameters.headerLength
        guard bytes.count >= header else { throw .truncatedHeader(length: bytes.count, needed: header) }
        guard bytes.count <= maximumLength else { throw .tooLong(length: bytes.count) }
        var r = ByteReader(bytes)
        let rawType = try r.readUInt8()
        guard let typeID = TypeID(rawValue: rawType) else { throw .unknownTypeID(rawType) }
        let vsq = try r.readUInt8()
        let isSequence = vsq & 0x80 != 0
        let count = Int(vsq & 0x7F)
        guard count > 0 else { throw .zeroObjectCount }
        let cotOctet = try r.readUInt8()
        let originator = parameters.causeOfTransmissionSize == 2 ? try r.readUInt8() : 0
        let commonAddress = UInt16(truncatingIfNeeded: try r.readUInt32(octets: parameters.commonAddressSize))

        // Check the whole length up front, so a short ASDU is reported as such and not as a bad element.
        let expected = encodedLength(of: typeID, count: count, isSequence: isSequence, parameters: parameters)
        guard bytes.count >= expected else { throw .truncatedObjects(expected: expected, actual: bytes.count) }
        guard bytes.count == expected else { throw .lengthMismatch(expected: expected, actual: bytes.count) }

        let ioaSize = parameters.informationObjectAddressSize
        var objects: [InformationObject] = []
        objects.reserveCapacity(count)
        if isSequence {
            let first = try r.readUInt32(octets: ioaSize)
            guard UInt64(first) + UInt64(count - 1) <= UInt64(parameters.maximumInformationObjectAddress) else {
                throw .addressOverflow(first: first, count: count)
            }
            for index in 0..<count {
                objects.append(InformationObject(address: first + UInt32(index), try InformationElement.decode(typeID, from: &r)))
            }
        } else {
            for _ in 0..<count {
                let address = try r.readUInt32(octets: ioaSize)
                objects.append(InformationObject(address: address, try InformationElement.decode(typeID, from: &r)))
            }
        }
        return ASDU(typeID: typeID, isSequence: isSequence,
                    causeOfTransmission: CauseOfTransmission(firstOctet: cotOctet, originatorAddress: originator),
                    commonAddress: commonAddress, objects: objects)
    }
}
