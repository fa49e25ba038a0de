import ArgumentParser
import Testing

@testable import OrderCommand

/// Configuration from flags, with clear errors naming the flag and the variable.
@Suite struct OptionsTests {
    @Test func flagsBecomeTheConfiguration() throws {
        let options = try OrderCommandOptions.parse([
            "--kafka-bootstrap-servers", "k1:9092,k2:9093", "--http-listen", "0.0.0.0:9000",
            "--advertised-url", "http://cmd-1:9000/", "--orders-partitions", "12", "--max-lines", "7",
            "--session-timeout-ms", "8000", "--command-deadline-ms", "2500",
        ])
        let configuration = try options.configuration()
        #expect(configuration.bootstrapServers.map { "\($0)" } == ["k1:9092", "k2:9093"])
        #expect(configuration.httpHost == "0.0.0.0" && configuration.httpPort == 9000)
        #expect(configuration.effectiveAdvertisedURL == "http://cmd-1:9000")
        #expect(configuration.topic.partitions == 12)
        #expect(configuration.rules.maxLines == 7)
        #expect(configuration.sessionTimeout == .seconds(8))
        #expect(configuration.commandDeadline == .milliseconds(2500))
    }

    @Test(arguments: [
        (["--orders-partitions", "zero"], "ORDERS_PARTITIONS"),
        (["--orders-partitions", "0"], "ORDERS_PARTITIONS"),
        (["--http-listen", "nowhere"], "HTTP_LISTEN"),
        (["--advertised-url", "ftp://x"], "ADVERTISED_URL"),
        (["--max-lines=-1"], "MAX_LINES"),
        (["--session-timeout-ms", "10"], "SESSION_TIMEOUT_MS"),
        (["--log-level", "loud"], "LOG_LEVEL"),
    ])
    func badValuesAreRefusedByName(arguments: [String], variable: String) {
        #expect {
            _ = try OrderCommandOptions.parse(arguments)
        } throws: { error in
            OrderCommandOptions.message(for: error).contains(variable)
        }
    }

    @Test func theAdvertisedURLDefaultsToTheListenAddress() throws {
        let configuration = try OrderCommandOptions.parse(["--http-listen", "127.0.0.1:8181"]).configuration()
        #expect(configuration.effectiveAdvertisedURL == "http://127.0.0.1:8181")
    }
}
