import ArgumentParser
import Testing

@testable import Notifier

@Suite struct ConfigurationTests {
    @Test func sinksParse() throws {
        #expect(try SinkSpec.parseList("log, file:/tmp/n.jsonl,webhook:http://127.0.0.1:9/hook") == [
            .log, .file(path: "/tmp/n.jsonl"), .webhook(url: "http://127.0.0.1:9/hook"),
        ])
        for bad in ["", "pigeon", "file:", "webhook:ftp://x", "log,log"] {
            #expect(throws: SinkSpecError.self) { try SinkSpec.parseList(bad) }
        }
    }

    @Test func optionsGiveTheContractsDefaults() throws {
        let configuration = try NotifierOptions.parse([]).configuration()
        #expect(configuration.httpPort == 8083)
        #expect(configuration.groupID == "notifier")
        #expect(configuration.sinks == [.log])
        #expect(configuration.startPosition == .beginning)
        #expect("\(configuration.database)".hasSuffix("notifier.sqlite"))
    }

    @Test func badSettingsNameTheirFlagAndVariable() {
        for (arguments, mention) in [
            (["--notifier-sinks", "pigeon"], "NOTIFIER_SINKS"),
            (["--notifier-concurrency", "0"], "NOTIFIER_CONCURRENCY"),
            (["--notifier-start-from", "middle"], "NOTIFIER_START_FROM"),
            (["--database-url", "mysql://x"], "DATABASE_URL"),
            (["--notifier-templates-dir", "/nonexistent/templates"], "NOTIFIER_TEMPLATES_DIR"),
        ] {
            do {
                _ = try NotifierOptions.parse(arguments).configuration()
                Issue.record("\(arguments) was accepted")
            } catch {
                #expect("\(error)".contains(mention), "\(error)")
            }
        }
    }

    @Test func replayBodiesAreCheckedStrictly() throws {
        #expect(try ReplayRequest.parse(Array(#"{"offsets": {"0": 5, "2": 0}}"#.utf8), partitionCount: 3)
                == ReplayRequest(selection: .offsets([0: 5, 2: 0]), resend: false))
        #expect(try ReplayRequest.parse(Array(#"{"fromTimestamp": 17, "resend": true}"#.utf8), partitionCount: 3)
                == ReplayRequest(selection: .fromTimestamp(17), resend: true))
        for bad in [#""#, #"[]"#, #"{}"#, #"{"offsets": {}}"#, #"{"offsets": {"3": 0}}"#, #"{"offsets": {"0": -1}}"#,
                    #"{"offsets": {"x": 0}}"#, #"{"fromTimestamp": "1"}"#, #"{"offsets": {"0": 0}, "fromTimestamp": 1}"#,
                    #"{"fromTimestamp": 1, "resend": "yes"}"#, #"{"fromTimestamp": 1, "extra": 1}"#,
                    #"{"fromTimestamp": 1.5}"#, #"{"fromTimestamp": 1e400}"#, #"{"offsets": {"0": 1e30}}"#,
#"{"fromTimestamp": 123456789012345678901234567890}"#] {
            #expect(throws: NotifierProblem.self, "\(bad)") { try ReplayRequest.parse(Array(bad.utf8), partitionCount: 3) }
        }
    }
}
