import ArgumentParser
import Foundation

/// The benchmarks' native load generator (issue 27, goal 5): it paces and measures without
/// itself saturating the machine, where the Python one's event loop lagged by up to 80 ms. One
/// event-loop thread, raw HTTP/1.1 over keep-alive connections, one request in flight on each.
@main
struct LoadGeneratorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load-generator",
        abstract: "Open-loop load for the benchmarks; prints one JSON line.",
        subcommands: [VisibleLatencyCommand.self, ProbeCommand.self])
}

struct VisibleLatencyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "visible-latency",
        abstract: "Commands at a constant rate; latency from each accepted command to its read-your-writes query's answer.")

    @Option(help: "order-command's base URL") var commandURL: String
    @Option(help: "order-query's base URL") var queryURL: String
    @Option(help: "commands per second") var rate: Double = 1000
    @Option(help: "seconds of scheduled sending, warm-up included") var duration: Double = 20
    @Option(help: "seconds at the start left out of the latencies") var warmup: Double = 3
    @Option(help: "keep-alive connections to each service, at most") var connections: Int = 64
    @Option(help: "order ids are PREFIX-n") var prefix: String = "vis"

    func validate() throws {
        guard rate > 0, duration > 0, warmup >= 0, warmup < duration, connections > 0 else {
            throw ValidationError("--rate, --duration and --connections must be positive, --warmup in [0, duration)")
        }
        _ = try address(commandURL)
        _ = try address(queryURL)
    }

    func run() async throws {
        let report = try await VisibleLatency(
            command: try address(commandURL), query: try address(queryURL), rate: rate,
            duration: duration, warmup: warmup, connections: connections, prefix: prefix).run()
        try printJSON(report)
    }
}

struct ProbeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "GET /health/live at a constant rate, latency from each probe's intended time, in a process of its own.")

    @Option(help: "the service's base URL") var url: String
    @Option(help: "probes per second") var rate: Double = 200
    @Option(help: "seconds of probing, warm-up included") var duration: Double = 20
    @Option(help: "seconds at the start left out") var warmup: Double = 3

    struct Report: Encodable {
        var kind = "probe"
        let health_live: LatencySummary?
    }

    func validate() throws {
        guard rate > 0, duration > 0, warmup >= 0, warmup < duration else {
            throw ValidationError("--rate and --duration must be positive, --warmup in [0, duration)")
        }
        _ = try address(url)
    }

    func run() async throws {
        let latencies = try await SeparateProbe(service: try address(url), rate: rate, duration: duration, warmup: warmup).run()
        try printJSON(Report(health_live: LatencySummary(seconds: latencies)))
    }
}

private func printJSON(_ value: some Encodable) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

private func address(_ url: String) throws -> ServiceAddress {
    guard let address = ServiceAddress(url: url) else { throw ValidationError("\(url): expected http://HOST:PORT") }
    return address
}
