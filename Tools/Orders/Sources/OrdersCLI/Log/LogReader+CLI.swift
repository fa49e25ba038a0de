import OrderLog

extension LogReader {
    /// `describe()`, its failures said as the CLI says them: what to check, what to run.
    func describeForCLI() async throws -> Topic {
        do throws(DescribeError) {
            return try await describe()
        } catch {
            switch error {
            case .refused:
                // Reached, but refused who we are: the settings to look at are the security ones.
                throw CLIError.failed(error.description)
            case .unreachable(let addresses, let reason):
                throw CLIError.unreachable(
                    service: "Kafka", url: addresses, reason: ServiceClient.reason(reason),
                    hint: "start it (orders up runs everything) or set --kafka-bootstrap-servers / KAFKA_BOOTSTRAP_SERVERS")
            case .noTopic(let topic):
                throw CLIError.failed("topic \(topic) does not exist yet: no order was ever placed on this cluster (orders up creates it)")
            }
        }
    }
}
