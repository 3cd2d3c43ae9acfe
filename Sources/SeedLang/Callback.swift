/// A function a builtin calls once per item. A closure taking exactly the arguments given is
/// held here for the whole loop, so each call enters it directly, without matching the
/// value or retaining the closure again.
public struct Callback {
  let interpreter: InterpreterHandle
  /// Holds the function alive; `closure` refers to it without a count of its own.
  let callee: Value
  let closure: Unmanaged<Closure>?

  init(interpreter: Interpreter, callee: Value, closure: Closure?) {
    self.interpreter = InterpreterHandle(interpreter)
    self.callee = callee
    self.closure = closure.map { .passUnretained($0) }
  }

  public func callAsFunction(_ first: Value) throws -> Value {
    try interpreter.with { interpreter in
      guard let closure else { return try interpreter.call(callee, first) }
      return try closure._withUnsafeGuaranteedRef { function in
        try interpreter.enter(function, at: nil) { base in (base + 1).initialize(to: first) }
      }
    }
  }

  /// Calls the function once for each of `items`, handing `body` each item's position with
  /// its result, as `map` and `filter` do. A closure's frame is made once for all the calls
  /// and cleared after each, so that each call starts as in a new frame: a third less work a
  /// call. Each item is lent to the call (see `Interpreter.lend`): `items` holds it
  /// throughout. `body` gets the position, not the item: handing it the item copied it out of
  /// the list and released it again for every call, though only `filter` reads it. The
  /// result is handed over, not lent.
  public func forEach(_ items: [Value], _ body: (Int, consuming Value) throws -> Void) throws {
    guard let closure else {
      for (position, item) in items.enumerated() { try body(position, try self(item)) }
      return
    }
    try interpreter.with { interpreter in
      try closure._withUnsafeGuaranteedRef { function in
        let base = try interpreter.pushFrame(function, at: nil)
        defer { interpreter.popFrame(base, function) }
        let frame = Frame(slots: base, closure: function)
        let lending = !function.hasBoxedParameters
        try items.withUnsafeBufferPointer { items in
          guard let start = items.baseAddress else { return }
          for index in items.indices {
            try body(index, try Callback.call(function, interpreter, frame, with: start + index, lending: lending))
            try interpreter.checkInterrupt(at: nil)
          }
        }
      }
    }
  }

  /// One call of a closure on `item`, in its frame made once for many calls (by `forEach`,
  /// `results(of:)` and `fold`), with `item` its parameter at `slot` and the parameters before
  /// it already in place. The item is lent to its slot unless the parameters are boxed, and
  /// the frame is cleared for the next call.
  @inline(__always)
  private static func call(
    _ function: Closure, _ interpreter: Interpreter, _ frame: Frame, with item: UnsafePointer<Value>, at slot: Int = 1,
    lending: Bool
  ) throws -> Value {
    let base = frame.slots
    guard lending else {
      (base + slot).initialize(to: item.pointee)
      defer { Interpreter.clear(base, count: function.slotCount) }
      return try interpreter.invoke(function, frame: frame, at: nil)
    }
    Interpreter.lend(item, to: base + slot)
    let result: Value
    do {
      result = try interpreter.invoke(function, frame: frame, at: nil)
    } catch {
      Interpreter.takeBack(base + slot, count: 1)
      throw error
    }
    Interpreter.takeBack(base + slot, count: 1)
    // The item's slot is empty again, and the result's slot 0 holds nil (see
    // `Interpreter.popFrame`): only the other parameters' slots and the locals are cleared.
    Interpreter.clear(base + 1, count: slot - 1)
    Interpreter.clear(base + slot + 1, count: function.slotCount - slot - 1)
    return result
  }

  /// The function's result for each of `items`, in order, as `map` makes its list and
  /// `sorted(key:)` its keys.
  /// The calls are those of `forEach`, a frame made once and each item lent; each result is
  /// moved straight into its place in a list of known size, where appending it from
  /// `forEach`'s body would check on every call that the list is unshared.
  func results(of items: [Value]) throws -> [Value] {
    guard let closure else { return try items.map { try self($0) } }
    return try interpreter.with { interpreter in
      try closure._withUnsafeGuaranteedRef { function in
        let base = try interpreter.pushFrame(function, at: nil)
        defer { interpreter.popFrame(base, function) }
        let frame = Frame(slots: base, closure: function)
        let lending = !function.hasBoxedParameters
        return try items.withUnsafeBufferPointer { items in
          try [Value](unsafeUninitializedCapacity: items.count) { results, made in
            guard let start = items.baseAddress, let out = results.baseAddress else { return }
            for index in 0..<items.count {
              (out + index).initialize(to: try Callback.call(function, interpreter, frame, with: start + index, lending: lending))
              made = index + 1
              try interpreter.checkInterrupt(at: nil)
            }
          }
        }
      }
    }
  }

  /// Folds `items` into one value, calling the function with the value so far and each item,
  /// as `reduce` does; its frame is made once, as in `forEach`. The value so far is moved into
  /// the frame, not copied, and each item is lent, as `forEach` lends it.
  public func fold(_ items: [Value], from initial: Value) throws -> Value {
    guard let closure else { return try items.reduce(initial) { try self($0, $1) } }
    return try interpreter.with { interpreter in
      try closure._withUnsafeGuaranteedRef { function in
        let base = try interpreter.pushFrame(function, at: nil)
        defer { interpreter.popFrame(base, function) }
        let frame = Frame(slots: base, closure: function)
        let lending = !function.hasBoxedParameters
        return try items.withUnsafeBufferPointer { items in
          var accumulator = initial
          guard let start = items.baseAddress else { return accumulator }
          for index in items.indices {
            (base + 1).initialize(to: consume accumulator)
            accumulator = try Callback.call(function, interpreter, frame, with: start + index, at: 2, lending: lending)
            try interpreter.checkInterrupt(at: nil)
          }
          return accumulator
        }
      }
    }
  }

  public func callAsFunction(_ first: Value, _ second: Value) throws -> Value {
    try interpreter.with { interpreter in
      guard let closure else { return try interpreter.call(callee, first, second) }
      return try closure._withUnsafeGuaranteedRef { function in
        try interpreter.enter(function, at: nil) { base in
          (base + 1).initialize(to: first)
          (base + 2).initialize(to: second)
        }
      }
    }
  }
}
