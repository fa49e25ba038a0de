/// A string with its hash worked out once. A large table of string keys rehashes every key
/// each time it grows (about 20 times on the way to a million), and hashing the string again
/// each time was a tenth of folding a partition; and a key used for several lookups is hashed
/// once.
public struct HashedString: Hashable, Sendable {
    public let string: String
    public let hash: Int

    public init(_ string: String) {
        self.string = string
        self.hash = string.hashValue
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(hash) }
    public static func == (a: HashedString, b: HashedString) -> Bool { a.hash == b.hash && a.string == b.string }
}
