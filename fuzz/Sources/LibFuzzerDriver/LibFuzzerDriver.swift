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

/// Where each input is written before it runs, when `SEEDNB_FUZZ_LAST_INPUT` names a file. A
/// stack overflow on a thread without a signal stack kills the process before libFuzzer can
/// save the input; scripts/fuzz then keeps this file instead.
private let lastInputPath = getenv("SEEDNB_FUZZ_LAST_INPUT").map { String(cString: $0) }

@_cdecl("LLVMFuzzerTestOneInput")
func LLVMFuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  if let lastInputPath { writeLastInput(data, size, to: lastInputPath) }
  let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
  fuzzedTarget.run(bytes)
  return 0
}

private func writeLastInput(_ data: UnsafePointer<UInt8>?, _ size: Int, to path: String) {
  let file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
  guard file >= 0 else { return }
  defer { close(file) }
  if let data, size > 0 { _ = write(file, data, size) }
}

@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
  _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
