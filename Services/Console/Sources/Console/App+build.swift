import Hummingbird
import KafkaWire
import Logging
import ServiceHTTP

/// Builds a console instance: the log read from Kafka (`KafkaLogSource`), the pages and their
/// streams. `orders up` and the tests run it in-process; `console` alone.
public func buildApplication(
    configuration: ConsoleConfiguration, logger: Logger, metrics: ConsoleMetrics = ConsoleMetrics()
) async throws -> some ApplicationProtocol {
    logger.info("Console configuration", metadata: configuration.summary.mapValues { .string($0) })
    let source = KafkaLogSource(client: configuration.kafkaClient, topic: configuration.topic, logger: logger)
    let router = buildRouter(
        source: source, topic: configuration.topic, clientBuffer: configuration.clientBuffer,
        keepAlive: configuration.keepAlive, metrics: metrics)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: "console"),
        logger: logger)
}

/// Every route of the console over `source`. Needs no Kafka, so the router tests build it
/// over a log in memory.
func buildRouter(
    source: some LogSource, topic: String, clientBuffer: Int, keepAlive: Duration, metrics: ConsoleMetrics
) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    ConsoleController(source: source, topicName: topic, clientBuffer: clientBuffer, keepAlive: keepAlive, metrics: metrics)
        .addRoutes(to: router)
    OperationRoutes.add(
        to: router, openAPIDocument: ConsoleOpenAPIDocument.json, bearerAuthentication: false, metrics: metrics.registry,
        notReady: {
            do {
                _ = try await source.topic()
                return nil
            } catch {
                return "the event topic cannot be described: \(error)"
            }
        },
        unavailable: { ConsoleProblem(.unavailable, $0).response })
    return router
}
