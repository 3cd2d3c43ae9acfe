@_exported import SeedFuzzing

#if canImport(Glibc)
  import Glibc
#endif

/// Runs libFuzzer on one target with the process's command line, and exits with its status.
///
/// SwiftPM renames an executable's `main` and points the linker's `main` at it, which hides
/// the `main` libFuzzer brings; so the executable calls libFuzzer's driver itself.
public func runLibFuzzer(_ target: FuzzTarget) -> Never {
  fuzzedTarget = target
  var argc = CommandLine.argc
  var argv = CommandLine.unsafeArgv
  exit(LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput))
}

/// The target `LLVMFuzzerTestOneInput` drives; a C callback can capture nothing.
nonisolated(unsafe) private var fuzzedTarget = FuzzTarget.language

@_cdecl("LLVMFuzzerTestOneInput")
func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  fuzzedTarget.run(bytes)
  return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
