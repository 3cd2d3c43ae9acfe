/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and the same sequence on every
/// platform and Swift version, which `SystemRandomNumberGenerator` does not promise.
struct SplitMix64: RandomNumberGenerator {
  private var state: UInt64

  init(seed: UInt64) { state = seed }

  /// Seeded from the system's generator, for answers that should differ every time.
  static func unseeded() -> SplitMix64 {
    var system = SystemRandomNumberGenerator()
    return SplitMix64(seed: system.next())
  }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniform integer in `range`. Our own arithmetic rather than `Int.random(in:using:)`,
  /// whose way of drawing from the generator the standard library may change.
  mutating func integer(in range: ClosedRange<Int>) -> Int {
    let width = UInt64(range.upperBound - range.lowerBound) + 1
    return range.lowerBound + Int(next() % width)
  }

  /// A uniform number in [-1, 1), from the top 53 bits.
  mutating func signedUnit() -> Double {
    Double(next() >> 11) / Double(1 << 52) - 1
  }
}
