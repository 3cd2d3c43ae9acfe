/// `sorted(xs)` and `xs.sort()`: items in the order `<` gives, or their keys' order with
/// `key:`, or a comparator's with `by:`; reversed with `reverse: true`. Every sort is stable:
/// items that compare equal keep their order, reversed or not.
///
/// Keys are computed once per item. Before sorting, they are checked to be of one kind that
/// `<` orders (numbers, strings, bools or lists), so that mixed keys are an error naming the
/// two items, whatever order the sort would have compared them in; then keys of one scalar
/// kind are sorted as Swift values, with no call of the general comparison per pair.
enum Sorting {
  /// The items of a sequence in order, as the `by`, `key` and `reverse` arguments ask.
  static func sortedItems(_ sequence: Value, _ args: Arguments) throws -> [Value] {
    try args.checkLabels(["by", "key", "reverse"])
    let items = try Iteration.items(of: sequence, for: args.function)
    var reverse = false
    if let flag = args.named("reverse") {
      guard case .bool(let b) = flag else { throw RuntimeFailure("\(args.function)(): reverse must be a bool") }
      reverse = b
    }
    let by = args.named("by"), key = args.named("key")
    if by != nil && key != nil { throw RuntimeFailure("\(args.function)() takes by: or key:, not both") }
    if let by { return try sorted(items, by: by, reverse: reverse, args) }
    guard let key else {
      if items.count < 2 { return items }
      return try sortedScalars(items, reverse: reverse)
        ?? order(of: items, reverse: reverse, Keys(function: args.function, keyed: false)).map { items[$0] }
    }
    let keys = try args.interpreter.callback(key, arity: 1).results(of: items)
    if items.count < 2 { return items }
    return try order(of: keys, reverse: reverse, Keys(function: args.function, keyed: true)).map { items[$0] }
  }

  /// Sorted by a comparator: `by(a, b)` is true when a goes before b. Positions are sorted,
  /// not the items, which a sort would retain and release at each move.
  private static func sorted(_ items: [Value], by: Value, reverse: Bool, _ args: Arguments) throws -> [Value] {
    var order = Array(items.indices)
    let function = args.function
    try items.withUnsafeBufferPointer { items in
      try args.interpreter.callback(by, arity: 2).callingPairs(of: items) { calls in
        // Timsort, as CPython's, since each comparison is a call of a seed function.
        try TimSort.sort(&order, by: Comparator(calls: calls, reverse: reverse, function: function))
      }
    }
    return order.map { items[$0] }
  }

  /// The order a comparator gives: `by(a, b)` is true when a goes before b.
  private struct Comparator: SortOrder {
    let calls: Callback.PairCalls
    let reverse: Bool
    /// The sort's name, for the error of a comparator that is not a bool.
    let function: String

    @inline(__always)
    func less(_ a: Int, _ b: Int) throws -> Bool {
      // Swapping the arguments reverses the order; the sort being stable, ties keep theirs.
      let result = reverse ? try calls(b, a) : try calls(a, b)
      guard case .bool(let less) = result else {
        throw RuntimeFailure("\(function)(by:) must return a bool, got \(result.typeName)")
      }
      return less
    }
  }

  // MARK: - Keys

  /// The kinds of values that `<` orders among themselves; ints and floats are both numbers.
  private enum Kind {
    case int, number, string, bool, list
  }

  /// What is being sorted, for messages: the items themselves or their keys.
  private struct Keys {
    let function: String
    let keyed: Bool

    func name(_ index: Int) -> String { keyed ? "the key of item \(index)" : "item \(index)" }

    static func describe(_ value: Value) -> String {
      if case .nil = value { return "nil" }
      return value.aTypeName
    }

    func mixed(_ index: Int, _ value: Value, first: Int, _ firstValue: Value) -> RuntimeFailure {
      RuntimeFailure(
        "\(function)\(keyed ? "(key:)" : "()"): cannot compare \(name(index)) (\(value.aTypeName)) with \(name(first)) (\(firstValue.aTypeName))")
    }

    func unordered(_ index: Int, _ value: Value) -> RuntimeFailure {
      if case .float = value { return RuntimeFailure("\(function)\(keyed ? "(key:)" : "()"): cannot order nan (\(name(index)))") }
      return RuntimeFailure(
        "\(function)\(keyed ? "(key:)" : "()"): cannot order \(name(index)) (\(Keys.describe(value))): only numbers, strings, bools and lists have an order")
    }
  }

