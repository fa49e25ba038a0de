import Foundation
import NIOCore
import NIOPosix

/// One keep-alive connection with at most one request in flight; the last handler of its
/// channel. Used only on its event loop.
final class HTTPConnection: ChannelInboundHandler {
    typealias InboundIn = HTTPAnswer
    typealias OutboundOut = ByteBuffer

    let host: String
    private var context: ChannelHandlerContext?
    private var waiting: ((Result<HTTPAnswer, any Error>) -> Void)?

    init(host: String) { self.host = host }

    var allocator: ByteBufferAllocator { context?.channel.allocator ?? ByteBufferAllocator() }

    /// Sends `request` and calls `answered` with its answer, or with the error that closed the
    /// connection first.
    func send(_ request: ByteBuffer, answered: @escaping (Result<HTTPAnswer, any Error>) -> Void) {
        precondition(waiting == nil, "one request in flight per connection")
        guard let context else { return answered(.failure(HTTPAnswerError.connectionClosed)) }
        waiting = answered
        context.writeAndFlush(wrapOutboundOut(request), promise: nil)
    }

    func close() { context?.close(promise: nil) }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        end(.success(unwrapInboundIn(data)))
    }

    func channelInactive(context: ChannelHandlerContext) {
        end(.failure(HTTPAnswerError.connectionClosed))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        end(.failure(error))
        context.close(promise: nil)
    }

    private func end(_ result: Result<HTTPAnswer, any Error>) {
        guard let answered = waiting else { return }
        waiting = nil
        answered(result)
    }

    /// A connection to `host:port` on `loop`.
    static func connect(host: String, port: Int, on loop: any EventLoop) async throws -> NIOLoopBound<HTTPConnection> {
        let channel = try await ClientBootstrap(group: loop)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTPAnswerDecoder()))
                    try channel.pipeline.syncOperations.addHandler(HTTPConnection(host: host))
                }
            }
            .connect(host: host, port: port).get()
        return try await loop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: HTTPConnection.self), eventLoop: loop)
        }.get()
    }
}

/// A service's address, from its base URL (`http://host:port`).
struct ServiceAddress: Sendable, Equatable {
    let host: String
    let port: Int

    init?(url: String) {
        guard let parsed = URL(string: url), parsed.scheme == "http", let host = parsed.host, let port = parsed.port else { return nil }
        self.host = host
        self.port = port
    }
}
