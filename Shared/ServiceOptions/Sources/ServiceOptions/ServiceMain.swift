import ArgumentParser
import Foundation

extension AsyncParsableCommand {
    /// A service executable's `main`: parses, validates and runs the command, except that a
    /// configuration it cannot start with (a bad value, an unknown flag, a security setting
    /// that cannot work) is one line on standard error, and exit code 64 (EX_USAGE), rather
    /// than the error followed by the whole help. `--help` and run-time errors are as usual.
    public static func serviceMain() async {
        var command: Self
        do {
            command = try parse()
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            let name = configuration.commandName ?? "\(Self.self)"
            FileHandle.standardError.write(Data("\(name): \(message(for: error)) (see \(name) --help)\n".utf8))
            exit(withError: ExitCode.validationFailure)
        }
        do {
            try await command.run()
        } catch {
            exit(withError: error)
        }
    }
}
