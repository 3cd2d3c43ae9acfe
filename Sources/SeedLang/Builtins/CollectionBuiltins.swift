/// Lists, dicts and ranges: the free functions (`sorted`, `zip`, ...) and their methods.
enum CollectionBuiltins {
  static let functions: [(String, NativeFunction)] = [
    ("sorted", .init(sorted)),
    ("reversed", .init { args in
      try args.expect(1)
      return .list(ListObject(try Iteration.items(of: args[0], for: "reversed").reversed()))
    }),
    ("enumerate", .init { args in
      try args.expect(1)
      let items = try Iteration.items(of: args[0], for: "enumerate")
      return .list(ListObject(items.enumerated().map { .list(ListObject([.int($0.offset), $0.element])) }))
    }),
    ("zip", .init { args in
      try args.checkLabels([])
      let sequences = try (0..<args.count).map { try Iteration.items(of: args[$0], for: "zip") }
      let count = sequences.map(\.count).min() ?? 0
      return .list(ListObject((0..<count).map { i in .list(ListObject(sequences.map { $0[i] })) }))
    }),
    ("list", .init { args in
      try args.expect(0...1)
      return .list(ListObject(args.count == 0 ? [] : try Iteration.items(of: args[0], for: "list")))
    }),
    ("contains", .init { args in
      try args.expect(2)
      return .bool(try contains(args[0], args[1]))
    }),
  ]

  /// map, filter and reduce run natively: they are the inner loops of most notebooks.
  static let sequenceFunctions: [(String, NativeFunction)] = [
    ("map", .init { args in try args.expect(2); return try map(args[0], try args.function(1), args) }),
    ("filter", .init { args in try args.expect(2); return try filter(args[0], try args.function(1), args) }),
    ("reduce", .init { args in try args.expect(3); return try reduce(args[0], args[1], try args.function(2), args) }),
  ]

  static let sequenceMethods: [(String, NativeMethod)] = [
    ("map", .init { receiver, args in try args.expect(1); return try map(receiver, try args.function(0), args) }),
    ("filter", .init { receiver, args in try args.expect(1); return try filter(receiver, try args.function(0), args) }),
    ("reduce", .init { receiver, args in try args.expect(2); return try reduce(receiver, args[0], try args.function(1), args) }),
  ]

  static func map(_ sequence: Value, _ f: Value, _ args: Arguments) throws -> Value {
    let items = try Iteration.items(of: sequence, for: "map")
    return .list(ListObject(try args.interpreter.callback(f, arity: 1).results(of: items)))
  }

  static func filter(_ sequence: Value, _ keep: Value, _ args: Arguments) throws -> Value {
    let items = try Iteration.items(of: sequence, for: "filter")
    // Room for every item, so that the list is never grown and copied: pages of the
    // reservation that the kept items do not reach are never touched, so cost nothing.
    var out: [Value] = []
    out.reserveCapacity(items.count)
    try args.interpreter.callback(keep, arity: 1).forEach(items) { position, verdict in
      guard case .bool(let kept) = verdict else {
        throw RuntimeFailure("filter(): the test must return a bool, got \(verdict.typeName)")
      }
      if kept { out.append(items[position]) }
    }
    return .list(ListObject(out))
  }

  static func reduce(_ sequence: Value, _ initial: Value, _ f: Value, _ args: Arguments) throws -> Value {
    let items = try Iteration.items(of: sequence, for: "reduce")
    return try args.interpreter.callback(f, arity: 2).fold(items, from: initial)
  }

