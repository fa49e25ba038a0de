#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KafkaProtocol
import NIOCore

/// One change to the committed offsets, as stored in the offset log.
enum OffsetLogEntry: Hashable, Sendable {
    case commit(group: String, partition: OffsetStore.TopicPartition, offset: OffsetStore.CommittedOffset)
    case deletePartition(group: String, partition: OffsetStore.TopicPartition)
    case deleteGroup(group: String)
}

/// The file format of `<dataDir>/__consumer_offsets/offsets.log`: an append-only sequence
/// of frames, one per commit (so a commit is all or nothing).
///
///     frame   = length: UInt32 (of payload) | crc32c: UInt32 (of payload) | payload
///     payload = version: UInt8 (1) | count: UInt32 | entry*
///     entry   = kind: UInt8 | group: string | ...
///       kind 0 (commit):           topic: string | partition: Int32 | offset: Int64 |
///                                  leaderEpoch: Int32 | metadata: string | timestamp: Int64
///       kind 1 (delete partition): topic: string | partition: Int32
///       kind 2 (delete group):     nothing more
///     string  = length: UInt32 | UTF-8 bytes
///
/// All integers big-endian. Reading stops at the first frame that is short or fails its
/// CRC (a write torn by a crash); the owner truncates the file there.
enum OffsetLogFormat {
    static let version: UInt8 = 1
    static let frameHeaderBytes = 8

    static func encodeFrame(_ entries: [OffsetLogEntry], into buffer: inout ByteBuffer) {
        var payload = ByteBuffer()
        payload.writeInteger(version)
        payload.writeInteger(UInt32(entries.count))
        for entry in entries { encode(entry, into: &payload) }
        buffer.writeInteger(UInt32(payload.readableBytes))
        buffer.writeInteger(CRC32C.checksum(payload))
        buffer.writeBuffer(&payload)
    }

    private static func encode(_ entry: OffsetLogEntry, into buffer: inout ByteBuffer) {
        switch entry {
        case .commit(let group, let partition, let offset):
            buffer.writeInteger(UInt8(0))
            writeString(group, into: &buffer)
            writeString(partition.topic, into: &buffer)
            buffer.writeInteger(partition.partition)
            buffer.writeInteger(offset.offset)
            buffer.writeInteger(offset.leaderEpoch)
            writeString(offset.metadata, into: &buffer)
            buffer.writeInteger(offset.commitTimestamp)
        case .deletePartition(let group, let partition):
            buffer.writeInteger(UInt8(1))
            writeString(group, into: &buffer)
            writeString(partition.topic, into: &buffer)
            buffer.writeInteger(partition.partition)
        case .deleteGroup(let group):
            buffer.writeInteger(UInt8(2))
            writeString(group, into: &buffer)
        }
    }

    private static func writeString(_ string: String, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt32(string.utf8.count))
        buffer.writeString(string)
    }

    /// Decodes whole frames from the start of `buffer`. Returns the entries and the number of
    /// bytes they occupy; anything after is a torn or corrupt tail.
    static func decodeFrames(_ buffer: ByteBuffer) -> (entries: [OffsetLogEntry], validBytes: Int) {
        var buffer = buffer
        var entries: [OffsetLogEntry] = []
        var valid = 0
        while buffer.readableBytes >= frameHeaderBytes {
            guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self),
                  let crc = buffer.getInteger(at: buffer.readerIndex + 4, as: UInt32.self),
                  buffer.readableBytes - frameHeaderBytes >= Int(length),
                  var payload = buffer.getSlice(at: buffer.readerIndex + frameHeaderBytes, length: Int(length)),
                  CRC32C.checksum(payload) == crc,
                  let frame = decodePayload(&payload)
            else { break }
            entries.append(contentsOf: frame)
            buffer.moveReaderIndex(forwardBy: frameHeaderBytes + Int(length))
            valid += frameHeaderBytes + Int(length)
        }
        return (entries, valid)
    }

    private static func decodePayload(_ payload: inout ByteBuffer) -> [OffsetLogEntry]? {
        guard payload.readInteger(as: UInt8.self) == version,
              let count = payload.readInteger(as: UInt32.self)
        else { return nil }
        var entries: [OffsetLogEntry] = []
        for _ in 0..<count {
            guard let entry = decodeEntry(&payload) else { return nil }
            entries.append(entry)
        }
        return payload.readableBytes == 0 ? entries : nil
    }

    private static func decodeEntry(_ buffer: inout ByteBuffer) -> OffsetLogEntry? {
        guard let kind = buffer.readInteger(as: UInt8.self), let group = readString(&buffer) else { return nil }
        switch kind {
        case 0:
            guard let topic = readString(&buffer),
                  let partition = buffer.readInteger(as: Int32.self),
                  let offset = buffer.readInteger(as: Int64.self),
                  let epoch = buffer.readInteger(as: Int32.self),
                  let metadata = readString(&buffer),
                  let timestamp = buffer.readInteger(as: Int64.self)
            else { return nil }
            return .commit(
                group: group, partition: .init(topic: topic, partition: partition),
                offset: .init(offset: offset, leaderEpoch: epoch, metadata: metadata, commitTimestamp: timestamp))
        case 1:
            guard let topic = readString(&buffer), let partition = buffer.readInteger(as: Int32.self) else { return nil }
            return .deletePartition(group: group, partition: .init(topic: topic, partition: partition))
        case 2:
            return .deleteGroup(group: group)
        default:
            return nil
        }
    }

    private static func readString(_ buffer: inout ByteBuffer) -> String? {
        guard let length = buffer.readInteger(as: UInt32.self), let bytes = buffer.readSlice(length: Int(length)) else { return nil }
        return String(buffer: bytes)
    }
}