  /// The kind all `keys` share, or an error naming the first key that has another.
  private static func kind(of keys: [Value], _ what: Keys) throws -> Kind {
    var kind: Kind?
    var first = 0
    for (index, key) in keys.enumerated() {
      let this: Kind
      switch key {
      case .int: this = .int
      case .float(let f):
        if f.isNaN { throw what.unordered(index, key) }
        this = .number
      case .string: this = .string
      case .bool: this = .bool
      case .list: this = .list
      default: throw what.unordered(index, key)
      }
      switch (kind, this) {
      case (nil, _):
        kind = this
        first = index
      case (.int?, .number), (.number?, .int): kind = .number
      case (let known?, _) where known == this: break
      default: throw what.mixed(index, key, first: first, keys[first])
      }
    }
    return kind ?? .int
  }

  /// The positions of `keys` in sorted order; equal keys keep their order.
  private static func order(of keys: [Value], reverse: Bool, _ what: Keys) throws -> [Int] {
    switch try kind(of: keys, what) {
    case .int:
      return stableOrder(keys, reverse: reverse) { if case .int(let i) = $0 { i } else { 0 } }
    case .bool:
      return stableOrder(keys, reverse: reverse) { if case .bool(let b) = $0 { b ? 1 : 0 } else { 0 } }
    case .number:
      // Two ints compare exactly; an int and a float compare as floats, as `<` does.
      var pairs: [(key: Value, index: Int)] = keys.enumerated().map { ($0.element, $0.offset) }
      func less(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.int(let x), .int(let y)): return x < y
        default: return (a.asDouble ?? 0) < (b.asDouble ?? 0)
        }
      }
      if reverse { pairs.sort { less($1.key, $0.key) } } else { pairs.sort { less($0.key, $1.key) } }
      return pairs.map(\.index)
    case .string:
      let strings = keys.map { if case .string(let s) = $0 { s } else { "" } }
      if let ranks = fewStringRanks(strings) { return stableOrder(ranks, reverse: reverse) }
      let order = stringOrder(strings)
      // Reversed runs of equal strings must keep their order, so the runs are reversed whole.
      return reverse ? reversedKeepingTies(order) { strings[$0] == strings[$1] } : order
    case .list:
      if let order = columnOrder(keys, reverse: reverse) { return order }
      var order = Array(keys.indices)
      if reverse {
        try TimSort.sort(&order) { try Operators.compare(keys[$1], keys[$0]) < 0 }
      } else {
        try TimSort.sort(&order) { try Operators.compare(keys[$0], keys[$1]) < 0 }
      }
      return order
    }
  }

  /// Keys that are lists of one length whose items are, place by place, all ints, all floats or
  /// all strings, as two-part keys (`[p.age, p.name]`) are, in the order `<` gives lists; nil
  /// for other lists. Each place's values are ranked once, so that comparing two keys compares
  /// ints, not values through the general comparison of lists.
  private static func columnOrder(_ keys: [Value], reverse: Bool) -> [Int]? {
    guard case .list(let first) = keys[0], !first.items.isEmpty else { return nil }
    let width = first.items.count
    var lists: [[Value]] = []
    lists.reserveCapacity(keys.count)
    for key in keys {
      guard case .list(let list) = key, list.items.count == width else { return nil }
      lists.append(list.items)
    }
    // ranks[key * width + place]: equal values share a rank, and ranks order as values do.
    var ranks = [Int](repeating: 0, count: keys.count * width)
    for place in 0..<width {
      switch first.items[place] {
      case .int:
        for (key, items) in lists.enumerated() {
          guard case .int(let i) = items[place] else { return nil }
          ranks[key * width + place] = i
        }
      case .float:
        var floats: [Double] = []
        floats.reserveCapacity(keys.count)
        for items in lists {
          guard case .float(let f) = items[place], !f.isNaN else { return nil }
          floats.append(f)
        }
        let order = floats.indices.sorted { floats[$0] < floats[$1] }
        rank(order, place, width, &ranks) { floats[$0] == floats[$1] }
      case .string:
        var strings: [String] = []
        strings.reserveCapacity(keys.count)
        for items in lists {
          guard case .string(let s) = items[place] else { return nil }
          strings.append(s)
        }
        if let few = fewStringRanks(strings) {
          for (key, rank) in few.enumerated() { ranks[key * width + place] = rank }
        } else {
          rank(stringOrder(strings), place, width, &ranks) { strings[$0] == strings[$1] }
        }
      default:
        return nil
      }
    }
    if let packed = packedRanks(ranks, width: width, count: keys.count) {
      return stableOrder(packed, reverse: reverse)
    }
    var order = Array(keys.indices)
    ranks.withUnsafeBufferPointer { ranks in
      func less(_ a: Int, _ b: Int) -> Bool {
        for place in 0..<width where ranks[a * width + place] != ranks[b * width + place] {
          return ranks[a * width + place] < ranks[b * width + place]
        }
        return false
      }
      if reverse { order.sort { less($1, $0) } } else { order.sort { less($0, $1) } }
    }
    return order
  }

  /// Each key's ranks as one int that orders as the ranks do, place by place, when the ranges
  /// of the places multiplied fit in one: two-part keys of a score and a name, say, then sort
  /// as ints, without a loop over the places for each comparison.
  private static func packedRanks(_ ranks: [Int], width: Int, count: Int) -> [Int]? {
    var lows = [Int](repeating: .max, count: width), highs = [Int](repeating: .min, count: width)
    for (position, rank) in ranks.enumerated() {
      let place = position % width
      lows[place] = min(lows[place], rank)
      highs[place] = max(highs[place], rank)
    }
    var radices: [Int] = []
    var total = 1
    for place in 0..<width {
      let (span, spanOverflow) = highs[place].subtractingReportingOverflow(lows[place])
      guard !spanOverflow, span < .max else { return nil }
      let (product, overflow) = total.multipliedReportingOverflow(by: span + 1)
      guard !overflow else { return nil }
      total = product
      radices.append(span + 1)
    }
    var packed = [Int](repeating: 0, count: count)
    for key in 0..<count {
      var value = 0
      for place in 0..<width { value = value * radices[place] + (ranks[key * width + place] - lows[place]) }
      packed[key] = value
    }
    return packed
  }

  /// The positions of `keys` in order, equal keys in theirs, reversed or not.
  private static func stableOrder(_ keys: [Int], reverse: Bool) -> [Int] {
    if let order = countingOrder(keys, reverse: reverse) { return order }
    var pairs: [(key: Int, index: Int)] = []
    pairs.reserveCapacity(keys.count)
    for (index, key) in keys.enumerated() { pairs.append((key, index)) }
    if reverse { pairs.sort { $0.key > $1.key } } else { pairs.sort { $0.key < $1.key } }
    return pairs.map(\.index)
  }

  /// The positions of `keys` in order, equal keys in theirs, when their range is no wider than
  /// about twice their count, as scores, ages, counts and ranks mostly are: each key's place
  /// is found by counting the keys before it, in time linear in the count, where a comparing
  /// sort asks about twenty questions of each of 60,000 keys. Nil for a wider range.
  private static func countingOrder(_ keys: [Int], reverse: Bool) -> [Int]? {
    guard var low = keys.first else { return [] }
    var high = low
    for key in keys {
      low = min(low, key)
      high = max(high, key)
    }
    let (span, overflow) = high.subtractingReportingOverflow(low)
    guard !overflow, span <= 2 * keys.count + 16 else { return nil }
    // starts[bucket]: where the next key of the bucket goes; buckets run high to low reversed.
    var starts = [Int](repeating: 0, count: span + 2)
    for key in keys { starts[(reverse ? high - key : key - low) + 1] += 1 }
    for bucket in 1..<starts.count { starts[bucket] += starts[bucket - 1] }
    var order = [Int](repeating: 0, count: keys.count)
    for (index, key) in keys.enumerated() {
      let bucket = reverse ? high - key : key - low
      order[starts[bucket]] = index
      starts[bucket] += 1
    }
    return order
  }

  /// Numbers the keys at `place` by their position in `order`, equal ones alike.
  private static func rank(_ order: [Int], _ place: Int, _ width: Int, _ ranks: inout [Int], equal: (Int, Int) -> Bool) {
    var current = 0
    for (position, key) in order.enumerated() {
      if position > 0 && !equal(order[position - 1], key) { current += 1 }
      ranks[key * width + place] = current
    }
  }

  /// The positions of `keys` in the order of the ints `scalar` gives them.
  @inline(__always)
  private static func stableOrder(_ keys: [Value], reverse: Bool, _ scalar: (Value) -> Int) -> [Int] {
    stableOrder(keys.map(scalar), reverse: reverse)
  }

  /// `order` backwards, except that each run of equal items keeps its order.
  private static func reversedKeepingTies(_ order: [Int], equal: (Int, Int) -> Bool) -> [Int] {
    var result: [Int] = []
    result.reserveCapacity(order.count)
    var end = order.count
    while end > 0 {
      var start = end - 1
      while start > 0 && equal(order[start - 1], order[end - 1]) { start -= 1 }
      result.append(contentsOf: order[start..<end])
      end = start
    }
    return result
  }

  // MARK: - Items sorted as they are

  /// All ints, all floats or all strings, the common case, sorted as Swift values in the
  /// order `<` gives; nil for anything else. Equal ints or floats cannot be told apart, nor can
  /// equal strings' order be seen except for strings spelled differently, which the stable
  /// sorts below keep in order.
  private static func sortedScalars(_ items: [Value], reverse: Bool) -> [Value]? {
    switch items.first {
    case .string?:
      var strings: [String] = []
      strings.reserveCapacity(items.count)
      for item in items {
        guard case .string(let s) = item else { return nil }
        strings.append(s)
      }
      if let ranks = fewStringRanks(strings) { return stableOrder(ranks, reverse: reverse).map { .string(strings[$0]) } }
      var order = stringOrder(strings)
      if reverse { order = reversedKeepingTies(order) { strings[$0] == strings[$1] } }
      return order.map { .string(strings[$0]) }
    case .int?: return sorted(items, reverse: reverse, as: { if case .int(let i) = $0 { i } else { nil } }, Value.int)
    case .float?:
      return sorted(items, reverse: reverse, as: { if case .float(let f) = $0, !f.isNaN { f } else { nil } }, Value.float)
    default: return nil
    }
  }

  @inline(__always)
  private static func sorted<Scalar: Comparable>(
    _ items: [Value], reverse: Bool, as scalar: (Value) -> Scalar?, _ value: (Scalar) -> Value
  ) -> [Value]? {
    var scalars: [Scalar] = []
    scalars.reserveCapacity(items.count)
    for item in items {
      guard let s = scalar(item) else { return nil }
      scalars.append(s)
    }
    if reverse { scalars.sort(by: >) } else { scalars.sort() }
    return scalars.map(value)
  }

  /// Each string's rank among the distinct strings (equal strings alike, ranks in the order `<`
  /// gives) when few are distinct, as keys drawn from a handful of names are: the distinct ones
  /// are sorted once, and the items then sort as ints, without comparing two strings per pair.
  /// Nil when many are distinct, which is found after hashing a sixteenth of them at most.
  ///
  /// The distinct strings are numbered in a dict's entries (`DictEntries`), by the hash dicts
  /// use (ASCII hashed eight bytes at a time, canonically equivalent strings alike, as `==`
  /// finds them equal): Swift's `Dictionary` hashes each string with SipHash, which cost 375
  /// instructions a string, five times the rest of the numbering.
  private static func fewStringRanks(_ strings: [String]) -> [Int]? {
    let limit = max(16, strings.count / 16)
    var numbers = DictEntries()
    var distinct: [String] = []
    var numbered: [Int] = []
    numbered.reserveCapacity(strings.count)
    for string in strings {
      let key = Value.string(string)
      let hash = DictKey.hash(of: key) ?? 0
      if let position = numbers.position(of: key, hash: hash), let number = numbers.int(at: position) {
        numbered.append(number)
        continue
      }
      guard distinct.count < limit else { return nil }
      numbers.add(DictKey(unchecked: key), .int(distinct.count), hash: hash)
      numbered.append(distinct.count)
      distinct.append(string)
    }
    var rankOfNumber = [Int](repeating: 0, count: distinct.count)
    for (rank, number) in distinct.indices.sorted(by: { StringOrder.less(distinct[$0], distinct[$1]) }).enumerated() {
      rankOfNumber[number] = rank
    }
    return numbered.map { rankOfNumber[$0] }
  }

  /// The positions of strings in the order `<` gives, equal strings in their order. ASCII
  /// text, the usual keys, is ordered by its bytes, so each string's first eight bytes, read as
  /// one integer, order most pairs with a single comparison; whole strings are compared only
  /// when those are equal. Other text is ordered by `StringOrder`.
  static func stringOrder(_ strings: [String]) -> [Int] {
    var keyed: [(prefix: UInt64, index: Int)] = []
    keyed.reserveCapacity(strings.count)
    for (index, string) in strings.enumerated() {
      guard let prefix = asciiPrefix(of: string) else {
        return strings.indices.sorted { StringOrder.less(strings[$0], strings[$1]) }
      }
      keyed.append((prefix, index))
    }
    keyed.sort { a, b in
      if a.prefix != b.prefix { return a.prefix < b.prefix }
      return StringOrder.less(strings[a.index], strings[b.index])
    }
    return keyed.map(\.index)
  }

  /// The first eight bytes of an ASCII string, big-endian and padded with zeros; nil when a
  /// byte is not ASCII.
  private static func asciiPrefix(of string: String) -> UInt64? {
    let prefix = string.utf8.withContiguousStorageIfAvailable { bytes -> UInt64? in
      guard bytes.isASCII else { return nil }
      guard let start = bytes.baseAddress else { return 0 }
      var prefix: UInt64 = 0
      for position in 0..<8 {
        prefix = prefix << 8 | (position < bytes.count ? UInt64(start[position]) : 0)
      }
      return prefix
    }
    return prefix ?? nil
  }
}

