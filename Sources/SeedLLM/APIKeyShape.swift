/// What an API key looks like, to refuse one where it would be shown or stored (a `-p`
/// parameter is printed, cached and put in reports). The prefixes are the well-known
/// providers' (OpenAI `sk-` and `sk-proj-`, Anthropic `sk-ant-`, Hugging Face `hf_`, Groq
/// `gsk_`, GitHub `ghp_` and `github_pat_`, Google `AIza`, Slack `xoxb-`/`xoxp-`, AWS `AKIA`),
/// followed by enough key characters that ordinary words (`sk-learn`) do not match.
public enum APIKeyShape {
  static let prefixes: [(prefix: String, rest: Int)] = [
    ("sk-", 16), ("hf_", 20), ("gsk_", 20), ("ghp_", 20), ("gho_", 20), ("github_pat_", 20), ("AIza", 30),
    ("xoxb-", 16), ("xoxp-", 16), ("AKIA", 16),
  ]

  /// Whether `text` holds a word shaped like an API key, or one of `knownKeys` (the values of
  /// `OPENAI_API_KEY` and of the allowed secrets) as it is.
  public static func holdsKey(_ text: String, knownKeys: [String] = []) -> Bool {
    if knownKeys.contains(where: { $0.count >= 8 && text.contains($0) }) { return true }
    return words(of: text).contains { word in
      prefixes.contains { word.hasPrefix($0.prefix) && word.count - $0.prefix.count >= $0.rest }
    }
  }

  /// Runs of the characters keys are made of: letters, digits, `-` and `_`.
  private static func words(of text: String) -> [Substring] {
    text.split { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_")) }
  }
}
