// swift-tools-version: 6.2
import PackageDescription

// Layout (docs/architecture.md, "Where the code is"): shared libraries under Shared/, the
// services under Services/ (each a library and a thin executable), the orders CLI
// under Tools/, tests under Tests/.
let kafkaWire = "Shared/KafkaWire"
let orderCommand = "Services/OrderCommand"
let orderQuery = "Services/OrderQuery"
let notifier = "Services/Notifier"
let console = "Services/Console"

let package = Package(
    name: "orders",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "KafkaProtocol", targets: ["KafkaProtocol"]),
        .library(name: "KafkaBroker", targets: ["KafkaBroker"]),
        .library(name: "KafkaWire", targets: ["KafkaWire"]),
        .executable(name: "kafkawire", targets: ["kafkawire"]),
        .library(name: "Events", targets: ["Events"]),
        .library(name: "OrderCommand", targets: ["OrderCommand"]),
        .executable(name: "order-command", targets: ["order-command"]),
        .library(name: "OrderQuery", targets: ["OrderQuery"]),
        .executable(name: "order-query", targets: ["order-query"]),
        .library(name: "Notifier", targets: ["Notifier"]),
        .executable(name: "notifier", targets: ["notifier"]),
        .library(name: "Console", targets: ["Console"]),
        .executable(name: "console", targets: ["console"]),
        .library(name: "OrdersCLI", targets: ["OrdersCLI"]),
        .executable(name: "orders", targets: ["orders"]),
        .executable(name: "load-generator", targets: ["load-generator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.7.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
    ],
    targets: [
        // C libraries from Debian's packages: the four compression codecs Kafka uses.
        .systemLibrary(name: "CZlib", path: "\(kafkaWire)/SystemLibraries/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", path: "\(kafkaWire)/SystemLibraries/CZstd", pkgConfig: "libzstd",
                       providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CLZ4", path: "\(kafkaWire)/SystemLibraries/CLZ4", pkgConfig: "liblz4",
                       providers: [.apt(["liblz4-dev"])]),
        .systemLibrary(name: "CSnappy", path: "\(kafkaWire)/SystemLibraries/CSnappy", pkgConfig: "snappy",
                       providers: [.apt(["libsnappy-dev"])]),
        // CRC32C with SSE4.2 when the CPU has it, a slicing-by-8 table otherwise.
        .target(name: "CCRC32C", path: "\(kafkaWire)/Sources/CCRC32C"),

        // The wire protocol: primitives, generated messages, record batches, errors. No I/O.
        .target(
            name: "KafkaProtocol",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                "CCRC32C", "CZlib", "CZstd", "CLZ4", "CSnappy",
            ],
            path: "\(kafkaWire)/Sources/KafkaProtocol"
        ),
        // SASL mechanisms (PLAIN, SCRAM, OAUTHBEARER) as values without I/O, both sides.
        .target(
            name: "KafkaSecurity",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            path: "\(kafkaWire)/Sources/KafkaSecurity"
        ),
        // The single-node, Kafka-compatible development broker.
        .target(
            name: "KafkaBroker",
            dependencies: [
                "KafkaProtocol", "KafkaSecurity",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "\(kafkaWire)/Sources/KafkaBroker"
        ),
        // The client: connections, metadata, producer, consumer, consumer groups, admin.
        .target(
            name: "KafkaWire",
            dependencies: [
                "KafkaProtocol", "KafkaSecurity",
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "\(kafkaWire)/Sources/KafkaWire"
        ),
        .executableTarget(
            name: "kafkawire",
            dependencies: [
                "KafkaBroker", "KafkaWire", "KafkaSecurity",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "\(kafkaWire)/Sources/kafkawire"
        ),

        // The Order's domain: events, envelope, decide/evolve, the fold rule, upcasters. No Kafka, no I/O.
        .target(name: "Events", path: "Shared/Events/Sources/Events"),

        // What every service shares, in three parts named for what they hold.
        // The events as Kafka records, and following them: record mapping, cursors, the topic's partitions.
        .target(
            name: "KafkaEvents",
            dependencies: [
                "Events", "KafkaWire", "KafkaProtocol",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/KafkaEvents/Sources/KafkaEvents"
        ),
        // The services' command lines: common options, Kafka security options, values, logging.
        .target(
            name: "ServiceOptions",
            dependencies: [
                "KafkaWire", "SQLStore", "ServiceHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Shared/ServiceOptions/Sources/ServiceOptions"
        ),
        // The services' HTTP pieces: problem responses, 405s, bearer authentication (JWT) and
        // the admin routes' authorization, operations routes.
        .target(
            name: "ServiceHTTP",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Shared/ServiceHTTP/Sources/ServiceHTTP"
        ),

        // The services' SQL: one protocol over PostgreSQL (PostgresNIO) and SQLite (SQLiteNIO), bound values only.
        .target(
            name: "SQLStore",
            dependencies: [
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Shared/SQLStore/Sources/SQLStore"
        ),

        // OrderCommand: HTTP commands decided against the aggregate, appended to Kafka, confirmed by read-back.
        .target(
            name: "OrderCommand",
            dependencies: [
                "Events", "KafkaWire", "KafkaProtocol", "KafkaEvents", "ServiceHTTP", "ServiceOptions",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "\(orderCommand)/Sources/OrderCommand"
        ),
        .executableTarget(
            name: "order-command",
            dependencies: [
                "OrderCommand", "KafkaEvents", "ServiceHTTP", "ServiceOptions",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "\(orderCommand)/Sources/order-command"
        ),

        // OrderQuery: the events folded exactly once into a read model (PostgreSQL or SQLite), served over HTTP.
        .target(
            name: "OrderQuery",
            dependencies: [
                "Events", "KafkaWire", "KafkaEvents", "ServiceHTTP", "ServiceOptions", "SQLStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "\(orderQuery)/Sources/OrderQuery"
        ),
        .executableTarget(
            name: "order-query",
            dependencies: [
                "OrderQuery", "KafkaEvents", "ServiceHTTP", "ServiceOptions",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "\(orderQuery)/Sources/order-query"
        ),

        // Notifier: one notification per event in effect (log, file, webhook), retries, a dead-letter topic.
        .target(
            name: "Notifier",
            dependencies: [
                "Events", "KafkaWire", "KafkaProtocol", "KafkaEvents", "ServiceHTTP", "ServiceOptions", "SQLStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "\(notifier)/Sources/Notifier"
        ),
        .executableTarget(
            name: "notifier",
            dependencies: [
                "Notifier", "KafkaEvents", "ServiceHTTP", "ServiceOptions",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "\(notifier)/Sources/notifier"
        ),

        // Console: a web console over the order log (the live log, as Server-Sent Events).
        .target(
            name: "Console",
            dependencies: [
                "Events", "KafkaWire", "KafkaEvents", "OrderLog", "ServiceHTTP", "ServiceOptions",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "\(console)/Sources/Console"
        ),
        .executableTarget(
            name: "console",
            dependencies: [
                "Console", "ServiceOptions",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "\(console)/Sources/console"
        ),

        // Reading the order log straight from Kafka, each record with the fold rule's verdict:
        // where to start (offsets, times), the reader. `orders events` and the console use it.
        .target(
            name: "OrderLog",
            dependencies: [
                "Events", "KafkaWire", "KafkaEvents", "ServiceHTTP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Shared/OrderLog/Sources/OrderLog"
        ),

        // The orders CLI and the embedded stack (`orders up`, `orders demo`).
        .target(
            name: "OrdersCLI",
            dependencies: [
                "Events", "KafkaWire", "KafkaBroker", "KafkaEvents", "OrderLog", "ServiceHTTP", "ServiceOptions", "SQLStore", "OrderCommand", "OrderQuery", "Notifier", "Console",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Tools/Orders/Sources/OrdersCLI"
        ),
        .executableTarget(name: "orders", dependencies: ["OrdersCLI"], path: "Tools/Orders/Sources/orders"),
        // The benchmarks' native load generator (Benchmarks/end-to-end).
        .executableTarget(
            name: "load-generator",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
            ],
            path: "Benchmarks/LoadGenerator/Sources/load-generator"
        ),

        // What the test targets share: waiting for a condition, the dev broker in-process.
        .target(
            name: "TestSupport",
            dependencies: ["KafkaBroker", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport"
        ),
        // What the router tests share: checks of JSON and problem answers.
        .target(
            name: "RouterTestSupport",
            dependencies: [
                "ServiceHTTP",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/RouterTestSupport"
        ),
        .testTarget(
            name: "EventsTests",
            dependencies: ["Events", "TestSupport"],
            path: "Tests/EventsTests",
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "OrderCommandTests",
            dependencies: [
                "OrderCommand", "Events", "KafkaWire", "KafkaBroker", "ServiceHTTP", "TestSupport", "RouterTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Tests/OrderCommandTests"
        ),
        .testTarget(
            name: "LoadGeneratorTests",
            dependencies: ["load-generator"],
            path: "Tests/LoadGeneratorTests"
        ),
        .testTarget(
            name: "SQLStoreTests",
            dependencies: [
                "SQLStore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/SQLStoreTests"
        ),
        .testTarget(
            name: "KafkaSecurityTests",
            dependencies: ["KafkaSecurity"],
            path: "Tests/KafkaSecurityTests",
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "KafkaEventsTests",
            dependencies: ["KafkaEvents"],
            path: "Tests/KafkaEventsTests"
        ),
        .testTarget(
            name: "ServiceHTTPTests",
            dependencies: [
                "ServiceHTTP", "RouterTestSupport",
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/ServiceHTTPTests"
        ),
        .testTarget(
            name: "ServiceOptionsTests",
            dependencies: [
                "ServiceOptions", "KafkaWire", "SQLStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tests/ServiceOptionsTests"
        ),
        .testTarget(
            name: "OrderQueryTests",
            dependencies: [
                "OrderQuery", "Events", "SQLStore", "KafkaEvents", "ServiceHTTP", "ServiceOptions", "TestSupport", "RouterTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Tests/OrderQueryTests"
        ),
        .testTarget(
            name: "NotifierTests",
            dependencies: [
                "Notifier", "Events", "SQLStore", "KafkaEvents", "ServiceHTTP", "ServiceOptions", "TestSupport", "RouterTestSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/NotifierTests"
        ),
        .testTarget(
            name: "ConsoleTests",
            dependencies: [
                "Console", "OrderLog", "Events", "KafkaWire", "KafkaEvents", "ServiceHTTP", "TestSupport", "RouterTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            path: "Tests/ConsoleTests"
        ),
        .testTarget(
            name: "OrderLogTests",
            dependencies: ["OrderLog", "Events", "KafkaWire", "KafkaEvents", "TestSupport"],
            path: "Tests/OrderLogTests"
        ),
        .testTarget(
            name: "OrdersCLITests",
            dependencies: [
                "OrdersCLI", "OrderLog", "KafkaEvents", "ServiceHTTP", "ServiceOptions",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Tests/OrdersCLITests"
        ),
        .testTarget(
            name: "KafkaProtocolTests",
            dependencies: ["KafkaProtocol", .product(name: "NIOCore", package: "swift-nio")],
            path: "Tests/KafkaProtocolTests"
        ),
        .testTarget(
            name: "KafkaWireTests",
            dependencies: [
                "KafkaWire", "KafkaBroker", "KafkaProtocol", "KafkaSecurity", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/KafkaWireTests"
        ),
        .testTarget(
            name: "KafkaBrokerTests",
            dependencies: [
                "KafkaBroker", "KafkaProtocol", "KafkaSecurity", "TestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/KafkaBrokerTests"
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Release builds (the services as deployed, the benchmarks) leave out Swift's run-time
// exclusivity checks: a tenth of a backlog's fold went to them, mostly in `ByteBuffer`
// reads inlined from NIO. Debug builds, which the test command runs, keep them, so a
// violation still fails the tests.
for target in package.targets where [.regular, .executable].contains(target.type) && target.name != "CCRC32C" {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
}