extension Callback {
  /// Runs `body` with the calls of this function on two of `items`, by position, as
  /// `sorted(by:)` calls its comparator for each pair it compares. A closure's frame is made
  /// once for all the calls and cleared after each, as in `forEach`; the items are lent to
  /// it (see `Interpreter.lend`), since `items` holds them for the whole sort.
  func callingPairs<Result>(of items: UnsafeBufferPointer<Value>, _ body: (PairCalls) throws -> Result) throws -> Result {
    guard let closure, let start = items.baseAddress else {
      return try body(PairCalls(callback: self, items: items, frame: nil))
    }
    return try interpreter.with { interpreter in
      try closure._withUnsafeGuaranteedRef { function in
        let base = try interpreter.pushFrame(function, at: nil)
        defer { interpreter.popFrame(base, function) }
        let frame = Frame(slots: base, closure: function)
        return try body(PairCalls(callback: self, items: UnsafeBufferPointer(start: start, count: items.count), frame: frame))
      }
    }
  }

  /// One call per pair, a struct rather than a closure so that a sort compiles the call into
  /// its loops (`TimSort` is generic over its order).
  struct PairCalls {
    let callback: Callback
    let items: UnsafeBufferPointer<Value>
    /// The frame `callingPairs` made for a closure; nil for other functions.
    let frame: Frame?

