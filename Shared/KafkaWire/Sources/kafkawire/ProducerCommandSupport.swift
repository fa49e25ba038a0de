import ArgumentParser
import KafkaProtocol
import KafkaWire
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Option parsing and producer plumbing shared by the client subcommands.
enum ProducerCommandSupport {
    static func clientConfiguration(_ brokers: String) throws -> KafkaClientConfiguration {
        let addresses = try ClientCommandSupport.brokers(brokers)
        var configuration = KafkaClientConfiguration(bootstrapServers: addresses)
        configuration.clientID = "kafkawire-cli"
        return configuration
    }

    static func codec(_ name: String) throws -> CompressionCodec {
        guard let codec = CompressionCodec.allCases.first(where: { $0.description == name.lowercased() }) else {
            throw ValidationError("unknown compression \(name): none, gzip, snappy, lz4 or zstd")
        }
        return codec
    }

    static func acks(_ text: String) throws -> KafkaProducerConfiguration.Acks {
        switch text.lowercased() {
        case "all", "-1": return .all
        case "1", "leader": return .leader
        case "0", "none": return .none
        default: throw ValidationError("--acks must be all, 1 or 0")
        }
    }

    /// Runs `producer` in the background for `body`, then closes it (delivering what is held).
    static func withRunningProducer<T: Sendable>(
        _ producer: KafkaProducer, _ body: @Sendable (KafkaProducer) async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await producer.run() }
            do {
                let result = try await body(producer)
                await producer.close()
                try await group.waitForAll()
                return result
            } catch {
                await producer.close()
                group.cancelAll()
                throw error
            }
        }
    }

    static func standardError(_ text: String) {
        var line = text + "\n"
        line.withUTF8 { bytes in _ = write(2, bytes.baseAddress, bytes.count) }
    }
}
