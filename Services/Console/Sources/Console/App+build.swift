import AsyncHTTPClient
import Hummingbird
import KafkaWire
import Logging
import ServiceHTTP
import ServiceLifecycle

/// Builds a console instance: the log read from Kafka (`KafkaLogSource`), the other services
/// over HTTP (`HTTPServiceAPI`), the pages and their streams. `orders up` and the tests run it
/// in-process; `console` alone.
public func buildApplication(
    configuration: ConsoleConfiguration, logger: Logger, metrics: ConsoleMetrics = ConsoleMetrics()
) async throws -> some ApplicationProtocol {
    logger.info("Console configuration", metadata: configuration.summary.mapValues { .string($0) })
    let source = KafkaLogSource(client: configuration.kafkaClient, topic: configuration.topic, logger: logger)
    let httpClient = HTTPClient(eventLoopGroupProvider: .singleton)
    let router = buildRouter(
        source: source, api: HTTPServiceAPI(client: httpClient, urls: configuration.serviceURLs), topic: configuration.topic,
        clientBuffer: configuration.clientBuffer, keepAlive: configuration.keepAlive, metrics: metrics,
        authentication: try await TokenVerifier.make(configuration.authentication))
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.httpHost, port: configuration.httpPort), serverName: "console"),
        services: [HTTPClientCloser(client: httpClient)],
        logger: logger)
}

/// Every route of the console over `source` and `api`. Needs neither Kafka nor the services,
/// so the router tests build it over a log and services in memory.
func buildRouter(
    source: some LogSource, api: some ServiceAPI, topic: String, clientBuffer: Int, keepAlive: Duration, metrics: ConsoleMetrics,
    authentication: TokenVerifier? = nil
) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    if let authentication { router.add(middleware: ConsoleAuthentication(verifier: authentication)) }
    ConsoleController(source: source, topicName: topic, clientBuffer: clientBuffer, keepAlive: keepAlive, metrics: metrics)
        .addRoutes(to: router)
    OrderController(source: source, api: api).addRoutes(to: router)
    SystemController(source: source, api: api, topicName: topic).addRoutes(to: router)
    RelayController(api: api).addRoutes(to: router)
    OperationRoutes.add(
        to: router, openAPIDocument: ConsoleOpenAPIDocument.json, bearerAuthentication: authentication != nil, metrics: metrics.registry,
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

/// Shuts the HTTP client the pages ask the services with down with the application.
private struct HTTPClientCloser: Service {
    let client: HTTPClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
