import OrderedCollections

/// Lists, dicts and ranges: the free functions (`sorted`, `zip`, ...) and their methods.
enum CollectionBuiltins {
  static let functions: [(String, NativeFunction)] = [
    ("sorted", sorted),
    ("reversed", { args in
      try args.expect(1)
      return .list(ListObject(try Iteration.items(of: args[0], for: "reversed").reversed()))
    }),
    ("enumerate", { args in
      try args.expect(1)
      let items = try Iteration.items(of: args[0], for: "enumerate")
      return .list(ListObject(items.enumerated().map { .list(ListObject([.int($0.offset), $0.element])) }))
    }),
    ("zip", { args in
      try args.checkLabels([])
      let sequences = try (0..<args.count).map { try Iteration.items(of: args[$0], for: "zip") }
      let count = sequences.map(\.count).min() ?? 0
      return .list(ListObject((0..<count).map { i in .list(ListObject(sequences.map { $0[i] })) }))
    }),
    ("list", { args in
      try args.expect(0...1)
      return .list(ListObject(args.count == 0 ? [] : try Iteration.items(of: args[0], for: "list")))
    }),
    ("contains", { args in
      try args.expect(2)
      return .bool(try contains(args[0], args[1]))
    }),
  ]

  static let listMethods: [(String, NativeFunction)] = [
    ("append", { args in
      try args.expect(2)
      try args.list(0).items.append(args[1])
      return .nil
    }),
    ("extend", { args in
      try args.expect(2)
      let list = try args.list(0)
      list.items.append(contentsOf: try Iteration.items(of: args[1], for: "extend"))
      return .nil
    }),
    ("insert", { args in
      try args.expect(3)
      let list = try args.list(0)
      let index = try args.int(2)
      guard index >= 0 && index <= list.items.count else {
        throw RuntimeFailure("insert(): index \(index) is out of range for a list of \(list.items.count) items")
      }
      list.items.insert(args[1], at: index)
      return .nil
    }),
    ("pop", { args in
      try args.expect(1...2)
      let list = try args.list(0)
      guard !list.items.isEmpty else { throw RuntimeFailure("pop() from an empty list") }
      let index = args.positionalCount == 2 ? try Subscripts.position(try args.int(1), count: list.items.count, of: "list") : list.items.count - 1
      return list.items.remove(at: index)
    }),
    ("remove_at", { args in
      try args.expect(2)
      let list = try args.list(0)
      return list.items.remove(at: try Subscripts.position(try args.int(1), count: list.items.count, of: "list"))
    }),
    ("contains", { args in try args.expect(2); return .bool(try contains(args[0], args[1])) }),
    ("index_of", { args in
      try args.expect(2)
      guard let index = try args.list(0).items.firstIndex(where: { $0.isEqual(to: args[1]) }) else { return .nil }
      return .int(index)
    }),
    ("sorted", sorted),
    ("sort", { args in
      let list = try args.list(0)
      guard case .list(let result) = try sorted(&args) else { return .nil }
      list.items = result.items
      return .nil
    }),
    ("reversed", { args in try args.expect(1); return .list(ListObject(try args.list(0).items.reversed())) }),
    ("join", { args in
      try args.expect(1...2)
      let separator = args.positionalCount == 2 ? try args.string(1) : ""
      return .string(try args.list(0).items.map(\.description).joined(separator: separator))
    }),
    ("copy", { args in try args.expect(1); return .list(ListObject(try args.list(0).items)) }),
    ("sum", MathBuiltins.sum),
    ("min", { args in try MathBuiltins.extreme(&args, wantsLess: true) }),
    ("max", { args in try MathBuiltins.extreme(&args, wantsLess: false) }),
  ]

  static let dictMethods: [(String, NativeFunction)] = [
    ("keys", { args in try args.expect(1); return .list(ListObject(try args.dict(0).entries.keys.map(\.value))) }),
    ("values", { args in try args.expect(1); return .list(ListObject(Array(try args.dict(0).entries.values))) }),
    ("items", { args in
      try args.expect(1)
      return .list(ListObject(try args.dict(0).entries.map { .list(ListObject([$0.key.value, $0.value])) }))
    }),
    ("get", { args in
      try args.expect(2...3)
      guard let key = DictKey(args[1]) else { return args.positionalCount == 3 ? args[2] : .nil }
      return try args.dict(0).entries[key] ?? (args.positionalCount == 3 ? args[2] : .nil)
    }),
    ("contains", { args in try args.expect(2); return .bool(try contains(args[0], args[1])) }),
    ("remove", { args in
      try args.expect(2)
      guard let key = DictKey(args[1]) else { return .nil }
      return try args.dict(0).entries.removeValue(forKey: key) ?? .nil
    }),
    ("merge", { args in
      try args.expect(2)
      let target = try args.dict(0)
      for (key, value) in try args.dict(1).entries { target.entries[key] = value }
      return .nil
    }),
    ("copy", { args in try args.expect(1); return .dict(DictObject(try args.dict(0).entries)) }),
  ]

  static let rangeMethods: [(String, NativeFunction)] = [
    ("contains", { args in try args.expect(2); return .bool(try contains(args[0], args[1])) })
  ]

  /// Membership: an item of a list, a key of a dict, a substring of a string, an int in a range.
  static func contains(_ container: Value, _ item: Value) throws -> Bool {
    switch container {
    case .list(let list): return list.items.contains { $0.isEqual(to: item) }
    case .dict(let dict): return DictKey(item).map { dict.entries[$0] != nil } ?? false
    case .string(let string):
      guard case .string(let part) = item else { throw RuntimeFailure("contains(): a string can only contain a string") }
      return string.contains(part)
    case .range(let low, let high):
      guard case .int(let i) = item else { return false }
      return i >= low && i < high
    case .vector(let vector):
      guard let x = item.asDouble else { return false }
      return vector.items.contains(x)
    default: throw RuntimeFailure("contains() needs a list, dict, string, range or vector, got \(container.typeName)")
    }
  }

  // sorted(xs), sorted(xs, by: { a, b in a < b }), sorted(xs, key: { x in ... }), reverse: true
  static func sorted(_ args: inout Arguments) throws -> Value {
    try args.checkLabels(["by", "key", "reverse"])
    try args.expect(1)
    let interpreter = args.interpreter
    var items = try Iteration.items(of: args[0], for: args.function)
    var reverse = false
    if let flag = args.named("reverse") {
      guard case .bool(let b) = flag else { throw RuntimeFailure("\(args.function)(): reverse must be a bool") }
      reverse = b
    }
    if let by = args.named("by") {
      try items.sort { a, b in
        let result = try interpreter.call(by, [a, b])
        guard case .bool(let less) = result else {
          throw RuntimeFailure("sorted(by:) must return a bool, got \(result.typeName)")
        }
        return less
      }
    } else if let key = args.named("key") {
      let keys = try items.map { try interpreter.call(key, [$0]) }
      // Sorting the positions keeps equal keys in their original order.
      let order = try Array(items.indices).sorted { a, b in
        let comparison = try Operators.compare(keys[a], keys[b])
        return comparison < 0 || (comparison == 0 && a < b)
      }
      items = order.map { items[$0] }
    } else {
      let order = try Array(items.indices).sorted { a, b in
        let comparison = try Operators.compare(items[a], items[b])
        return comparison < 0 || (comparison == 0 && a < b)
      }
      items = order.map { items[$0] }
    }
    if reverse { items.reverse() }
    return .list(ListObject(items))
  }
}
