import ArgumentParser
import Foundation
import NIOHTTP1
import OrderLog
import ServiceHTTP

struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-process the log from an offset through a consumer (the notifier)",
        discussion: """
            Deliveries never made for the events from there are made (a sink added since, events before a \
            deployment that started at the end); with --resend every notification is sent again. \
            The offset is applied to each partition; a time (@TIMESTAMP_MS, or @ISO-8601 with a zone) to \
            every partition, from its first record at or after it. \
            Examples: orders replay notifier --offset 0; orders replay notifier --partition 2 --offset 40 --resend; \
            orders replay notifier --offset @1767225600000; orders replay notifier --offset @2026-01-01T00:00:00Z
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "What replays: notifier") var target: String
    @Option(help: "Only this partition (default: every one)") var partition: Int32?
    @Option(help: "An offset, or a time: \(LogPosition.timeForms)") var offset: String
    @Flag(help: "Send again what was already delivered") var resend = false

    func start() throws -> LogPosition {
        do throws(ArgumentProblem) {
            return try LogPosition.parse(offset, option: "--offset", ends: false)
        } catch {
            throw ValidationError(error.message)
        }
    }

    func validate() throws {
        guard target == "notifier" else {
            throw ValidationError("only the notifier replays from an offset; the read model goes back in the log with orders rebuild")
        }
        if case .timestamp = try start(), partition != nil {
            throw ValidationError("--offset @TIME applies to every partition; drop --partition")
        }
        if let partition, partition < 0 { throw ValidationError("--partition must be at least 0") }
    }

    func run() async throws {
        var body: [String: JSONValue] = ["resend": .bool(resend)]
        switch try start() {
        case .timestamp(let ms):
            body["fromTimestamp"] = .integer(ms)
        case .offset(let value):
            let partitions: [Int32]
            if let partition {
                partitions = [partition]
            } else {
                let status = try await global.notifier.send(.GET, "/status").decode(NotifierStatusAnswer.self, service: "Notifier")
                partitions = status.partitions.map(\.partition)
            }
            body["offsets"] = .object(Dictionary(uniqueKeysWithValues: partitions.map { (String($0), JSONValue.integer(value)) }))
        case .beginning, .end:
            throw ValidationError("--offset must be an offset or a time")  // parse(ends: false) gives neither
        }
        let answer = try await global.notifier.send(.POST, "/admin/replay", json: jsonBytes(JSONValue.object(body)), admin: true)
        if global.json { return Terminal.json(answer.json) }
        guard case .object(let result) = answer.json, case .integer(let queued)? = result["queued"] else {
            throw CLIError.badAnswer(service: "Notifier", reason: "no queued count")
        }
        Terminal.line(queued == 0
            ? "nothing to deliver again: every notification from there was already delivered (add --resend to send them anyway)"
            : "\(queued) deliveries queued; follow them with orders notifications ORDER or orders lag")
    }
}

struct Rebuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild the read model from the log (swapped in when caught up), or build one as of a point",
        discussion: """
            Examples: orders rebuild; orders rebuild --up-to 0:120 --up-to 1:98; orders rebuild --up-to-timestamp 1767225600000; \
            orders rebuild --up-to-timestamp 2026-01-01T00:00:00Z
            """)
    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("up-to"), help: "PARTITION:OFFSET: fold that partition up to (not including) the offset; repeatable") var upTo: [String] = []
    @Option(help: "Fold every partition up to this time: ms since the epoch, or ISO-8601 with a zone (2026-01-01T00:00:00Z)")
    var upToTimestamp: String?
    @Flag(help: "Start it and return, without following its progress") var noWait = false

    func upToMilliseconds() throws -> Int64? {
        guard let upToTimestamp else { return nil }
        do throws(ArgumentProblem) {
            return try TimeArgument.milliseconds(upToTimestamp)
        } catch {
            throw ValidationError("--up-to-timestamp \(upToTimestamp): \(error.message)")
        }
    }

    func positions() throws -> [String: Int64] {
        var result: [String: Int64] = [:]
        for item in upTo {
            let parts = item.split(separator: ":")
            guard parts.count == 2, let partition = Int32(parts[0]), partition >= 0, let offset = Int64(parts[1]), offset >= 0 else {
                throw ValidationError("--up-to must be PARTITION:OFFSET, as 0:120, not \(item.debugDescription)")
            }
            result[String(partition)] = offset
        }
        return result
    }

    func validate() throws {
        _ = try positions()
        if !upTo.isEmpty, upToTimestamp != nil { throw ValidationError("give --up-to or --up-to-timestamp, not both") }
        _ = try upToMilliseconds()
    }

    func run() async throws {
        var body: [String: JSONValue] = [:]
        if !upTo.isEmpty { body["upTo"] = .object(try positions().mapValues { .integer($0) }) }
        if let upToTimestamp = try upToMilliseconds() { body["upToTimestamp"] = .integer(upToTimestamp) }
        let started = try await global.query.send(.POST, "/admin/rebuild", json: jsonBytes(JSONValue.object(body)), admin: true)
        var status = try started.decode(RebuildAnswer.self, service: "OrderQuery")
        if global.json && noWait { return Terminal.json(started.json) }
        if !global.json { Terminal.line("rebuild \(status.id) started: generation \(status.generation), \(status.kind)") }
        if noWait { return }
        let bar = ProgressBar()
        while status.status == "building" || status.status == "snapshot-building" {
            if global.json { Terminal.json(status.progressJSON) } else { bar.show(status) }
            try await Task.sleep(for: .milliseconds(500))
            status = try await global.query.send(.GET, "/admin/rebuild/\(status.id)", admin: true).decode(RebuildAnswer.self, service: "OrderQuery")
        }
        if global.json { Terminal.json(status.progressJSON) } else { bar.finish(status) }
        if status.status == "failed" { throw CLIError.failed("rebuild \(status.id) failed: \(status.error ?? "no reason given")") }
        if !global.json {
            Terminal.line(status.status == "snapshot"
                ? "read it with --query-url and ?generation=\(status.generation), e.g. curl '\(global.queryURL)/stats?generation=\(status.generation)'"
                : "queries now read generation \(status.generation)")
        }
    }
}

extension RebuildAnswer {
    var progressJSON: JSONValue {
        .object([
            "id": .integer(id), "generation": .integer(generation), "status": .string(status),
            "recordsRead": .integer(recordsRead), "recordsTotal": recordsTotal.map { .integer($0) } ?? .null,
            "eventsApplied": .integer(eventsApplied),
        ])
    }
}

/// A one-line progress bar on a terminal; plain progress lines otherwise.
final class ProgressBar {
    private var lastLine = ""

    func show(_ status: RebuildAnswer) {
        let total = max(status.recordsTotal ?? 0, 1)
        let fraction = min(1, Double(status.recordsRead) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let eta = status.etaSeconds.map { String(format: ", ETA %.0f s", $0) } ?? ""
        let text = "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] "
            + String(format: "%3.0f%%  %lld of %lld records, %.0f events/s", fraction * 100, status.recordsRead, status.recordsTotal ?? 0, status.eventsPerSecond) + eta
        if Terminal.isTTY {
            FileHandle.standardOutput.write(Data(("\r" + text + "\u{1B}[K").utf8))
        } else if text != lastLine {
            Terminal.line(text)
        }
        lastLine = text
    }

    func finish(_ status: RebuildAnswer) {
        show(status)
        if Terminal.isTTY { Terminal.line() }
        Terminal.line("rebuild \(status.id): \(status.status), \(status.eventsApplied) events applied")
    }
}

struct Lag: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Every consumer's lag per partition, from the services' status")
    @OptionGroup var global: GlobalOptions

    struct Row: Encodable {
        var consumer: String
        var partition: Int32
        var position: Int64
        var end: Int64
        var lag: Int64
    }

    func run() async throws {
        var rows: [Row] = []
        var failures: [CLIError] = []
        do {
            let projection = try await global.query.send(.GET, "/projection").decode(ProjectionAnswer.self, service: "OrderQuery")
            rows += projection.partitions.map { Row(consumer: "order-query", partition: $0.partition, position: $0.storedOffset, end: $0.endOffset, lag: $0.lag) }
        } catch let error as CLIError { failures.append(error) }
        do {
            let status = try await global.notifier.send(.GET, "/status").decode(NotifierStatusAnswer.self, service: "Notifier")
            rows += status.partitions.map { Row(consumer: "notifier", partition: $0.partition, position: $0.foldedOffset, end: $0.endOffset, lag: $0.lag) }
        } catch let error as CLIError { failures.append(error) }
        if rows.isEmpty, let failure = failures.first { throw failure }
        if global.json {
            for row in rows { Terminal.json(row) }
        } else {
            Terminal.table(["consumer", "partition", "position", "log end", "lag"], rows.map {
                [$0.consumer, String($0.partition), String($0.position), String($0.end), $0.lag == 0 ? "0" : Terminal.yellow(String($0.lag))]
            })
            Terminal.line(Terminal.dim("order-command reads each partition it owns to its end before serving it: it has no lag to report"))
        }
        // What could be read is printed; the first service that could not be asked is the error.
        if let failure = failures.first {
            if rows.isEmpty || failures.count == 1 { throw failure }
            throw CLIError.failed("\(failure); and \(failures.count - 1) more service(s) could not be asked")
        }
    }
}
