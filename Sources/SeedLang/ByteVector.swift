/// Sixteen bytes of text at a time, for the loops that read whole texts (counting characters,
/// case mapping). Arithmetic and comparisons of `SIMD16<UInt8>` compile to single SSE2 or
/// NEON instructions; which lanes a comparison found is read back as bits by CByteMask.
typealias ByteVector = SIMD16<UInt8>

extension SIMD16<UInt8> {
  @inline(__always)
  static func load(_ bytes: UnsafePointer<UInt8>) -> ByteVector {
    UnsafeRawPointer(bytes).loadUnaligned(as: ByteVector.self)
  }

  @inline(__always)
  func store(_ bytes: UnsafeMutablePointer<UInt8>) {
    UnsafeMutableRawPointer(bytes).storeBytes(of: self, as: ByteVector.self)
  }
}

extension SIMDMask<SIMD16<Int8>> {
  /// The lanes found as 0xFF bytes, the rest as zeros.
  @inline(__always)
  var bytes: ByteVector { unsafeBitCast(self, to: ByteVector.self) }
}
