/// FNV-1a, 64-bit: a stable hash of bytes, unlike `Hasher`, which is seeded per process.
enum FNV1a {
  static let offsetBasis: UInt64 = 0xCBF2_9CE4_8422_2325
  static let prime: UInt64 = 0x0000_0100_0000_01B3

  static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
    var hash = offsetBasis
    for byte in bytes {
      hash ^= UInt64(byte)
      hash = hash &* prime
    }
    return hash
  }

  static func hash(_ text: String) -> UInt64 { hash(text.utf8) }
}
