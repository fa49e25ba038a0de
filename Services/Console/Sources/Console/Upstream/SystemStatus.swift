import Foundation
import NIOCore

/// What the system page shows, gathered at one moment: per partition the log's end,
/// OrderCommand's owner, OrderQuery's and the notifier's stored positions with their lag
/// against that end; the dead-letter topic; the services' counters for the charts. A service
/// that does not answer leaves its columns empty and says why.
struct SystemStatus: Encodable, Sendable {
    struct Partition: Encodable, Sendable, Equatable {
        var partition: Int32
        var endOffset: Int64?
        var owner: String?
        var queryStored: Int64?
        var queryLag: Int64?
        var notifierFolded: Int64?
        var notifierLag: Int64?
    }

    struct ServiceState: Encodable, Sendable, Equatable {
        var name: String
        /// Why the service's part is missing; nil when it answered.
        var problem: String?
    }

    /// The counters the charts turn into rates (events/s) and mean latencies between two polls.
    struct Counters: Encodable, Sendable, Equatable {
        var commands: Double?
        var appendSeconds: Double?
        var appends: Double?
        var eventsApplied: Double?
        var applySeconds: Double?
        var applies: Double?
        var delivered: Double?
        var deliverySeconds: Double?
        var deliveries: Double?
    }

    var takenAtMs: Int64
    var logProblem: String?
    var partitions: [Partition]
    var services: [ServiceState]
    var generation: Int64?
    var deadLetterTopic: String?
    var deadLetters: Int64?
    var counters: Counters

    /// The services' own bodies, as far as the page needs them.
    struct CommandStatus: Decodable, Sendable { var owners: [String: String] }
    struct Projection: Decodable, Sendable {
        struct Partition: Decodable, Sendable { var partition: Int32; var storedOffset: Int64 }
        var generation: Int64
        var partitions: [Partition]
    }
    struct NotifierStatus: Decodable, Sendable {
        struct Partition: Decodable, Sendable { var partition: Int32; var foldedOffset: Int64 }
        struct DeadLetters: Decodable, Sendable { var topic: String; var records: Int64 }
        var partitions: [Partition]
        var deadLetterTopic: DeadLetters
    }

    /// Asks everything at once; never throws: what cannot be had is said in the status.
    static func gather(source: any LogSource, api: any ServiceAPI, authorization: String?) async -> SystemStatus {
        func fetch<T: Decodable & Sendable>(_ type: T.Type, _ service: UpstreamService, _ path: String) async -> (T?, String?) {
            switch await api.fetch(type, from: service, path, authorization: authorization) {
            case .value(let value): (value, nil)
            case .notFound: (nil, "\(path) answered 404")
            case .failed(let why): (nil, why)
            }
        }
        func metrics(_ service: UpstreamService) async -> String {
            guard let answer = try? await api.send(UpstreamRequest(service: service, path: "/metrics", authorization: authorization)),
                  answer.isSuccess else { return "" }
            return String(buffer: answer.body)
        }
        async let ends = endOffsets(source)
        async let command = fetch(CommandStatus.self, .orderCommand, "/status")
        async let projection = fetch(Projection.self, .orderQuery, "/projection")
        async let notifier = fetch(NotifierStatus.self, .notifier, "/status")
        async let commandMetrics = metrics(.orderCommand)
        async let queryMetrics = metrics(.orderQuery)
        async let notifierMetrics = metrics(.notifier)

        var logProblem: String?
        var endOffsets: [Int32: Int64] = [:]
        switch await ends {
        case .success(let found): endOffsets = found
        case .failure(let error): logProblem = "the log cannot be read: \(error)"
        }
        let (commandStatus, commandProblem) = await command
        let (projectionStatus, projectionProblem) = await projection
        let (notifierStatus, notifierProblem) = await notifier
        let stored = Dictionary((projectionStatus?.partitions ?? []).map { ($0.partition, $0.storedOffset) }) { max($0, $1) }
        let folded = Dictionary((notifierStatus?.partitions ?? []).map { ($0.partition, $0.foldedOffset) }) { max($0, $1) }
        let known = Set(endOffsets.keys).union(stored.keys).union(folded.keys).sorted()
        let partitions = known.map { partition in
            let end = endOffsets[partition]
            let queryStored = stored[partition]
            let notifierFolded = folded[partition]
            return Partition(
                partition: partition, endOffset: end, owner: commandStatus?.owners["\(partition)"],
                queryStored: queryStored, queryLag: lag(end, queryStored),
                notifierFolded: notifierFolded, notifierLag: lag(end, notifierFolded))
        }
        let commandText = await commandMetrics
        let queryText = await queryMetrics
        let notifierText = await notifierMetrics
        let counters = Counters(
            commands: PrometheusText.sum("order_command_commands_total", in: commandText),
            appendSeconds: PrometheusText.sum("order_command_append_latency_seconds_sum", in: commandText),
            appends: PrometheusText.sum("order_command_append_latency_seconds_count", in: commandText),
            eventsApplied: PrometheusText.sum("order_query_events_applied_total", in: queryText),
            applySeconds: PrometheusText.sum("order_query_apply_latency_seconds_sum", in: queryText),
            applies: PrometheusText.sum("order_query_apply_latency_seconds_count", in: queryText),
            delivered: PrometheusText.sum("notifier_delivered_total", in: notifierText),
            deliverySeconds: PrometheusText.sum("notifier_delivery_latency_seconds_sum", in: notifierText),
            deliveries: PrometheusText.sum("notifier_delivery_latency_seconds_count", in: notifierText))
        return SystemStatus(
            takenAtMs: Int64(Date().timeIntervalSince1970 * 1000), logProblem: logProblem, partitions: partitions,
            services: [
                ServiceState(name: UpstreamService.orderCommand.rawValue, problem: commandProblem),
                ServiceState(name: UpstreamService.orderQuery.rawValue, problem: projectionProblem),
                ServiceState(name: UpstreamService.notifier.rawValue, problem: notifierProblem),
            ],
            generation: projectionStatus?.generation, deadLetterTopic: notifierStatus?.deadLetterTopic.topic,
            deadLetters: notifierStatus?.deadLetterTopic.records, counters: counters)
    }

    private static func endOffsets(_ source: any LogSource) async -> Result<[Int32: Int64], any Error> {
        do { return .success(try await source.endOffsets()) } catch { return .failure(error) }
    }

    /// How far a reader is behind the end it was compared with (never below 0: the end was
    /// read a moment before the reader's position).
    static func lag(_ end: Int64?, _ position: Int64?) -> Int64? {
        guard let end, let position else { return nil }
        return max(0, end - position)
    }
}

