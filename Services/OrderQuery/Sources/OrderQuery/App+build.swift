import KafkaEvents
import SQLStore
import Events
import Hummingbird
import KafkaWire
import ServiceHTTP
import ServiceOptions
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// Builds an OrderQuery instance: opens and migrates the read model, waits for the event
/// topic, then wires the live projection (group `order-query`), rebuilds and the HTTP API
/// into one application. `orders up` and the tests run it in-process; `order-query` alone.
public func buildApplication(
    configuration: OrderQueryConfiguration, logger: Logger, metrics: QueryMetrics = QueryMetrics()
) async throws -> some ApplicationProtocol {
    logger.info("OrderQuery configuration", metadata: configuration.summary.mapValues { .string($0) })
    // The keys first: a set that cannot be used stops the service before anything opens.
    let authentication = try await TokenVerifier.make(configuration.authentication)
    let client = configuration.kafkaClient
    let admin = KafkaAdmin(configuration: client, logger: logger)
    // The database first: a setting that cannot work (TLS that does not verify) stops the
    // service at once, not after the wait for Kafka.
    let database: any SQLDatabase
    do {
        database = try await configuration.database.open(logger: logger)
    } catch {
        await admin.shutdown()
        throw error
    }
    let store = ReadModelStore(database: database, logger: logger)
    let partitionCount: Int32
    let liveGeneration: Int64
    do {
        partitionCount = try await EventTopicPartitions.wait(for: configuration.topic, admin: admin, logger: logger)
        liveGeneration = try await store.migrate(partitionCount: partitionCount)
    } catch {
        await database.close()
        await admin.shutdown()
        throw error
    }
    let partitionOf = KafkaPartitioner.partitioner(partitionCount: Int(partitionCount))

    // The stored offsets decide where each partition resumes; the group's are not used.
    var consumerConfiguration = configuration.groupConsumer(of: [configuration.topic])
    consumerConfiguration.partitionAssignmentStrategy = [.cooperativeSticky]
    consumerConfiguration.groupInstanceID = configuration.groupInstanceID
    let liveBox = NIOLockedValueBox<LiveProjection?>(nil)
    let consumer = try KafkaConsumer(configuration: consumerConfiguration, logger: logger) { event in
        await liveBox.withLockedValue { $0 }?.handle(event)
    }
    let board = ProgressBoard()
    let runner = ProjectionRunner(
        name: "live", consumer: consumer, store: store, topic: configuration.topic, generation: liveGeneration,
        partitionOf: partitionOf, metrics: metrics, logger: logger, maxBatch: configuration.maxBatch, board: board)
    let live = LiveProjection(runner: runner, consumer: consumer, logger: logger)
    liveBox.withLockedValue { $0 = live }

    let rebuilds = RebuildManager(
        store: store, client: client, admin: admin, topic: configuration.topic, partitionCount: partitionCount,
        partitionOf: partitionOf, metrics: metrics, logger: logger, retireGrace: configuration.retireGrace,
        maxBatch: configuration.maxBatch)
    await rebuilds.dropLeftovers()

    let router = buildRouter(
        reader: StoreReader(store: store, board: board, partitionOf: partitionOf, storedRow: runner.storedRow, metrics: metrics),
        operations: LiveOperations(
            store: store, live: live, rebuilds: rebuilds, admin: admin, topic: configuration.topic,
            partitionCount: partitionCount, metrics: metrics),
        partitionCount: partitionCount, adminToken: configuration.adminToken, metrics: metrics,
        authentication: authentication)

    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: "order-query"),
        // Graceful shutdown goes in reverse order: the consumer leaves the group first (which
        // ends the projection), then the database and the admin client close.
        services: [Closer(admin: admin, database: database, rebuilds: rebuilds), live, consumer],
        logger: logger)
}

/// Every route of the service: the queries over `reader`, and health, metrics, projection and
/// rebuilds over `operations`. Needs no Kafka and no database, so the router tests build it
/// over both in memory.
func buildRouter(
    reader: some ReadModelReader, operations: some ReadModelOperations, partitionCount: Int32, adminToken: String?, metrics: QueryMetrics,
    authentication: TokenVerifier? = nil
) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.requireTokens(authentication, adminToken: adminToken, staffOnly: ["/stats", "/projection"])
    QueryController(reader: reader, partitionCount: partitionCount).addRoutes(to: router)
    OperationsController(
        operations: operations, partitionCount: partitionCount, adminToken: adminToken, metrics: metrics,
        bearerAuthentication: authentication != nil
    ).addRoutes(to: router)
    return router
}

/// Closes the database and the admin client with the application, after cancelling rebuilds.
private struct Closer: Service {
    let admin: KafkaAdmin
    let database: any SQLDatabase
    let rebuilds: RebuildManager

    func run() async throws {
        try? await gracefulShutdown()
        await rebuilds.cancelAll()
        await database.close()
        await admin.shutdown()
    }
}
