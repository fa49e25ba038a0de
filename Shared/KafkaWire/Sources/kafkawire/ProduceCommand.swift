import ArgumentParser
import KafkaProtocol
import KafkaWire
import Logging
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct ProduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Produce lines from stdin, one record per line.",
        discussion: """
            Each line (without its newline) is a record value, or KEY<delimiter>VALUE with \
            --key-delimiter. Bytes are sent as they are. Records go out pipelined; the command \
            returns when every one is acknowledged, and fails if any failed.
            """
    )

    @Option(help: "Bootstrap brokers, HOST:PORT[,HOST:PORT...].")
    var brokers: String = "127.0.0.1:9092"

    @OptionGroup var security: SecurityOptions

    @Option(help: "Topic to produce to.")
    var topic: String

    @Option(help: "Split each line at the first occurrence of this character into key and value.")
    var keyDelimiter: String?

    @Option(help: "A header KEY=VALUE added to every record; repeatable.")
    var header: [String] = []

    @Option(help: "Partition for every record (default: murmur2 of the key, spread when keyless).")
    var partition: Int32?

    @Option(help: "Compression: none, gzip, snappy, lz4, zstd.")
    var compression: String = "none"

    @Option(help: "Acknowledgements: all (-1), 1 or 0.")
    var acks: String = "all"

    @Option(help: "Idempotent producer (needs acks all): true or false.")
    var idempotence: Bool = true

    @Option(help: "linger.ms: how long a batch waits for more records.")
    var lingerMs: Int = 5

    @Flag(help: "Print one JSON line per record, in input order: partition and offset, or the error.")
    var report = false

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    func run() async throws {
        ClientCommandSupport.bootstrapLogging(logLevel)
        var configuration = KafkaProducerConfiguration(client: try ProducerCommandSupport.clientConfiguration(brokers))
        try security.apply(to: &configuration.client)
        configuration.compression = try ProducerCommandSupport.codec(compression)
        configuration.acks = try ProducerCommandSupport.acks(acks)
        configuration.idempotence = idempotence && configuration.acks == .all
        configuration.linger = .milliseconds(lingerMs)
        let headers = try header.map { text -> RecordHeader in
            guard let equals = text.firstIndex(of: "=") else { throw ValidationError("--header wants KEY=VALUE, got \(text)") }
            return RecordHeader(key: String(text[..<equals]), value: ByteBuffer(string: String(text[text.index(after: equals)...])))
        }
        var delimiter: UInt8?
        if let keyDelimiter {
            guard keyDelimiter.utf8.count == 1, let byte = keyDelimiter.utf8.first else {
                throw ValidationError("--key-delimiter must be one single-byte character")
            }
            delimiter = byte
        }
        let producer = try KafkaProducer(configuration: configuration, logger: Logger(label: "kafkawire.produce"))
        let topic = self.topic, partition = self.partition, report = self.report, keyDelimiter = delimiter
        let failures = try await ProducerCommandSupport.withRunningProducer(producer) { producer in
            var reader = ProduceLineReader(fileDescriptor: 0)
            var handles: [DeliveryHandle] = []
            var failures = 0
            while let line = reader.next() {
                var key: ByteBuffer?
                var value = line
                if let keyDelimiter, let at = line.readableBytesView.firstIndex(of: keyDelimiter) {
                    key = line.getSlice(at: line.readerIndex, length: at - line.readerIndex)
                    value = line.getSlice(at: at + 1, length: line.writerIndex - at - 1)!
                }
                let record = ProducerRecord(topic: topic, key: key, value: value, headers: headers, partition: partition)
                do {
                    handles.append(try await producer.enqueue(record))
                } catch {
                    failures += 1
                    if report { print(#"{"error":"\#(error)"}"#) }
                }
            }
            for handle in handles {
                do {
                    let metadata = try await handle.metadata()
                    if report { print(#"{"partition":\#(metadata.partition),"offset":\#(metadata.offset)}"#) }
                } catch {
                    failures += 1
                    if report { print(#"{"partition":\#(handle.partition),"error":"\#(error)"}"#) }
                }
            }
            return failures
        }
        if failures > 0 {
            ProducerCommandSupport.standardError("kafkawire produce: \(failures) record(s) failed")
            throw ExitCode.failure
        }
    }
}

/// Reads newline-separated lines as raw bytes (no UTF-8 repair: values stay byte-exact).
struct ProduceLineReader {
    let fileDescriptor: Int32
    private var buffer = ByteBuffer()
    private var eof = false

    init(fileDescriptor: Int32) { self.fileDescriptor = fileDescriptor }

    mutating func next() -> ByteBuffer? {
        while true {
            if let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                let line = buffer.readSlice(length: newline - buffer.readerIndex)!
                buffer.moveReaderIndex(forwardBy: 1)
                return line
            }
            if eof {
                guard buffer.readableBytes > 0 else { return nil }
                return buffer.readSlice(length: buffer.readableBytes)
            }
            buffer.discardReadBytes()
            buffer.reserveCapacity(minimumWritableBytes: 64 * 1024)
            let count = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 64 * 1024) { pointer in
                let n = read(fileDescriptor, pointer.baseAddress, pointer.count)
                return Swift.max(n, 0)
            }
            if count == 0 { eof = true }
        }
    }
}
