import SeedLang

extension ParameterValue {
  /// The parameter as the seed value a notebook's code sees.
  public var value: Value {
    switch self {
    case .null: return .nil
    case .bool(let b): return .bool(b)
    case .int(let i): return .int(i)
    case .float(let f): return .float(f)
    case .string(let s): return .string(s)
    case .list(let items): return .list(ListObject(items.map(\.value)))
    case .dict(let entries):
      let dict = DictObject()
      for (key, item) in entries { dict[key] = item.value }
      return .dict(dict)
    }
  }
}
