import AsyncHTTPClient
import Events
import Hummingbird
import KafkaWire
import ServiceHTTP
import ServiceOptions
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// Builds an OrderCommand instance: checks (or creates) the event topic, then wires the
/// producer, the group consumer that reads owned partitions back, and the HTTP server into
/// one application. `orders up` and the tests run it in-process; `order-command` runs it alone.
public func buildApplication(
    configuration: OrderCommandConfiguration, logger: Logger, metrics: CommandMetrics = CommandMetrics()
) async throws -> some ApplicationProtocol {
    // The keys first: a set that cannot be used stops the service before anything opens.
    let authentication = try await TokenVerifier.make(configuration.authentication)
    let client = configuration.kafkaClient
    let admin = KafkaAdmin(configuration: client, logger: logger)
    do {
        try await configuration.topic.ensure(admin: admin, logger: logger)
    } catch {
        await admin.shutdown()
        throw error
    }

    var producerConfiguration = KafkaProducerConfiguration(client: client)
    producerConfiguration.acks = .all
    producerConfiguration.idempotence = true
    producerConfiguration.linger = .milliseconds(1)
    producerConfiguration.allowAutoTopicCreation = false
    producerConfiguration.deliveryTimeout = configuration.deliveryTimeout
    // A produce request held past the delivery timeout fails with it (as Kafka's clients require).
    producerConfiguration.client.requestTimeout = min(client.requestTimeout, configuration.deliveryTimeout)
    let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)

    let processor = CommandProcessor(
        topic: configuration.topic.name, partitionCount: configuration.topic.partitions, producer: producer,
        rules: configuration.rules, idempotencyWindow: configuration.idempotencyWindow,
        commandDeadline: configuration.commandDeadline, metrics: metrics, logger: logger)

    let advertisedURL = configuration.effectiveAdvertisedURL
    // Each owned partition is folded from the beginning at assignment; the group's offsets are not used.
    var consumerConfiguration = configuration.groupConsumer(of: [configuration.topic.name])
    consumerConfiguration.partitionAssignmentStrategy = [OwnerMap.strategy(topic: configuration.topic.name)]
    consumerConfiguration.subscriptionUserData = ByteBuffer(string: advertisedURL)

    let ownership = OwnershipHandler(topic: configuration.topic.name, processor: processor, admin: admin, logger: logger)
    // The handler needs the consumer (to seek) and the consumer needs the handler.
    let consumerBox = NIOLockedValueBox<KafkaConsumer?>(nil)
    let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger) { event in
        guard let consumer = consumerBox.withLockedValue({ $0 }) else { return }
        await ownership.handle(event, consumer: consumer)
    }
    consumerBox.withLockedValue { $0 = consumer }

    let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
    let router = buildRouter(
        executor: processor, parser: CommandRequestParser(maxBodyBytes: configuration.maxBodyBytes),
        forwarder: Forwarder(client: httpClient, selfURL: advertisedURL, timeout: configuration.forwardTimeout, logger: logger),
        metrics: metrics, authentication: authentication)

    logger.info("OrderCommand configuration", metadata: configuration.summary.mapValues { .string($0) })
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: "order-command"),
        // Graceful shutdown goes in reverse order: the consumer leaves the group first (which
        // ends the read-back loop), then the producer delivers what it holds.
        services: [producer, ReadBack(consumer: consumer, processor: processor), consumer, Closer(admin: admin, httpClient: httpClient)],
        logger: logger)
}

/// Every route of the service over `executor`: the command routes, health, metrics, status
/// and the OpenAPI document. Needs no Kafka, so the router tests build it over an executor
/// in memory.
func buildRouter(
    executor: some CommandExecutor, parser: CommandRequestParser, forwarder: Forwarder, metrics: CommandMetrics,
    authentication: TokenVerifier? = nil
) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.requireTokens(authentication, adminToken: nil, staffOnly: ["/status"])
    CommandController(processor: executor, parser: parser, forwarder: forwarder, metrics: metrics).addRoutes(to: router)
    OperationsController(processor: executor, metrics: metrics, bearerAuthentication: authentication != nil).addRoutes(to: router)
    return router
}

/// Shuts the admin client and the forwarding HTTP client down with the application.
private struct Closer: Service {
    let admin: KafkaAdmin
    let httpClient: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        await admin.shutdown()
        try await httpClient.shutdown()
    }
}
