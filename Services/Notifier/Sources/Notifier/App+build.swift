import Events
import Hummingbird
import KafkaWire
import ServiceHTTP
import ServiceOptions
import Logging
import NIOConcurrencyHelpers
import NIOCore
import KafkaEvents
import ServiceLifecycle
import SQLStore

/// Builds a notifier instance: loads the templates, opens and migrates the ledger, waits for
/// the event topic, creates the notifier's topics, then wires the group consumer (fold and
/// deliveries) and the HTTP API into one application. `orders up` and the tests run it
/// in-process; `notifier` alone.
public func buildApplication(
    configuration: NotifierConfiguration, logger: Logger, metrics: NotifierMetrics = NotifierMetrics()
) async throws -> some ApplicationProtocol {
    logger.info("Notifier configuration", metadata: configuration.summary.mapValues { .string($0) })
    let templates = try NotificationTemplates(directory: configuration.templatesDirectory)
    if !templates.overridden.isEmpty {
        logger.info("Templates from NOTIFIER_TEMPLATES_DIR", metadata: ["templates": "\(templates.overridden)"])
    }
    // The keys first: a set that cannot be used stops the service before anything opens.
    let authentication = try await TokenVerifier.make(configuration.authentication)
    let client = configuration.kafkaClient
    let admin = KafkaAdmin(configuration: client, logger: logger)
    let topics = NotificationTopics(
        notifications: configuration.notificationsTopic, deadLetters: configuration.deadLetterTopic, eventTopic: configuration.topic)
    // The database first: a setting that cannot work (TLS that does not verify) stops the
    // service at once, not after the wait for Kafka.
    let database: any SQLDatabase
    let partitionCount: Int32
    do {
        database = try await configuration.database.open(logger: logger)
    } catch {
        await admin.shutdown()
        throw error
    }
    do {
        partitionCount = try await EventTopicPartitions.wait(for: configuration.topic, admin: admin, logger: logger)
        try await topics.ensure(admin: admin, partitions: partitionCount, logger: logger)
    } catch {
        await database.close()
        await admin.shutdown()
        throw error
    }
    let ledger = DeliveryLedger(database: database, logger: logger)
    do {
        try await ledger.migrate()
    } catch {
        await database.close()
        await admin.shutdown()
        throw error
    }
    let partitionOf = KafkaPartitioner.partitioner(partitionCount: Int(partitionCount))

    var producerConfiguration = KafkaProducerConfiguration(client: client)
    producerConfiguration.acks = .all
    producerConfiguration.idempotence = true
    // No linger: each delivery worker waits for its own record's acknowledgement before it
    // records the outcome and takes the next delivery, so a linger is paid by every delivery
    // (records of concurrent workers still share a request while one is in flight).
    producerConfiguration.linger = .zero
    producerConfiguration.allowAutoTopicCreation = false
    let producer = try KafkaProducer(configuration: producerConfiguration, logger: logger)
    let publisher = NotificationPublisher(producer: producer, topics: topics)

    var sinks: [any NotificationSink] = []
    for spec in configuration.sinks {
        switch spec {
        case .log: sinks.append(LogSink(logger: logger))
        case .file(let path): sinks.append(try FileSink(path: path))
        case .webhook(let url): sinks.append(WebhookSink(url: url, secret: configuration.webhookSecret, timeout: configuration.webhookTimeout))
        }
    }
    let deliveries = DeliveryService(
        sinks: sinks, ledger: ledger, publisher: publisher, policy: configuration.retry,
        concurrency: configuration.concurrency, metrics: metrics, logger: logger)

    // The ledger's folded offsets decide where a partition resumes; the group's follow them.
    var consumerConfiguration = configuration.groupConsumer(of: [configuration.topic])
    consumerConfiguration.partitionAssignmentStrategy = [.cooperativeSticky]
    consumerConfiguration.groupInstanceID = configuration.groupInstanceID
    let notifierBox = NIOLockedValueBox<NotifierConsumer?>(nil)
    let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger) { event in
        await notifierBox.withLockedValue { $0 }?.handle(event)
    }
    let runner = FoldRunner(
        consumer: consumer, ledger: ledger, deliveries: deliveries, publisher: publisher, templates: templates,
        topic: configuration.topic, partitionOf: partitionOf, metrics: metrics, logger: logger, maxBatch: configuration.maxBatch)
    let notifier = NotifierConsumer(
        runner: runner, deliveries: deliveries, consumer: consumer, admin: admin, topic: configuration.topic,
        startPosition: configuration.startPosition, logger: logger)
    notifierBox.withLockedValue { $0 = notifier }

    let router = buildRouter(
        operations: LiveNotifier(
            ledger: ledger, consumer: notifier, deliveries: deliveries, admin: admin, configuration: configuration,
            partitionCount: partitionCount, metrics: metrics),
        adminToken: configuration.adminToken, partitionCount: partitionCount, metrics: metrics,
        authentication: authentication)

    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: "notifier"),
        // Graceful shutdown goes in reverse order: the consumer leaves the group (the fold
        // ends, the delivery workers finish what they hold), then the producer flushes, then
        // the sinks, the database and the admin client close.
        services: [Closer(admin: admin, database: database, sinks: sinks), producer, notifier, consumer],
        logger: logger)
}

/// Closes the sinks, the database and the admin client with the application.
private struct Closer: Service {
    let admin: KafkaAdmin
    let database: any SQLDatabase
    let sinks: [any NotificationSink]

    func run() async throws {
        try? await gracefulShutdown()
        for sink in sinks { await sink.shutdown() }
        await database.close()
        await admin.shutdown()
    }
}

/// Every route of the notifier over `operations`. Needs no Kafka and no database, so the
/// router tests build it over operations in memory.
func buildRouter(
    operations: some NotifierOperations, adminToken: String?, partitionCount: Int32, metrics: NotifierMetrics,
    authentication: TokenVerifier? = nil
) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.requireTokens(authentication, adminToken: adminToken, staffOnly: ["/status"])
    NotifierController(
        operations: operations, adminToken: adminToken, partitionCount: partitionCount, metrics: metrics,
        bearerAuthentication: authentication != nil
    ).addRoutes(to: router)
    return router
}
