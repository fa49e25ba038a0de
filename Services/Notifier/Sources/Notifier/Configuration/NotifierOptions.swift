import ArgumentParser
import Foundation
import KafkaWire
import ServiceOptions
import SQLStore

/// The command line of `notifier`: every setting a flag, with the environment variable of
/// the same name as its default (flag wins over environment, environment over default).
public struct NotifierOptions: ParsableArguments {
    @OptionGroup var common: ServiceCommonOptions

    @OptionGroup var authentication: AuthenticationOptions

    @Option(help: "HTTP listen address host:port (env HTTP_LISTEN)")
    var httpListen = env("HTTP_LISTEN") ?? "127.0.0.1:8083"

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Where delivered notifications are published (env NOTIFICATIONS_TOPIC)")
    var notificationsTopic = env("NOTIFICATIONS_TOPIC") ?? "orders.notifications"

    @Option(help: "Where events whose delivery failed for good go (env DEAD_LETTER_TOPIC)")
    var deadLetterTopic = env("DEAD_LETTER_TOPIC") ?? "orders.notifications.dlq"

    @Option(help: "Consumer group of the notifier instances (env GROUP_ID)")
    var groupId = env("GROUP_ID") ?? "notifier"

    @Option(help: "Static group membership id (env GROUP_INSTANCE_ID)")
    var groupInstanceId = env("GROUP_INSTANCE_ID") ?? ""

    @Option(help: "Comma list of log, file:PATH, webhook:URL (env NOTIFIER_SINKS)")
    var notifierSinks = env("NOTIFIER_SINKS") ?? "log"

    @Option(name: .customLong("notifier-webhook-secret"), help: "HMAC-SHA256 key of the webhook's Notifier-Signature header; unset, no signature (env NOTIFIER_WEBHOOK_SECRET)")
    var notifierWebhookSecretFlag: String?

    /// The flag, else the environment: read here, not as a default, so `--help` never shows it.
    var notifierWebhookSecret: String { notifierWebhookSecretFlag ?? env("NOTIFIER_WEBHOOK_SECRET") ?? "" }

    @Option(help: "Webhook request timeout in ms (env NOTIFIER_WEBHOOK_TIMEOUT_MS)")
    var notifierWebhookTimeoutMs = env("NOTIFIER_WEBHOOK_TIMEOUT_MS") ?? "5000"

    @Option(help: "Directory of <kind>.mustache files replacing the built-in templates (env NOTIFIER_TEMPLATES_DIR)")
    var notifierTemplatesDir = env("NOTIFIER_TEMPLATES_DIR") ?? ""

    @Option(help: "Deliveries in flight at once (env NOTIFIER_CONCURRENCY)")
    var notifierConcurrency = env("NOTIFIER_CONCURRENCY") ?? "16"

    @Option(help: "Attempts per delivery, the first included, before dead-lettering (env NOTIFIER_MAX_ATTEMPTS)")
    var notifierMaxAttempts = env("NOTIFIER_MAX_ATTEMPTS") ?? "8"

    @Option(help: "First retry delay step in ms; each retry doubles it, with jitter (env NOTIFIER_RETRY_BASE_MS)")
    var notifierRetryBaseMs = env("NOTIFIER_RETRY_BASE_MS") ?? "500"

    @Option(help: "Longest retry delay step in ms (env NOTIFIER_RETRY_MAX_MS)")
    var notifierRetryMaxMs = env("NOTIFIER_RETRY_MAX_MS") ?? "60000"

    @Option(help: "Where a new deployment starts delivering in a partition: beginning or end (env NOTIFIER_START_FROM)")
    var notifierStartFrom = env("NOTIFIER_START_FROM") ?? "beginning"

    @OptionGroup var admin: AdminTokenOptions

    @Option(help: "Records folded per ledger transaction, at most (env MAX_BATCH)")
    var maxBatch = env("MAX_BATCH") ?? "2000"

    public var logLevel: String { common.logLevel }

    public init() {}

    public func validate() throws {
        _ = try configuration()
    }

    public func configuration() throws -> NotifierConfiguration {
        var configuration = NotifierConfiguration()
        try common.apply(to: &configuration)
        configuration.authentication = try authentication.settings()
        let listen = try httpListenOption(httpListen)
        configuration.httpHost = listen.host
        configuration.httpPort = listen.port
        configuration.database = try database.database(defaultFile: "notifier.sqlite")
        configuration.topic = try common.topic()
        configuration.notificationsTopic = try topicOption(notificationsTopic, "--notifications-topic / NOTIFICATIONS_TOPIC")
        configuration.deadLetterTopic = try topicOption(deadLetterTopic, "--dead-letter-topic / DEAD_LETTER_TOPIC")
        guard !groupId.isEmpty else { throw ValidationError("--group-id / GROUP_ID must not be empty") }
        configuration.groupID = groupId
        configuration.groupInstanceID = groupInstanceId.isEmpty ? nil : groupInstanceId
        do {
            configuration.sinks = try SinkSpec.parseList(notifierSinks)
        } catch {
            throw ValidationError("--notifier-sinks / NOTIFIER_SINKS: \(error)")
        }
        configuration.webhookSecret = notifierWebhookSecret.isEmpty ? nil : notifierWebhookSecret
        configuration.webhookTimeout = .milliseconds(try number(notifierWebhookTimeoutMs, "--notifier-webhook-timeout-ms / NOTIFIER_WEBHOOK_TIMEOUT_MS", Int64(1)...600_000))
        configuration.templatesDirectory = notifierTemplatesDir.isEmpty ? nil : notifierTemplatesDir
        if let directory = configuration.templatesDirectory {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--notifier-templates-dir / NOTIFIER_TEMPLATES_DIR: \(directory) is not a directory")
            }
        }
        configuration.concurrency = try number(notifierConcurrency, "--notifier-concurrency / NOTIFIER_CONCURRENCY", 1...1_024)
        configuration.retry = RetryPolicy(
            maxAttempts: try number(notifierMaxAttempts, "--notifier-max-attempts / NOTIFIER_MAX_ATTEMPTS", 1...100),
            base: .milliseconds(try number(notifierRetryBaseMs, "--notifier-retry-base-ms / NOTIFIER_RETRY_BASE_MS", Int64(1)...3_600_000)),
            cap: .milliseconds(try number(notifierRetryMaxMs, "--notifier-retry-max-ms / NOTIFIER_RETRY_MAX_MS", Int64(1)...86_400_000)))
        guard let start = StartPosition(rawValue: notifierStartFrom) else {
            throw ValidationError("--notifier-start-from / NOTIFIER_START_FROM must be beginning or end, not \(notifierStartFrom.debugDescription)")
        }
        configuration.startPosition = start
        configuration.adminToken = admin.adminToken
        configuration.maxBatch = try number(maxBatch, "--max-batch / MAX_BATCH", 1...100_000)
        return configuration
    }
}
