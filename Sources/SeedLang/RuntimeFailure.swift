/// An error a builtin raises; the call site adds the location.
public struct RuntimeFailure: Error {
  public let message: String
  public init(_ message: String) { self.message = message }
}
