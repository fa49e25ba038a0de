@testable import KafkaBroker
import KafkaProtocol
import Logging
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// A fresh directory under /tmp, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() {
        var template = Array("/tmp/kafkawire-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        precondition(made != nil, "mkdtemp failed")
        path = String(cString: template)
    }

    func remove() { try? Directory.removeTree(path) }
}

extension Logger {
    static let test: Logger = {
        var logger = Logger(label: "kafkawire.test")
        logger.logLevel = .critical
        return logger
    }()
}

/// An idempotent-or-plain batch of `count` records "k<i>"/"v<i>".
func makeBatch(
    count: Int, first: Int = 0, producerID: Int64 = -1, epoch: Int16 = -1, sequence: Int32 = -1,
    compression: CompressionCodec = .none, timestamp: Int64 = 1_700_000_000_000
) throws -> ByteBuffer {
    var builder = RecordBatchBuilder(producerID: producerID, producerEpoch: epoch, baseSequence: sequence, compression: compression)
    for i in first..<(first + count) {
        builder.append(key: ByteBuffer(string: "k\(i)"), value: ByteBuffer(string: "v\(i)"), timestamp: timestamp + Int64(i))
    }
    return try builder.build()
}

/// Every record value in a `records` field, in order.
func values(_ records: ByteBuffer?) throws -> [String] {
    guard let records else { return [] }
    return try RecordBatch.decodeAll(records).flatMap { $0.records.map { String(buffer: $0.value!) } }
}
