import ArgumentParser
import OrderLog
import Testing

@testable import OrdersCLI

/// The CLI's commands that take a position or a time (`LogPosition`, `TimeArgument`, tested
/// in OrderLogTests) take both forms, and refuse what they cannot use.
@Suite struct TimeOptionsTests {
    /// 2026-12-06T00:00:00Z in milliseconds since the epoch.
    static let december6: Int64 = 1_796_515_200_000

    @Test func everyCommandThatTakesATimeTakesBothForms() throws {
        for arguments in [
            ["events", "--offset", "@2026-12-06T00:00:00Z"],
            ["events", "--partition", "2", "--offset", "@2026-12-06T01:00:00.250+01:00", "--json"],
            ["replay", "notifier", "--offset", "@2026-12-06T00:00:00Z"],
            ["replay", "notifier", "--offset", "@1796515200000", "--resend"],
            ["rebuild", "--up-to-timestamp", "2026-12-06T00:00:00Z"],
            ["rebuild", "--up-to-timestamp", "1796515200000"],
        ] {
            _ = try OrdersCommand.parseAsRoot(arguments)
        }
        let events = try #require(try OrdersCommand.parseAsRoot(["events", "--offset", "@2026-12-06T01:00:00+01:00"]) as? Events)
        #expect(try events.start() == .timestamp(Self.december6))
        let replay = try #require(try OrdersCommand.parseAsRoot(["replay", "notifier", "--offset", "@2026-12-06T00:00:00.5Z"]) as? Replay)
        #expect(try replay.start() == .timestamp(Self.december6 + 500))
        let rebuild = try #require(try OrdersCommand.parseAsRoot(["rebuild", "--up-to-timestamp", "2026-12-06T00:00:00Z"]) as? Rebuild)
        #expect(try rebuild.upToMilliseconds() == Self.december6)
        for arguments in [
            ["events", "--offset", "@2026-12-06T00:00:00"],
            ["replay", "notifier", "--offset", "@2026-12-06"],
            ["replay", "notifier", "--offset", "@2026-12-06T00:00:00Z", "--partition", "0"],  // a time is every partition's
            ["replay", "notifier", "--offset", "end"],
            ["rebuild", "--up-to-timestamp", "2026-12-06T00:00:00"],
            ["rebuild", "--up-to-timestamp", "-5"],
            ["history", "o-1", "--at-offset", "@2026-12-06T00:00:00Z"],  // history takes plain offsets only
        ] {
            #expect(throws: (any Error).self, "\(arguments)") { _ = try OrdersCommand.parseAsRoot(arguments) }
        }
    }
}
