extension LoopbackOpenAIServer {
  /// How the server answers when no fault is queued.
  public struct Options: Sendable {
    /// Seconds to wait before every answer, as a slow upstream would.
    public var delay: Double = 0
    /// Seconds between the events of a streamed answer (`stream: true`), one word each.
    public var eventDelay: Double = 0
    /// `system_fingerprint` in chat answers; nil leaves the field out, as some local servers do.
    public var fingerprint: String? = "fp_loopback_1"
    /// Length of embedding vectors when the request gives no `dimensions`.
    public var embeddingDimensions = 16
    /// When set, requests without `Authorization: Bearer <key>` get 401.
    public var requiredKey: String? = nil
    /// More keys accepted when `requiredKey` is set (a notebook may send some calls with another).
    public var otherKeys: [String] = []
    /// When set, answers name this model instead of echoing the requested one.
    public var model: String? = nil

    public init() {}
  }
}
