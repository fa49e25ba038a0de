import ArgumentParser
import KafkaWire
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Plumbing shared by the subcommands: logging, broker lists, CPU time for the perf commands.
enum ClientCommandSupport {
    /// Every subcommand logs to stderr at its `--log-level`; only executables bootstrap logging.
    static func bootstrapLogging(_ level: Logger.Level) {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }

    static func brokers(_ text: String) throws -> [BrokerAddress] {
        do {
            return try BrokerAddress.list(text)
        } catch let error as KafkaError {
            throw ValidationError(error.message)
        }
    }

    /// Seconds of CPU this process used so far (user, system).
    static func cpuSeconds() -> (user: Double, system: Double) {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return (seconds(usage.ru_utime), seconds(usage.ru_stime))
    }
}

/// Buffered standard output written with write(2), flushed on demand.
struct OutputBuffer {
    private var bytes: [UInt8] = []
    private let limit: Int

    init(limit: Int = 64 * 1024) {
        self.limit = limit
        bytes.reserveCapacity(limit + 4096)
    }

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        if bytes.count >= limit { flush() }
    }

    mutating func append<S: Sequence>(contentsOf data: S) where S.Element == UInt8 {
        bytes.append(contentsOf: data)
        if bytes.count >= limit { flush() }
    }

    mutating func flush() {
        var offset = 0
        bytes.withUnsafeBytes { raw in
            while offset < raw.count {
                let n = write(1, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return }
                offset += n
            }
        }
        bytes.removeAll(keepingCapacity: true)
    }
}
