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

/// The bits `bits` gives for each sixteen of the sixty-four bytes at `bytes`, as one word, the
/// first byte's lowest.
@inline(__always)
func sixtyFourBits(_ bytes: UnsafePointer<UInt8>, _ bits: (UnsafePointer<UInt8>) -> UInt32) -> UInt64 {
  UInt64(bits(bytes)) | UInt64(bits(bytes + 16)) &<< 16 | UInt64(bits(bytes + 32)) &<< 32 | UInt64(bits(bytes + 48)) &<< 48
}
