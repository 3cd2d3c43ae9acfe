import OrderedCollections
import SeedLLM
import SeedLang
import Yams

/// The `-p key=value` arguments of `seednb run`, read against the parameters a notebook
/// declares, papermill style: each value is read as its default's type.
public struct ParameterOverrides {
  /// Parses `-p key=value` arguments against the declared params; returns the resolved params
  /// (declared defaults overridden), in declaration order. A later `-p` for a key overrides an
  /// earlier one. Throws a `Diagnostic`, or a `DiagnosticList` naming every bad argument.
  /// A value that holds an API key (one of `knownKeys`, or shaped like one) is refused: a
  /// parameter is printed, cached and shown in reports, and a key is read with `secret()`.
  public static func resolve(
    _ arguments: [String], declared: OrderedDictionary<String, ParameterValue>, knownKeys: [String] = []
  ) throws -> OrderedDictionary<String, ParameterValue> {
    var resolved = declared
    var diagnostics: [Diagnostic] = []
    for argument in arguments {
      do {
        try refuseKey(in: argument, knownKeys: knownKeys)
        let (name, value) = try override(argument, declared: declared)
        // Assigning to an existing key keeps its place, so declaration order survives.
        resolved[name] = value
      } catch let diagnostic as Diagnostic {
        diagnostics.append(diagnostic)
      }
    }
    try Diagnostic.throwIfAny(diagnostics)
    return resolved
  }

  /// The refusal of a key given as a parameter; the message never holds the value.
  static func refuseKey(in argument: String, knownKeys: [String]) throws {
    guard let equals = argument.firstIndex(of: "=") else { return }
    let name = String(argument[..<equals])
    guard APIKeyShape.holdsKey(String(argument[argument.index(after: equals)...]), knownKeys: knownKeys) else { return }
    throw Diagnostic.format(
      "-p \(name)=...: the value looks like an API key, and a parameter is printed, cached and shown in reports: "
        + "read the key in the notebook with secret(\"NAME\") (chat(..., api_key: secret(\"NAME\"))), "
        + "list NAME under secrets: in the front matter, and set the environment variable NAME")
  }

  /// argument -> name '=' text ; the text may itself hold '='.
  static func override(
    _ argument: String, declared: OrderedDictionary<String, ParameterValue>
  ) throws -> (String, ParameterValue) {
    // Scalars, so that an '=' followed by a combining mark is still found.
    let scalars = argument.unicodeScalars
    guard let equals = scalars.firstIndex(of: "=") else {
      let name = argument.isEmpty ? "name" : argument
      throw Diagnostic.format("-p '\(argument)' is not key=value: write -p \(name)=VALUE")
    }
    let name = String(Substring(scalars[..<equals]))
    let text = String(Substring(scalars[scalars.index(after: equals)...]))
    guard !name.isEmpty else {
      throw Diagnostic.format("-p '\(argument)' has no parameter name before '=': write -p name\(argument)")
    }
    guard let defaultValue = declared[name] else {
      guard !declared.isEmpty else {
        throw Diagnostic.format(
          "unknown parameter '\(name)': the notebook declares no params in its front matter")
      }
      let names = Array(declared.keys)
      let hint = Suggestion.closest(to: name, among: names).map { " (did you mean '\($0)'?)" } ?? ""
      throw Diagnostic.format(
        "unknown parameter '\(name)'\(hint): the notebook declares \(names.joined(separator: ", "))")
    }
    return (name, try value(of: text, name: name, defaultValue: defaultValue))
  }

  /// Reads the text as the default's type: a string verbatim, an int, float or bool as a YAML
  /// scalar, a list or dict as YAML (so JSON and flow syntax like `[1, 2]` both work), and
  /// anything for a null default, typed as YAML would type it.
  static func value(of text: String, name: String, defaultValue: ParameterValue) throws -> ParameterValue {
    /// The error for a text that does not fit; `detail` says why, after a comma or colon.
    func mismatch(_ detail: String = "") -> Diagnostic {
      let expected = defaultValue == .null ? "a YAML value" : defaultValue.typeNameWithArticle
      return .format(
        "parameter '\(name)' expects \(expected) (its default is \(defaultValue.literal)), got '\(text)'\(detail)")
    }
    let trimmed = text.trimmingBlanks()
    // Throws only for an int too large for 64 bits.
    let scalar = try? CoreSchema.value(ofPlainScalar: trimmed)
    let tooLarge = ", which does not fit in a 64-bit int"
    let typed = scalar.map { $0 == .string(trimmed) ? "" : ", which is \($0.typeNameWithArticle)" } ?? tooLarge
    switch defaultValue {
    case .int, .float, .bool, .list, .dict:
      if trimmed.isEmpty { throw mismatch(", which is empty") }
    case .string, .null:
      break
    }
    switch defaultValue {
    case .string:
      return .string(text)
    case .int:
      guard case .int(let value)? = scalar else { throw mismatch(typed) }
      return .int(value)
    case .float:
      switch scalar {
      case .float(let value)?: return .float(value)
      case .int(let value)?: return .float(Double(value))
      case nil: return .float(Double(trimmed) ?? .infinity)
      default: throw mismatch(typed)
      }
    case .bool:
      guard case .bool(let value)? = scalar else { throw mismatch(": use true or false") }
      return .bool(value)
    case .list, .dict:
      let value = try yamlValue(of: text, mismatch: mismatch)
      guard value.typeName == defaultValue.typeName else {
        throw mismatch(", which is \(value.typeNameWithArticle)")
      }
      return value
    case .null:
      // Only text that opens a YAML collection or quoted scalar is read as YAML, so that
      // `a: b` or `x # y` stay text rather than becoming a dict or losing a comment.
      if let first = trimmed.first, "[{\"'".contains(first) {
        return try yamlValue(of: text, mismatch: mismatch)
      }
      guard let scalar else { throw mismatch(tooLarge) }
      return scalar
    }
  }

  /// The value of a YAML document, with YAML's complaint in the mismatch if it does not parse.
  private static func yamlValue(
    of text: String, mismatch: (String) -> Diagnostic
  ) throws -> ParameterValue {
    let node: Node?
    do {
      node = try CoreSchema.parse(text)
    } catch {
      throw mismatch(", which is not valid YAML: \(problem(in: error))")
    }
    guard let node else { throw mismatch(", which is empty") }
    var budget = CoreSchema.nodeBudget
    do {
      return try CoreSchema.value(of: node, budget: &budget)
    } catch let failure as CoreSchema.Failure {
      throw mismatch(": \(failure.message)")
    }
  }

  /// What went wrong in a YAML error, without libyaml's positions, which mean little on a
  /// command line.
  private static func problem(in error: Error) -> String {
    guard let error = error as? YamlError else { return "\(error)" }
    switch error {
    case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _),
      .reader(let problem, _, _, _):
      return problem
    case .duplicatedKeysInMapping(let duplicates, _):
      return "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", "))"
    default:
      return "\(error)"
    }
  }
}
