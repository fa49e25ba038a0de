import AsyncHTTPClient
import Console
import Foundation
import ServiceHTTP
import KafkaBroker
import KafkaWire
import Logging
import NIOConcurrencyHelpers
import Notifier
import OrderCommand
import OrderQuery
import ServiceLifecycle
import SQLStore

/// The whole system in one process: the dev broker, OrderCommand, OrderQuery (SQLite), the
/// notifier (log and file sinks) and the web console, on the contract's default ports, with
/// every file under one data directory. No Docker, no JVM, no database server.
public struct EmbeddedStack: Sendable {
    public var dataDirectory: String
    public var host = "127.0.0.1"
    public var kafkaPort = 9092
    public var commandPort = 8081
    public var queryPort = 8082
    public var notifierPort = 8083
    /// The web console's port; nil: no console. A port that is taken leaves the rest running.
    public var consolePort: Int? = 8080
    public var adminToken: String?
    /// Bearer-token authentication of the three services (`orders up --auth`); nil: off.
    public var authentication: AuthenticationSettings?
    public var logger: Logger

    public init(dataDirectory: String, adminToken: String?, logger: Logger) {
        self.dataDirectory = dataDirectory
        self.adminToken = adminToken
        self.logger = logger
    }

    var bootstrap: BrokerAddress { BrokerAddress(host: host, port: kafkaPort) }
    var path: (String) -> String { { (dataDirectory as NSString).appendingPathComponent($0) } }
    var notificationsFile: String { path("notifications.jsonl") }

    /// Runs until SIGINT/SIGTERM, or until `ready` (run once every service answers
    /// /health/ready, with how the console fared) returns true.
    public func run(ready: @escaping @Sendable (ConsoleState) async -> Bool) async throws {
        try FileManager.default.createDirectory(atPath: path("broker"), withIntermediateDirectories: true)
        var brokerConfiguration = BrokerConfiguration(dataDirectory: path("broker"))
        brokerConfiguration.host = host
        brokerConfiguration.port = kafkaPort
        brokerConfiguration.defaultPartitions = 6
        brokerConfiguration.groups.initialRebalanceDelayMilliseconds = 0
        var brokerLogger = logger
        brokerLogger.logLevel = max(logger.logLevel, .warning)
        let broker: BrokerServer
        do {
            broker = try BrokerServer(configuration: brokerConfiguration, logger: brokerLogger)
        } catch {
            throw CLIError.failed("the dev broker cannot start on \(host):\(kafkaPort): \(error) (is a Kafka or another orders up already running?)")
        }
        let stop = AsyncStream.makeStream(of: Void.self)
        let services = ServicesInProcess(stack: self) { console in
            if await ready(console) { stop.continuation.yield() }
        }
        let group = ServiceGroup(configuration: .init(
            services: [broker, services], gracefulShutdownSignals: [.sigterm, .sigint], logger: brokerLogger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                try await group.run()
                stop.continuation.finish()
            }
            tasks.addTask {
                for await _ in stop.stream {
                    await group.triggerGracefulShutdown()
                    return
                }
            }
            try await tasks.waitForAll()
        }
    }

    func commandConfiguration() -> OrderCommandConfiguration {
        var configuration = OrderCommandConfiguration()
        configuration.bootstrapServers = [bootstrap]
        configuration.httpHost = host
        configuration.httpPort = commandPort
        configuration.authentication = authentication
        return configuration
    }

    func queryConfiguration() -> OrderQueryConfiguration {
        var configuration = OrderQueryConfiguration()
        configuration.bootstrapServers = [bootstrap]
        configuration.httpHost = host
        configuration.httpPort = queryPort
        configuration.database = .sqlite(path: path("order-query.sqlite"))
        configuration.adminToken = adminToken
        configuration.authentication = authentication
        configuration.retireGrace = .seconds(5)
        return configuration
    }

    func consoleConfiguration(port: Int) -> ConsoleConfiguration {
        var configuration = ConsoleConfiguration()
        configuration.bootstrapServers = [bootstrap]
        configuration.httpHost = host
        configuration.httpPort = port
        configuration.commandURL = "http://\(host):\(commandPort)"
        configuration.queryURL = "http://\(host):\(queryPort)"
        configuration.notifierURL = "http://\(host):\(notifierPort)"
        configuration.authentication = authentication
        return configuration
    }

