import Foundation

/// What a cell's key is made of: the runtime, its normalised source, the parameters it
/// reads, the modules it imports, and the keys of the cells that define or change the
/// globals it reads (`CellDataflow` finds them). Kept with each stored cell, so that a run
/// whose key differs can say why.
public struct CellKeyInputs: Codable, Sendable, Equatable {
  /// A parameter the cell reads, and its value as sorted JSON.
  public struct ParameterRead: Codable, Sendable, Equatable {
    public var name: String
    public var json: String
  }

  /// A cell this one depends on: its identity and its key.
  public struct Upstream: Codable, Sendable, Equatable {
    public var identity: String
    public var key: String
  }

  /// A module the cell imports, and the SHA-256 of its source ("" when it cannot be found).
  public struct Module: Codable, Sendable, Equatable {
    public var name: String
    public var source: String
  }

  public var runtime: String
  /// SHA-256 of the normalised source.
  public var source: String
  public var parameters: [ParameterRead]
  public var upstream: [Upstream]
  public var modules: [Module]

  /// The cell key: SHA-256 of all of the above.
  public var key: String {
    var parts = ["seednb-cell-2", runtime, source]
    parts += parameters.map { "p\u{1}\($0.name)\u{1}\($0.json)" }
    parts += upstream.map { "u\u{1}\($0.identity)\u{1}\($0.key)" }
    parts += modules.map { "m\u{1}\($0.name)\u{1}\($0.source)" }
    return CacheKeys.sha256(parts.joined(separator: "\u{0}"))
  }

  /// Why a cell with these inputs does not match the one stored with `stored`: the first
  /// difference, in the order a person looks for it.
  public func reason(comparedWith stored: CellKeyInputs) -> CellReason? {
    if source != stored.source { return .sourceChanged }
    let before = Dictionary(stored.parameters.map { ($0.name, $0.json) }, uniquingKeysWith: { a, _ in a })
    if let changed = parameters.first(where: { before[$0.name] != $0.json }) { return .parameterChanged(changed.name) }
    let upstreamBefore = Dictionary(stored.upstream.map { ($0.identity, $0.key) }, uniquingKeysWith: { a, _ in a })
    if let changed = upstream.first(where: { upstreamBefore[$0.identity] != $0.key }) {
      return .upstreamChanged(changed.identity)
    }
    let modulesBefore = Dictionary(stored.modules.map { ($0.name, $0.source) }, uniquingKeysWith: { a, _ in a })
    if let changed = modules.first(where: { modulesBefore[$0.name] != $0.source }) { return .moduleChanged(changed.name) }
    if runtime != stored.runtime { return .runtimeChanged(from: stored.runtime, to: runtime) }
    if self != stored { return .dependenciesChanged }
    return nil
  }
}

/// Why a cell ran instead of being restored, as its header says.
public enum CellReason: Sendable, Equatable, CustomStringConvertible {
  /// No entry for the cell, whatever its key.
  case notCached
  case sourceChanged
  case parameterChanged(String)
  /// A cell it depends on changed: that cell's identity.
  case upstreamChanged(String)
  case moduleChanged(String)
  case runtimeChanged(from: String, to: String)
  /// It no longer reads a parameter or depends on a cell it did.
  case dependenciesChanged
  case fingerprintChanged(from: String, to: String)
  case refresh
  case cacheDisabled

  public var description: String {
    switch self {
    case .notCached: return "not cached"
    case .sourceChanged: return "source changed"
    case .parameterChanged(let name): return "parameter \(name) changed"
    case .upstreamChanged(let identity): return "upstream cell \(identity) changed"
    case .moduleChanged(let name): return "module \(name) changed"
    case .runtimeChanged(let from, let to): return "seednb changed \(from) -> \(to)"
    case .dependenciesChanged: return "its dependencies changed"
    case .fingerprintChanged(let from, let to): return "fingerprint changed \(from) -> \(to)"
    case .refresh: return "--refresh"
    case .cacheDisabled: return "cache=false"
    }
  }
}
