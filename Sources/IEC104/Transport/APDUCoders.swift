import NIOCore

/// Splits the TCP byte stream into APDUs; a framing error is thrown, and the pipeline closes the connection.
public struct APDUFrameDecoder: ByteToMessageDecoder, Sendable {
    /// Decoded frames.
    public typealias InboundOut = APDU

    /// Creates a decoder.
    public init() {}

    /// Decodes as many whole frames as the buffer holds.
    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        switch APDUDecoder.decode(buffer.readableBytesView) {
        case .needMoreData:
            return .needMoreData
        case let .frame(apdu, consumed):
            buffer.moveReaderIndex(forwardBy: consumed)
            context.fireChannelRead(Self.wrapInboundOut(apdu))
            return .continue
        case let .failure(error):
            throw error
        }
    }

    /// At end of stream, leftover octets are a truncated frame: reported, not silently dropped.
    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer,
                                    seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if buffer.readableBytes > 0 {
            let leftover = buffer.readableBytes
            buffer.moveReaderIndex(forwardBy: leftover)
            throw APDUStreamError.truncatedFrameAtClose(octets: leftover)
        }
        return .needMoreData
    }
}

/// Why a byte stream ended badly.
public enum APDUStreamError: Error, Hashable, Sendable {
    /// The connection closed in the middle of a frame.
    case truncatedFrameAtClose(octets: Int)
}

/// Writes APDUs as their wire octets.
public struct APDUFrameEncoder: MessageToByteEncoder, Sendable {
    /// Frames to write.
    public typealias OutboundIn = APDU

    /// Creates an encoder.
    public init() {}

    /// Appends the frame's octets; an I-frame with an invalid ASDU length is an error of the writer, thrown.
    public func encode(data: APDU, out: inout ByteBuffer) throws {
        out.writeBytes(try data.encoded())
    }
}
