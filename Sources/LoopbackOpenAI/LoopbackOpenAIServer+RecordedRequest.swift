import Foundation

extension LoopbackOpenAIServer {
  /// A request as the server read it, kept so tests can check what a client sent.
  public struct RecordedRequest: Sendable {
    public let method: String
    /// The request target as sent, query included.
    public let path: String
    /// Header names lowercased; repeated headers joined with ", ".
    public let headers: [String: String]
    public let body: Data

    public init(method: String, path: String, headers: [String: String], body: Data) {
      self.method = method
      self.path = path
      self.headers = headers
      self.body = body
    }
  }
}
