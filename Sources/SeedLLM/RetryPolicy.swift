import Foundation

/// When to try a request again and how long to wait first: on 408, 409, 429, 5xx and
/// connection failures, with exponential backoff and jitter, unless the server says how
/// long in `retry-after-ms` or `retry-after` (seconds or an HTTP date), as OpenAI's own
/// clients do.
public struct RetryPolicy: Sendable, Equatable {
  public var maxRetries: Int
  public var initialDelay: Double
  public var maxDelay: Double

  public init(maxRetries: Int = 2, initialDelay: Double = 0.5, maxDelay: Double = 8) {
    self.maxRetries = maxRetries
    self.initialDelay = initialDelay
    self.maxDelay = maxDelay
  }

  public static func isRetryable(status: Int) -> Bool {
    status == 408 || status == 409 || status == 429 || status >= 500
  }

  /// The wait before retry number `retry` (0 for the first retry).
  public func delay(beforeRetry retry: Int, headers: [String: String], now: Date = Date()) -> Double {
    if let told = RetryPolicy.serverDelay(headers, now: now) { return told }
    let exponential = min(initialDelay * pow(2, Double(retry)), maxDelay)
    // Jitter takes up to a quarter off, so that clients failing together do not retry together.
    return exponential * (1 - 0.25 * Double.random(in: 0..<1))
  }

  /// The server's own wait, if it gave a sensible one (at most a minute).
  public static func serverDelay(_ headers: [String: String], now: Date = Date()) -> Double? {
    if let text = headers["retry-after-ms"], let ms = Double(text.trimmingCharacters(in: .whitespaces)), ms >= 0, ms <= 60_000 {
      return ms / 1000
    }
    guard let text = headers["retry-after"]?.trimmingCharacters(in: .whitespaces) else { return nil }
    if let seconds = Double(text), seconds >= 0, seconds <= 60 { return seconds }
    if let date = RetryPolicy.httpDate.date(from: text) {
      let seconds = date.timeIntervalSince(now)
      if seconds <= 60 { return max(0, seconds) }
    }
    return nil
  }

  private static let httpDate: DateFormatter = {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
    return formatter
  }()
}
