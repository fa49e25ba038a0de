import KafkaProtocol
import Logging
import NIOCore

/// Writes requests and matches responses on one broker connection. It decides nothing itself:
/// every event goes to `InFlightRequests`, and the handler carries out the returned action.
///
/// Timeouts: one timer, set for the earliest deadline among outstanding requests (usually the
/// oldest; a request may carry a longer timeout of its own, as JoinGroup does).
final class KafkaClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = OutboundRequest
    typealias OutboundOut = ByteBuffer

    struct Pending {
        var apiKey: APIKey
        var apiVersion: Int16
        var promise: EventLoopPromise<ByteBuffer>
        var deadline: NIODeadline
    }

    /// Asks the handler to close once every outstanding response has arrived.
    struct CloseGracefully {}
    /// Asks the handler to keep new requests back (all but those that bypass the hold) until
    /// `ReleaseRequests`: a re-authentication (KIP-368) must not interleave with other requests,
    /// while requests already written are answered first, in order.
    struct HoldRequests {}
    struct ReleaseRequests {}

    private var requests = InFlightRequests<Pending>()
    /// Requests kept back while held, in the order they came; nil when not holding.
    private var held: CircularBuffer<(OutboundRequest, EventLoopPromise<Void>?)>?
    private var timer: (deadline: NIODeadline, task: Scheduled<Void>)?
    private let requestTimeout: TimeAmount
    private let logger: Logger

    init(requestTimeout: TimeAmount, logger: Logger) {
        self.requestTimeout = requestTimeout
        self.logger = logger
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = unwrapOutboundIn(data)
        if held != nil && !request.bypassesHold {
            held!.append((request, promise))
            return
        }
        write(request, promise: promise, context: context)
    }

    private func write(_ request: OutboundRequest, promise: EventLoopPromise<Void>?, context: ChannelHandlerContext) {
        var request = request
        let pending = request.response.map {
            Pending(apiKey: request.frame.apiKey, apiVersion: request.frame.apiVersion, promise: $0,
                    deadline: context.eventLoop.now + (request.timeout ?? requestTimeout))
        }
        switch requests.write(pending) {
        case .write(let correlationID):
            request.frame.setCorrelationID(correlationID)
            context.write(wrapOutboundOut(request.frame.buffer), promise: promise)
            if let pending { armTimer(for: pending.deadline, context: context) }
        case .fail(let error):
            promise?.fail(error)
            request.response?.fail(error)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var frame = unwrapInboundIn(data)
        guard let correlationID = frame.readInteger(as: Int32.self) else {
            let error = KafkaError(.protocolViolation, "response frame of \(frame.readableBytes) bytes has no correlation id")
            fail(requests.closed(error), error, context: context)
            return
        }
        switch requests.response(correlationID: correlationID) {
        case .complete(let entry):
            entry.context.promise.succeed(frame)
        case .completeAndClose(let entry):
            entry.context.promise.succeed(frame)
            context.close(promise: nil)
        case .closeAndFail(let entries, let error):
            logger.warning("Closing connection: \(error.message)")
            fail(entries, error, context: context)
        case .ignore:
            break
        }
    }

    func triggerUserOutboundEvent(context: ChannelHandlerContext, event: Any, promise: EventLoopPromise<Void>?) {
        if event is HoldRequests {
            if held == nil { held = CircularBuffer() }
            promise?.succeed()
            return
        }
        if event is ReleaseRequests {
            let waiting = held ?? CircularBuffer()
            held = nil
            for (request, writePromise) in waiting { write(request, promise: writePromise, context: context) }
            context.flush()
            promise?.succeed()
            return
        }
        guard event is CloseGracefully else {
            context.triggerUserOutboundEvent(event, promise: promise)
            return
        }
        switch requests.close(gracefully: true) {
        case .wait, .ignore:
            promise?.succeed()
        case .close:
            context.close(promise: promise)
        case .closeAndFail(let entries, let error):
            fail(entries, error, context: context)
            promise?.succeed()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        let error = KafkaError(.connectionClosed, "connection to \(context.remoteAddress.map { "\($0)" } ?? "broker") closed")
        fail(requests.closed(error), error, context: context)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        let kafkaError: KafkaError
        if let protocolError = error as? ProtocolError, protocolError.code == .tlsRecord {
            kafkaError = KafkaError(.tlsFailed, "\(protocolError.context): the broker speaks TLS")
        } else if let protocolError = error as? ProtocolError {
            kafkaError = KafkaError(.protocolViolation, "\(protocolError)")
        } else {
            kafkaError = KafkaError(.connectionClosed, "connection failed: \(error)")
        }
        logger.debug("Connection error", metadata: ["error": "\(error)"])
        fail(requests.closed(kafkaError), kafkaError, context: context)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        let error = KafkaError(.connectionClosed, "connection closed")
        for entry in requests.closed(error) { entry.context.promise.fail(error) }
        failHeld(error)
        timer?.task.cancel()
        timer = nil
    }

    /// Fails `entries` (and any held requests) and closes the channel.
    private func fail(_ entries: [InFlightRequests<Pending>.Entry], _ error: KafkaError, context: ChannelHandlerContext) {
        for entry in entries { entry.context.promise.fail(error) }
        failHeld(error)
        timer?.task.cancel()
        timer = nil
        context.close(promise: nil)
    }

    private func failHeld(_ error: KafkaError) {
        let waiting = held ?? CircularBuffer()
        held = nil
        for (request, promise) in waiting {
            promise?.fail(error)
            request.response?.fail(error)
        }
    }

    /// Makes sure the timer fires by `deadline`.
    private func armTimer(for deadline: NIODeadline, context: ChannelHandlerContext) {
        if let timer {
            guard deadline < timer.deadline else { return }
            timer.task.cancel()
        }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let task = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = loopBound.value
            handler.timer = nil
            handler.timerFired(context: context)
        }
        timer = (deadline, task)
    }

    private func timerFired(context: ChannelHandlerContext) {
        let now = context.eventLoop.now
        guard let expired = requests.entries.first(where: { $0.context.deadline <= now }) else {
            if let next = requests.entries.map(\.context.deadline).min() { armTimer(for: next, context: context) }
            return
        }
        guard let result = requests.timedOut(correlationID: expired.correlationID) else { return }
        let timeout = KafkaError(
            .timedOut, "\(expired.context.apiKey.name) v\(expired.context.apiVersion) got no response in time")
        logger.warning("Closing connection: \(timeout.message)")
        result.timedOut?.context.promise.fail(timeout)
        fail(result.others, result.error, context: context)
    }
}
