import NIOCore
import NIOPosix

/// What the client hands the application, in order of arrival.
public enum ClientEvent: Hashable, Sendable {
    /// A decoded ASDU from the station.
    case asdu(ASDU)
    /// An I-frame whose ASDU did not decode, with the octets and the reason.
    case undecodable([UInt8], ASDUDecodingError)
    /// The link closed; always the last event.
    case closed(MasterCloseReason)
}

/// Why a client operation failed.
public enum IEC104ClientError: Error, Hashable, Sendable {
    /// The link is closed, for this reason.
    case closed(MasterCloseReason)
    /// Data transfer is not started: call `startDataTransfer()` first.
    case notStarted
    /// A stop was requested: no new I-frames and no start until STOPDT con.
    case stopping
    /// A start is pending: stop after `startDataTransfer()` returns.
    case starting
    /// The ASDU could not be encoded with the connection's ASDU parameters.
    case encoding(ASDUEncodingError)
    /// Encoded ASDU octets must number 1...249.
    case invalidLength(Int)
}

/// Counters of one client: its link's and its own.
public struct ClientCounters: Hashable, Sendable {
    /// The link layer's counters.
    public var link = MasterLinkCounters()
    /// ASDUs decoded and handed on as `.asdu`.
    public var asdusReceived = 0
    /// ASDUs handed on as `.undecodable`.
    public var undecodableASDUs = 0
    /// Events the bounded event buffer dropped (always 0 when unbounded).
    public var droppedEvents = 0
    /// Sends that had to wait because k frames were unacknowledged.
    public var windowWaits = 0

    /// Creates zeroed counters.
    public init() {}
}

/// A controlling station (master) on one 104 connection: enough to drive tests and load from Swift.
///
/// Thread-safe without locks: all link state lives in a handler confined to the channel's event loop, and
/// every method hops there. Received ASDUs arrive on `incoming`; commands go out with `send` and the helpers in
/// `IEC104Client+Commands.swift`. Call `close()` when done: dropping the client leaves the connection open.
public final class IEC104Client: Sendable {
    /// The channel; its event loop owns all link state.
    let channel: any Channel
    private let handler: NIOLoopBound<MasterChannelHandler>
    /// The ASDU field sizes of this connection.
    public let asduParameters: ASDUParameters
    /// Events from the station in order of arrival, for one consumer; it finishes after `.closed`.
    ///
    /// Unbounded by default, because a test or load client must not lose ASDUs silently: a consumer that falls
    /// behind costs memory, not data. With `eventBufferLimit`, only the newest events are kept (so `.closed`
    /// is never lost) and `counters.droppedEvents` says how many were dropped.
    public let incoming: AsyncStream<ClientEvent>

    private init(channel: any Channel, handler: NIOLoopBound<MasterChannelHandler>, asduParameters: ASDUParameters,
                 incoming: AsyncStream<ClientEvent>) {
        self.channel = channel
        self.handler = handler
        self.asduParameters = asduParameters
        self.incoming = incoming
    }

