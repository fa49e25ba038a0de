import ArgumentParser
import KafkaWire

struct GroupsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "groups",
        abstract: "List and describe consumer groups, with lag.",
        subcommands: [List.self, Describe.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the groups of every broker.")

        @OptionGroup var client: ClientOptions

        func run() async throws {
            try await AdminCommandSupport.withAdmin(client) { admin in
                let groups = try await admin.listGroups()
                if client.json {
                    try AdminCommandSupport.printJSON(groups.map {
                        ListedGroup(group: $0.groupID, state: $0.state, protocolType: $0.protocolType, coordinator: $0.coordinator)
                    })
                    return
                }
                var table = TextTable(header: ["GROUP", "STATE", "PROTOCOL-TYPE", "COORDINATOR"])
                for group in groups {
                    table.add([group.groupID, group.state.isEmpty ? "-" : group.state, group.protocolType, "\(group.coordinator)"])
                }
                print(table.render())
            }
        }
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show members, their assignments and the lag of every committed partition.")

        @OptionGroup var client: ClientOptions

        @Argument(help: "Groups to describe.")
        var groups: [String]

        func validate() throws {
            guard !groups.isEmpty else { throw ValidationError("name at least one group") }
        }

        func run() async throws {
            try await AdminCommandSupport.withAdmin(client) { admin in
                var outputs: [DescribedGroup] = []
                for description in try await admin.describeGroups(groups) {
                    guard description.error == .none else {
                        throw CommandFailure("group \(description.groupID): \(description.error.message)")
                    }
                    let lag = try await admin.consumerLag(group: description.groupID)
                    outputs.append(DescribedGroup(description, lag: lag))
                }
                if client.json {
                    try AdminCommandSupport.printJSON(outputs)
                } else {
                    print(outputs.map(\.text).joined(separator: "\n\n"))
                }
            }
        }
    }

    struct ListedGroup: Encodable {
        var group: String
        var state: String
        var protocolType: String
        var coordinator: Int32
    }

    struct DescribedGroup: Encodable {
        struct Member: Encodable {
            var memberID: String
            var groupInstanceID: String?
            var clientID: String
            var host: String
            var assignment: [String: [Int32]]
        }

        struct Lag: Encodable {
            var topic: String
            var partition: Int32
            var committedOffset: Int64?
            var endOffset: Int64
            var lag: Int64?
            var memberID: String?
        }

        var group: String
        var state: String
        var protocolType: String
        var assignmentProtocol: String
        var coordinator: Int32
        var members: [Member]
        var lag: [Lag]

        init(_ description: GroupDescription, lag: [PartitionLag]) {
            group = description.groupID
            state = description.state
            protocolType = description.protocolType
            assignmentProtocol = description.assignmentProtocol
            coordinator = description.coordinator
            members = description.members.map {
                Member(memberID: $0.memberID, groupInstanceID: $0.groupInstanceID, clientID: $0.clientID, host: $0.clientHost,
                       assignment: $0.assignment)
            }
            var owner: [String: String] = [:]
            for member in description.members {
                for (topic, partitions) in member.assignment {
                    for partition in partitions { owner["\(topic)/\(partition)"] = member.memberID }
                }
            }
            self.lag = lag.map {
                Lag(topic: $0.topic, partition: $0.partition, committedOffset: $0.committedOffset, endOffset: $0.endOffset,
                    lag: $0.lag, memberID: owner["\($0.topic)/\($0.partition)"])
            }
        }

        var text: String {
            var lines = ["Group \(group): \(state), \(protocolType.isEmpty ? "-" : protocolType)"
                + (assignmentProtocol.isEmpty ? "" : "/\(assignmentProtocol)") + ", coordinator \(coordinator), "
                + "\(members.count) member\(members.count == 1 ? "" : "s")"]
            if !members.isEmpty {
                var table = TextTable(header: ["MEMBER", "CLIENT", "HOST", "ASSIGNMENT"])
                for member in members {
                    let assignment = member.assignment.sorted { $0.key < $1.key }
                        .map { "\($0.key):\($0.value.map(String.init).joined(separator: ","))" }.joined(separator: " ")
                    table.add([member.memberID, member.clientID, member.host, assignment.isEmpty ? "-" : assignment])
                }
                lines.append(table.render(indent: "  "))
            }
            if lag.isEmpty {
                lines.append("  no committed offsets")
            } else {
                var table = TextTable(header: ["TOPIC", "PARTITION", "COMMITTED", "END", "LAG", "MEMBER"])
                for row in lag {
                    table.add([row.topic, "\(row.partition)", row.committedOffset.map(String.init) ?? "-", "\(row.endOffset)",
                               row.lag.map(String.init) ?? "-", row.memberID ?? "-"])
                }
                lines.append(table.render(indent: "  "))
            }
            return lines.joined(separator: "\n")
        }
    }
}