/// The open offset log. Not thread-safe: `OffsetStore` uses it under its write lock only.
final class OffsetLogWriter {
    static let fileName = "offsets.log"

    let directory: String
    let path: String
    private var file: File
    private(set) var size: Int64
    /// Entries in the file: live ones plus those later overwritten (what compaction removes).
    private(set) var entryCount: Int

    private init(directory: String, file: File, size: Int64, entryCount: Int) {
        self.directory = directory
        self.path = directory + "/" + Self.fileName
        self.file = file
        self.size = size
        self.entryCount = entryCount
    }

    /// Opens (creating if needed) the log in `directory` and reads it back. A torn tail is
    /// truncated away; a temporary file left by an interrupted compaction is deleted.
    static func open(directory: String, onTornTail: (_ validBytes: Int64, _ fileBytes: Int64) -> Void) throws -> (OffsetLogWriter, [OffsetLogEntry]) {
        try createDirectories(directory)
        let path = directory + "/" + fileName
        try Directory.removeFile(path + ".tmp")
        let existed = Directory.exists(path)
        let file = try File(path: path, create: true)
        if !existed { Directory.sync(directory) }
        let fileBytes = try file.size()
        let contents = try file.read(at: 0, length: Int(fileBytes))
        let (entries, validBytes) = OffsetLogFormat.decodeFrames(contents)
        if Int64(validBytes) < fileBytes {
            onTornTail(Int64(validBytes), fileBytes)
            try file.truncate(to: Int64(validBytes))
            try file.sync()
        }
        let writer = OffsetLogWriter(directory: directory, file: file, size: Int64(validBytes), entryCount: entries.count)
        return (writer, entries)
    }

    /// Appends one frame and makes it durable before returning.
    func append(_ entries: [OffsetLogEntry]) throws {
        var buffer = ByteBuffer()
        OffsetLogFormat.encodeFrame(entries, into: &buffer)
        do {
            try file.write(buffer, at: size)
            try file.sync()
        } catch {
            // Leave no half frame for the next append to follow: cut back to the last good one.
            try? file.truncate(to: size)
            throw error
        }
        size += Int64(buffer.readableBytes)
        entryCount += entries.count
    }

    /// Replaces the log with `entries` (the live offsets): written to a temporary file,
    /// synced, renamed over the log, directory synced. A crash at any point leaves either
    /// the old log or the new one.
    func rewrite(_ entries: [OffsetLogEntry]) throws {
        let temporaryPath = path + ".tmp"
        let temporary = try File(path: temporaryPath, create: true)
        try temporary.truncate(to: 0)
        var buffer = ByteBuffer()
        var start = 0
        while start < entries.count {
            let end = min(start + 1000, entries.count)
            OffsetLogFormat.encodeFrame(Array(entries[start..<end]), into: &buffer)
            start = end
        }
        try temporary.write(buffer, at: 0)
        try temporary.sync()
        temporary.close()
        try Directory.rename(temporaryPath, path)
        Directory.sync(directory)
        file.close()
        file = try File(path: path, create: false)
        size = Int64(buffer.readableBytes)
        entryCount = entries.count
    }

    func close() {
        file.close()
    }

    /// `mkdir -p`.
    private static func createDirectories(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for component in path.split(separator: "/") {
            current += "/" + component
            try Directory.create(current)
        }
    }
}
