import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import NIOTLS

/// Sits after the TLS handler and completes `handshake` when the TLS handshake has finished, or
/// fails it with the reason when it cannot (a bad certificate, or a peer that does not speak
/// TLS and closes). Connecting waits on it so that a TLS failure is reported as one, final,
/// instead of as a closed connection that a retry loop would try again.
final class TLSHandshakeObserver: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    let handshake: EventLoopPromise<Void>
    /// The first TLS error seen, also after the handshake: with TLS 1.3 a broker refuses a
    /// client certificate (or its absence) only after the client finished its side.
    let firstError: NIOLockedValueBox<(any Error)?>

    init(handshake: EventLoopPromise<Void>, firstError: NIOLockedValueBox<(any Error)?>) {
        self.handshake = handshake
        self.firstError = firstError
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? TLSUserEvent, case .handshakeCompleted = event { handshake.succeed() }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError {
            firstError.withLockedValue { if $0 == nil { $0 = error } }
        }
        handshake.fail(error)
        context.fireErrorCaught(error)
    }

    func channelInactive(context: ChannelHandlerContext) {
        handshake.fail(KafkaError(.tlsFailed, "the broker closed the connection during the TLS handshake"))
        context.fireChannelInactive()
    }
}