    func notifierConfiguration() -> NotifierConfiguration {
        var configuration = NotifierConfiguration()
        configuration.bootstrapServers = [bootstrap]
        configuration.httpHost = host
        configuration.httpPort = notifierPort
        configuration.database = .sqlite(path: path("notifier.sqlite"))
        configuration.sinks = [.log, .file(path: notificationsFile)]
        configuration.adminToken = adminToken
        configuration.authentication = authentication
        return configuration
    }
}

/// How the embedded stack's console fared.
public enum ConsoleState: Sendable, Equatable {
    case running(url: String)
    /// It could not start (its port taken, most often); the rest runs without it.
    case notStarted(reason: String)
    /// `--no-console`.
    case off
}

/// The services, built once the broker listens (each waits for Kafka at start), run as one
/// service so a shutdown stops them before the broker. The console is optional: when it
/// cannot listen, the others run on.
private struct ServicesInProcess: Service {
    let stack: EmbeddedStack
    let ready: @Sendable (ConsoleState) async -> Void

    func run() async throws {
        var logger = stack.logger
        logger[metadataKey: "service"] = "order-command"
        let command = try await buildApplication(configuration: stack.commandConfiguration(), logger: logger)
        logger[metadataKey: "service"] = "order-query"
        let query = try await buildApplication(configuration: stack.queryConfiguration(), logger: logger)
        logger[metadataKey: "service"] = "notifier"
        let notifier = try await buildApplication(configuration: stack.notifierConfiguration(), logger: logger)
        var services: [any Service] = [command, query, notifier]
        let consoleFailure = NIOLockedValueBox<String?>(nil)
        if let port = stack.consolePort {
            logger[metadataKey: "service"] = "console"
            let console = try await Console.buildApplication(configuration: stack.consoleConfiguration(port: port), logger: logger)
            services.append(OptionalService(console) { error in
                consoleFailure.withLockedValue { $0 = "\(error)" }
            })
        }
        let inner = ServiceGroup(configuration: .init(services: services, logger: stack.logger))
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await inner.run() }
                tasks.addTask {
                    let urls = [stack.commandPort, stack.queryPort, stack.notifierPort].map { "http://\(stack.host):\($0)/health/ready" }
                    guard await HealthWait.untilReady(urls, timeout: .seconds(120)) else { return }
                    await ready(await consoleState(failure: consoleFailure))
                }
                try await tasks.waitForAll()
            }
        } onGracefulShutdown: {
            Task { await inner.triggerGracefulShutdown() }
        }
    }

    /// Running once it answers, or why not.
    private func consoleState(failure: NIOLockedValueBox<String?>) async -> ConsoleState {
        guard let port = stack.consolePort else { return .off }
        let url = "http://\(stack.host):\(port)"
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if let reason = failure.withLockedValue({ $0 }) {
                return .notStarted(reason: "it cannot listen on \(stack.host):\(port) (\(reason)); give it another port with --console-url")
            }
            if await HealthWait.untilReady(["\(url)/health/live"], timeout: .zero) { return .running(url: url) }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return .notStarted(reason: "it did not answer at \(url)")
    }
}

/// Runs a service that may fail at start (the console, when its port is taken) without
/// taking the group down: its failure is reported, and it then waits for the shutdown.
private struct OptionalService: Service {
    let inner: any Service
    let failed: @Sendable (any Error) -> Void

    init(_ inner: any Service, failed: @escaping @Sendable (any Error) -> Void) {
        self.inner = inner
        self.failed = failed
    }

    func run() async throws {
        do {
            try await inner.run()
        } catch {
            failed(error)
            try? await gracefulShutdown()
        }
    }
}

/// Waits until each URL answers 200 (the services report ready once they own their partitions).
enum HealthWait {
    static func untilReady(_ urls: [String], timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        for url in urls {
            while true {
                if Task.isCancelled { return false }
                if let response = try? await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .seconds(2)),
                   response.status.code == 200 {
                    _ = try? await response.body.collect(upTo: 1 << 16)
                    break
                }
                if ContinuousClock.now > deadline { return false }
                try? await Task.sleep(for: .milliseconds(200))
            }
        }
        return true
    }
}