  static let listMethods: [(String, NativeMethod)] = [
    ("append", .init({ receiver, args in
      try args.expect(1)
      return append(try Receiver.list(receiver), args[0])
    }, onList: ListMethod(oneArgument: append))),
    ("extend", .init({ receiver, args in
      try args.expect(1)
      return try extend(try Receiver.list(receiver), args[0])
    }, onList: ListMethod(oneArgument: extend))),
    // xs.insert(item, index): index may be count, to append.
    ("insert", .init { receiver, args in
      try args.expect(2)
      let list = try Receiver.list(receiver)
      let index = try args.int(1)
      guard index >= 0 && index <= list.items.count else {
        throw RuntimeFailure("insert(): index \(index) is out of range for a list of \(list.items.count) items")
      }
      list.items.insert(args[0], at: index)
      return .nil
    }),
    ("pop", .init({ receiver, args in
      try args.expect(0...1)
      let list = try Receiver.list(receiver)
      guard args.positionalCount == 1 else { return try popLast(list) }
      guard !list.items.isEmpty else { throw RuntimeFailure("pop() from an empty list") }
      return list.items.remove(at: try Subscripts.position(try args.int(0), count: list.items.count, of: "list"))
    }, onList: ListMethod(noArguments: popLast))),
    ("remove_at", .init { receiver, args in
      try args.expect(1)
      let list = try Receiver.list(receiver)
      return list.items.remove(at: try Subscripts.position(try args.int(0), count: list.items.count, of: "list"))
    }),
    ("contains", .init({ receiver, args in try args.expect(1); return .bool(try contains(receiver, args[0])) },
      onList: ListMethod(oneArgument: { list, item in .bool(firstIndex(of: item, in: list.items) != nil) }))),
    ("index_of", .init({ receiver, args in
      try args.expect(1)
      return index(of: args[0], in: try Receiver.list(receiver))
    }, onList: ListMethod(oneArgument: { list, item in index(of: item, in: list) }))),
    ("sorted", .init { receiver, args in
      try args.expect(0)
      return .list(ListObject(try Sorting.sortedItems(receiver, args)))
    }),
    ("sort", .init { receiver, args in
      try args.expect(0)
      let list = try Receiver.list(receiver)
      list.items = try Sorting.sortedItems(receiver, args)
      return .nil
    }),
    ("reversed", .init({ receiver, args in try args.expect(0); return reversed(try Receiver.list(receiver)) },
      onList: ListMethod(noArguments: reversed))),
    ("join", .init { receiver, args in
      try args.expect(0...1)
      let separator = args.positionalCount == 1 ? try args.string(0) : ""
      return .string(try Value.joined(try Receiver.list(receiver).items, separator: separator))
    }),
    ("copy", .init({ receiver, args in try args.expect(0); return copy(try Receiver.list(receiver)) },
      onList: ListMethod(noArguments: copy))),
    ("sum", .init({ receiver, args in try args.expect(0); return try MathBuiltins.total(of: receiver) },
      onList: ListMethod(noArguments: { list in try MathBuiltins.total(of: .list(list)) }))),
    ("min", .init({ receiver, args in try args.expect(0); return try least(try Receiver.list(receiver)) },
      onList: ListMethod(noArguments: least))),
    ("max", .init({ receiver, args in try args.expect(0); return try greatest(try Receiver.list(receiver)) },
      onList: ListMethod(noArguments: greatest))),
  ]

  static let dictMethods: [(String, NativeMethod)] = [
    ("keys", .init { receiver, args in
      try args.expect(0)
      return .list(ListObject(try Receiver.dict(receiver).entries.keyValues))
    }),
    ("values", .init { receiver, args in
      try args.expect(0)
      return .list(ListObject(try Receiver.dict(receiver).entries.values))
    }),
    ("items", .init { receiver, args in
      try args.expect(0)
      return .list(ListObject(try Receiver.dict(receiver).entries.map { .list(ListObject([$0.key.value, $0.value])) }))
    }),
    // d.get(key) or d.get(key, default): nil or the default when the key is missing.
    ("get", .init({ receiver, args in
      try args.expect(1...2)
      let fallback = args.positionalCount == 2 ? args[1] : .nil
      guard let key = DictKey(args[0]) else { return fallback }
      return try Receiver.dict(receiver).entries[key] ?? fallback
    }, onDict: DictMethod(oneArgument: { dict, key in get(dict, key, or: .nil) }, twoArguments: get))),
    ("contains", .init({ receiver, args in try args.expect(1); return .bool(try contains(receiver, args[0])) },
      onDict: DictMethod(oneArgument: { dict, key in .bool(DictKey(key).map { dict.entries[$0] != nil } ?? false) }))),
    ("remove", .init({ receiver, args in
      try args.expect(1)
      guard DictKey(args[0]) != nil else { return .nil }
      return remove(try Receiver.dict(receiver), args[0])
    }, onDict: DictMethod(oneArgument: remove))),
    ("merge", .init { receiver, args in
      try args.expect(1)
      let target = try Receiver.dict(receiver)
      target.entries.merge(try args.dict(0).entries)
      return .nil
    }),
    ("copy", .init { receiver, args in try args.expect(0); return .dict(DictObject(try Receiver.dict(receiver).entries)) }),
  ]

