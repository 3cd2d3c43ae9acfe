extension Interpreter {
  /// Hands an output item to the host, unless it takes the run past `maxOutputBytes`: then
  /// the `print` or `display` fails, and what was recorded before stays as it was.
  public func record(_ item: OutputItem) throws {
    let size = item.size
    guard size <= maxOutputBytes - outputBytes else {
      throw RuntimeFailure(
        "output limit: this would take the output past \(Interpreter.megabytes(maxOutputBytes)) "
          + "(\(Interpreter.megabytes(outputBytes)) so far); print less, or raise the limit with --max-output")
    }
    outputBytes += size
    outputHandler(item)
  }

  /// "10 MB", "1.5 MB", "12 kB", "512 bytes".
  static func megabytes(_ bytes: Int) -> String {
    if bytes < 1_000 { return "\(bytes) bytes" }
    if bytes < 1_000_000 { return "\(bytes / 1_000) kB" }
    let tenths = bytes / 100_000
    return tenths % 10 == 0 ? "\(tenths / 10) MB" : "\(tenths / 10).\(tenths % 10) MB"
  }
}