    @inline(__always)
    func callAsFunction(_ first: Int, _ second: Int) throws -> Value {
      guard let frame, let closure = callback.closure, let items = items.baseAddress else {
        return try callback(self.items[first], self.items[second])
      }
      return try callback.interpreter.with { interpreter in
        try closure._withUnsafeGuaranteedRef { function in
          let base = frame.slots
          if function.hasBoxedParameters {
            (base + 1).initialize(to: items[first])
            (base + 2).initialize(to: items[second])
            let result = try interpreter.invoke(function, frame: frame, at: nil)
            Interpreter.clear(base, count: function.slotCount)
            try interpreter.checkInterrupt(at: nil)
            return result
          }
          Interpreter.lend(items + first, to: base + 1)
          Interpreter.lend(items + second, to: base + 2)
          let result: Value
          do {
            result = try interpreter.invoke(function, frame: frame, at: nil)
          } catch {
            Interpreter.takeBack(base + 1, count: 2)
            throw error
          }
          // The parameters' slots are nil again after `takeBack`: only the result's slot and
          // the locals after the parameters can hold values to release.
          Interpreter.takeBack(base + 1, count: 2)
          Interpreter.clear(base, count: 1)
          if function.slotCount > 3 { Interpreter.clear(base + 3, count: function.slotCount - 3) }
          try interpreter.checkInterrupt(at: nil)
          return result
        }
      }
    }
  }
}