  static func append(_ list: ListObject, _ item: Value) -> Value {
    list.items.append(item)
    return .nil
  }

  /// `xs.extend(other)`: the items of any sequence, appended in order.
  static func extend(_ list: ListObject, _ other: Value) throws -> Value {
    list.items.append(contentsOf: try Iteration.items(of: other, for: "extend"))
    return .nil
  }

  static func reversed(_ list: ListObject) -> Value { .list(ListObject(list.items.reversed())) }

  /// A shallow copy: the new list shares the items' storage until either list changes.
  static func copy(_ list: ListObject) -> Value { .list(ListObject(list.items)) }

  static func least(_ list: ListObject) throws -> Value {
    try MathBuiltins.extreme(of: list.items, wantsLess: true, function: "min")
  }

  static func greatest(_ list: ListObject) throws -> Value {
    try MathBuiltins.extreme(of: list.items, wantsLess: false, function: "max")
  }

  static func popLast(_ list: ListObject) throws -> Value {
    guard !list.items.isEmpty else { throw RuntimeFailure("pop() from an empty list") }
    return list.items.removeLast()
  }

  static func index(of item: Value, in list: ListObject) -> Value {
    guard let index = firstIndex(of: item, in: list.items) else { return .nil }
    return .int(index)
  }

  static func get(_ dict: DictObject, _ key: Value, or fallback: Value) -> Value {
    guard let key = DictKey(key) else { return fallback }
    return dict.entries[key] ?? fallback
  }

  static func remove(_ dict: DictObject, _ key: Value) -> Value {
    guard let key = DictKey(key) else { return .nil }
    return dict.entries.removeValue(forKey: key) ?? .nil
  }

  static let rangeMethods: [(String, NativeMethod)] = [
    ("contains", .init { receiver, args in try args.expect(1); return .bool(try contains(receiver, args[0])) })
  ]

  /// Membership: an item of a list, a key of a dict, a substring of a string, an int in a range.
  static func contains(_ container: Value, _ item: Value) throws -> Bool {
    switch container {
    case .list(let list): return firstIndex(of: item, in: list.items) != nil
    case .dict(let dict): return DictKey(item).map { dict.entries[$0] != nil } ?? false
    case .string(let string):
      guard case .string(let part) = item else { throw RuntimeFailure("contains(): a string can only contain a string") }
      return StringBuiltins.contains(string, part)
    case .range(let low, let high):
      guard case .int(let i) = item else { return false }
      return i >= low && i < high
    case .vector(let vector):
      guard let x = item.asDouble else { return false }
      return vector.items.contains(x)
    default: throw RuntimeFailure("contains() needs a list, dict, string, range or vector, got \(container.typeName)")
    }
  }

  /// The position of the first item equal to `item`, as `==` compares them. A string is
  /// equal only to strings and an int only to numbers, so those are looked for among the
  /// items directly, without the general comparison's switch over every pair of types.
  static func firstIndex(of item: Value, in items: [Value]) -> Int? {
    items.withUnsafeBufferPointer { buffer in
      switch item {
      case .string(let needle):
        for index in buffer.indices {
          if case .string(let text) = buffer[index], text == needle { return index }
        }
        return nil
      case .int(let needle):
        for index in buffer.indices {
          switch buffer[index] {
          case .int(let x) where x == needle: return index
          case .float(let x) where x == Double(needle): return index
          default: continue
          }
        }
        return nil
      default:
        return buffer.firstIndex { $0.isEqual(to: item) }
      }
    }
  }

  // sorted(xs), sorted(xs, by: { a, b in a < b }), sorted(xs, key: { x in ... }), reverse: true
  static func sorted(_ args: inout Arguments) throws -> Value {
    try args.expect(1)
    return .list(ListObject(try Sorting.sortedItems(args[0], args)))
  }
}
