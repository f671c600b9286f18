import NIOCore

/// The first handler of a connection: closes it when a complete request does not arrive in time.
///
/// It sits before the HTTP decoder because a slowloris client never completes a request head, so nothing after
/// the decoder would ever hear from it; here every byte is seen. The connection handler tells it when a request
/// is complete and when the next one is awaited.
final class RequestDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let timeout: TimeAmount
    /// Called on expiry with whether part of a request had arrived (a slow client rather than an idle one).
    private let expired: (_ partialRequest: Bool) -> Void
    private var scheduled: Scheduled<Void>?
    private var channel: Channel?
    private var bytesSinceRequest = false

    init(timeout: Duration, expired: @escaping (_ partialRequest: Bool) -> Void) {
        self.timeout = TimeAmount(timeout)
        self.expired = expired
    }

    func handlerAdded(context: ChannelHandlerContext) {
        channel = context.channel
        awaitRequest()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancel()
        channel = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Deliberately not a reset of the timer: trickling bytes is exactly what a slowloris client does.
        bytesSinceRequest = true
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelInactive()
    }

    /// A complete request arrived: no deadline while it is answered.
    ///
    /// Bytes of a pipelined next request that came in the same read are forgotten here, so if that request then
    /// stalls its expiry counts as idle; only the metric's label suffers, the connection is closed all the same.
    func requestComplete() {
        cancel()
        bytesSinceRequest = false
    }

    /// The next request is due: start (or restart) its deadline.
    func awaitRequest() {
        cancel()
        guard let channel else { return }
        scheduled = channel.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            scheduled = nil
            expired(bytesSinceRequest)
            channel.close(promise: nil)
        }
    }

    private func cancel() {
        scheduled?.cancel()
        scheduled = nil
    }
}
