/// A Kafka record of an event as the fold reads it: the key, the value and each header's value
/// lent as bytes for the length of a call. `EventRecord` is one; a service's consumer record is
/// another (KafkaEvents), so that folding a taken-over partition reads the client's fetched bytes
/// in place instead of copying every record into an `EventRecord` first (ten allocations a
/// record, a sixth of that fold).
public protocol EventRecordBytes {
    /// Calls `body` with the key's bytes and returns true; false (`body` not called) for a null key.
    func withKey(_ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool
    /// Calls `body` with the value's bytes and returns true; false for a null value.
    func withValue(_ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool
    var headerCount: Int { get }
    /// The UTF-8 length of header `index`'s name.
    func headerNameLength(at index: Int) -> Int
    /// Whether header `index` is named `name` (compared in place: no copy of the name).
    func headerName(at index: Int, is name: String) -> Bool
    /// Calls `body` with the value of header `index` and returns true; false for a null value.
    func withHeaderValue(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool
}

extension EventRecordBytes {
    /// The key as text: the order id (nil when null or not UTF-8).
    public var keyString: String? {
        var text: String?
        _ = withKey { text = String(utf8Bytes: $0) }
        return text
    }

    /// The first header of that name, as UTF-8 text (nil when absent, null or not UTF-8).
    public func header(_ name: String) -> String? {
        headerIndex(name).flatMap { headerText(at: $0) }
    }

    /// The first header named `name`, or nil.
    func headerIndex(_ name: String) -> Int? {
        (0..<headerCount).first { headerName(at: $0, is: name) }
    }

    /// The value of header `index` as UTF-8 text (nil when null or not UTF-8). Callers that
    /// parse values read them with `withHeaderValue` and a closure of their own: a generic
    /// helper here is not specialized across modules, and cost an eighth of the fold.
    func headerText(at index: Int) -> String? {
        var text: String?
        _ = withHeaderValue(at: index) { text = String(utf8Bytes: $0) }
        return text
    }
}

extension EventRecord: EventRecordBytes {
    public func withKey(_ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        guard let key else { return false }
        key.withUnsafeBufferPointer(body)
        return true
    }

    public func withValue(_ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        guard let value else { return false }
        value.withUnsafeBufferPointer(body)
        return true
    }

    public var headerCount: Int { headers.count }

    public func headerNameLength(at index: Int) -> Int { headers[index].name.utf8.count }

    public func headerName(at index: Int, is name: String) -> Bool { headers[index].name == name }

    public func withHeaderValue(at index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Void) -> Bool {
        guard let value = headers[index].value else { return false }
        value.withUnsafeBufferPointer(body)
        return true
    }
}