    /// Connects to a controlled station (t0 is `connectTimeout`). Data transfer is stopped until
    /// `startDataTransfer()`.
    public static func connect(host: String, port: Int, parameters: LinkParameters = .standard,
                               asduParameters: ASDUParameters = .iec104, eventBufferLimit: Int? = nil,
                               connectTimeout: TimeAmount = .seconds(30),
                               group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) async throws -> IEC104Client {
        let (incoming, events) = AsyncStream.makeStream(of: ClientEvent.self,
                                                        bufferingPolicy: bufferingPolicy(limit: eventBufferLimit))
        do {
            let channel = try await ClientBootstrap(group: group)
                .connectTimeout(connectTimeout)
                // Acknowledgements are 6-octet frames: Nagle would hold them back and stall the station's window.
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        _ = try install(on: channel, parameters: parameters, asduParameters: asduParameters,
                                        events: events)
                    }
                }
                .connect(host: host, port: port).get()
            let handler = try await channel.eventLoop.submit {
                NIOLoopBound(try channel.pipeline.syncOperations.handler(type: MasterChannelHandler.self),
                             eventLoop: channel.eventLoop)
            }.get()
            return IEC104Client(channel: channel, handler: handler, asduParameters: asduParameters, incoming: incoming)
        } catch {
            events.finish()
            throw error
        }
    }

    /// A client on an existing channel, e.g. a testing channel; the handlers are added to its pipeline.
    static func attach(to channel: any Channel, parameters: LinkParameters = .standard,
                       asduParameters: ASDUParameters = .iec104, eventBufferLimit: Int? = nil) async throws -> IEC104Client {
        let (incoming, events) = AsyncStream.makeStream(of: ClientEvent.self,
                                                        bufferingPolicy: bufferingPolicy(limit: eventBufferLimit))
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(try install(on: channel, parameters: parameters, asduParameters: asduParameters, events: events),
                         eventLoop: channel.eventLoop)
        }.get()
        return IEC104Client(channel: channel, handler: handler, asduParameters: asduParameters, incoming: incoming)
    }

    /// Adds the frame decoder, the frame encoder and the link handler; must run on the channel's event loop.
    private static func install(on channel: any Channel, parameters: LinkParameters, asduParameters: ASDUParameters,
                                events: AsyncStream<ClientEvent>.Continuation) throws -> MasterChannelHandler {
        let handler = MasterChannelHandler(parameters: parameters, asduParameters: asduParameters,
                                           now: channel.eventLoop.now, events: events)
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(APDUFrameDecoder()),
            MessageToByteHandler(APDUFrameEncoder()),
            handler,
        ])
        return handler
    }

    private static func bufferingPolicy(limit: Int?) -> AsyncStream<ClientEvent>.Continuation.BufferingPolicy {
        guard let limit else { return .unbounded }
        return .bufferingNewest(max(1, limit))
    }

    // MARK: - Operations

    /// Sends STARTDT act and returns on STARTDT con (at once when already started); throws when t1 expires or
    /// a stop is pending.
    public func startDataTransfer() async throws {
        try await onLoop { handler, promise in handler.startDataTransfer(promise: promise) }
    }

    /// Sends STOPDT act and returns on STOPDT con (at once when already stopped); throws when t1 expires or a
    /// start is pending. Sends still waiting for window space fail with `.stopping`.
    public func stopDataTransfer() async throws {
        try await onLoop { handler, promise in handler.stopDataTransfer(promise: promise) }
    }

    /// Sends one ASDU in an I-frame. Returns once the frame is written (not acknowledged); waits while k frames
    /// are unacknowledged; throws when data transfer is not started or the link closes first.
    public func send(_ asdu: ASDU) async throws {
        let octets: [UInt8]
        do throws(ASDUEncodingError) {
            // Encoded here, off the event loop, so concurrent senders share the work across threads.
            octets = try asdu.encoded(parameters: asduParameters)
        } catch {
            throw IEC104ClientError.encoding(error)
        }
        try await send(encoded: octets)
    }

    /// Sends raw ASDU octets (1...249) as they are, e.g. a deliberately malformed ASDU or a pre-encoded load.
    public func send(encoded asdu: [UInt8]) async throws {
        // Checked here so a bad length is reported as such whatever the link's state.
        guard (1...APDU.maximumASDULength).contains(asdu.count) else { throw IEC104ClientError.invalidLength(asdu.count) }
        try await onLoop { handler, promise in handler.send(asdu: asdu, promise: promise) }
    }

    /// Closes the link and the connection; waiting operations fail with `.closed(.local)`.
    public func close() async {
        let handler = handler
        channel.eventLoop.execute { handler.value.close() }
        // The close future never fails in a way the caller could act on: closed is closed.
        try? await channel.closeFuture.get()
    }

    /// The counters so far (read on the event loop); throws only when the event loop is shut down.
    public var counters: ClientCounters {
        get async throws {
            let handler = handler
            return try await channel.eventLoop.submit { handler.value.counters }.get()
        }
    }

    /// Runs `operation` on the event loop with a promise it completes, and waits for that promise.
    private func onLoop(_ operation: @escaping @Sendable (MasterChannelHandler, EventLoopPromise<Void>) -> Void) async throws {
        let handler = handler
        let promise = channel.eventLoop.makePromise(of: Void.self)
        channel.eventLoop.execute { operation(handler.value, promise) }
        try await promise.futureResult.get()
    }
}
