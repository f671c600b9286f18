import NIOCore

/// The last handler of a master connection's pipeline: hands frames and connection events to the station.
final class StationChannelHandler: ChannelInboundHandler {
    typealias InboundIn = APDU

    private let core: StationCore
    private let id: ConnectionID

    init(core: StationCore, id: ConnectionID) {
        self.core = core
        self.id = id
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        core.received(unwrapInboundIn(data), on: id)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        core.flush(id)
    }

    func channelInactive(context: ChannelHandlerContext) {
        core.connectionLost(id)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        core.transportFailed(id, error: error)
        context.close(promise: nil)
    }
}
