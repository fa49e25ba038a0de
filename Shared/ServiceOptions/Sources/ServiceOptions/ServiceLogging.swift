import ArgumentParser
import Logging

/// What every service executable does first: log lines to standard error at the given level.
public func bootstrapServiceLogging(level: String) {
    let level = Logger.Level(rawValue: level) ?? .info
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = level
        return handler
    }
}

/// `--log-level / LOG_LEVEL`, checked.
public func validateLogLevel(_ text: String) throws {
    guard Logger.Level(rawValue: text) != nil else {
        throw ValidationError("--log-level / LOG_LEVEL must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")), not \(text.debugDescription)")
    }
}
