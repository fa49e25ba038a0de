import ArgumentParser
import Foundation
import KafkaWire
import Logging

/// Options every admin subcommand (metadata, topics, groups) takes.
struct ClientOptions: ParsableArguments {
    @Option(help: "Bootstrap brokers, HOST:PORT[,HOST:PORT...].")
    var brokers: String = "127.0.0.1:9092"

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @Option(help: "Seconds to wait for each broker response.")
    var timeout: Int = 30

    @Option(help: "Log level on stderr (trace, debug, info, notice, warning, error, critical).")
    var logLevel: Logger.Level = .error

    @OptionGroup var security: SecurityOptions

    func configuration() throws -> KafkaClientConfiguration {
        let addresses = try ClientCommandSupport.brokers(brokers)
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        var configuration = KafkaClientConfiguration(bootstrapServers: addresses)
        configuration.clientID = "kafkawire-cli"
        configuration.requestTimeout = .seconds(timeout)
        configuration.connectTimeout = .seconds(min(timeout, 10))
        try security.apply(to: &configuration)
        return configuration
    }
}


enum AdminCommandSupport {
    /// Runs `body` with an admin client; any failure becomes one line on stderr and exit code 1.
    static func withAdmin(_ options: ClientOptions, _ body: (KafkaAdmin) async throws -> Void) async throws {
        let configuration = try options.configuration()
        let level = options.logLevel
        ClientCommandSupport.bootstrapLogging(level)
        let admin = KafkaAdmin(configuration: configuration, logger: Logger(label: "kafkawire"))
        do {
            try await body(admin)
            await admin.shutdown()
        } catch let error as CommandFailure {
            await admin.shutdown()
            standardError("error: \(error.message)")
            throw ExitCode.failure
        } catch let error as KafkaError {
            await admin.shutdown()
            standardError("error: \(error)")
            throw ExitCode.failure
        } catch {
            await admin.shutdown()
            throw error
        }
    }

    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    static func standardError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// A failure the command reports itself (one line, exit code 1).
struct CommandFailure: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// Left-aligned columns for human output.
struct TextTable {
    var rows: [[String]]

    init(header: [String]) { rows = [header] }

    mutating func add(_ row: [String]) { rows.append(row) }

    func render(indent: String = "") -> String {
        let widths = rows.reduce(into: [Int]()) { widths, row in
            for (column, cell) in row.enumerated() {
                if column < widths.count { widths[column] = max(widths[column], cell.count) } else { widths.append(cell.count) }
            }
        }
        return rows.map { row in
            indent + row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
