/// A method call as written, `x.name(a, b)`: the code of its arguments, and the method each
/// type of receiver has under the name, found once when the call is compiled (the method
/// tables are complete before any notebook code compiles). A call switches on the receiver's
/// type and runs what it finds; only a dict is asked, each time, for a function stored under
/// the name, which is called instead of its method.
///
/// A native method of a list, a dict or a string that has a form taking its receiver and its
/// arguments directly (`StringMethod`, `ListMethod`, `DictMethod`) is run in that form when the
/// call's number of arguments fits it, checked once here: no Arguments, no copies of the
/// receiver's string or object and of the arguments out of their values.
///
/// A receiver that nothing can store into during the call (an unboxed local; a global when
/// the arguments only read) is lent to those forms where it is held (`call(lending:)`): no
/// copy of it, no retain and release.
///
/// Compiled code holds the site itself: one reference, where a closure capturing each of
/// these fields would unpack them all on every call.
final class MethodCallSite {
  let name: String
  private let nameKey: NameKey
  private let values: [CompiledExpression]
  private let labels: [String?]?
  private let at: SourceLocation
  private let methods: MethodTables
  private let listMethod: Value?, stringMethod: Value?, dictMethod: Value?, vectorMethod: Value?, rangeMethod: Value?
  /// The native bodies of the list, string and dict methods, for a call with positional
  /// arguments only: there is nothing to reorder or check, so they are run directly.
  private let listNative: Native?, stringNative: Native?, dictNative: Native?
  /// The string method of as many string arguments as the call has, if there is one, and how
  /// the call gets its arguments, both chosen once here. Each kind is held on its own, and
  /// not as an optional: an enum or an optional is copied, and its closure retained, on
  /// every call, where a plain `let` of the site is used where it is.
  private let stringForm: StringForm
  private let stringNoArguments: (String) throws -> Value
  private let stringOneArgument: (String, String) throws -> Value
  private let stringTwoArguments: (String, String, String) throws -> Value
  /// The list and dict methods of as many arguments as the call has, if there are some. The
  /// list methods are held as the string methods are, for calls on lent lists.
  private let hasListMethod: Bool, hasDictMethod: Bool
  private let listTakesArgument: Bool
  private let listNoArguments: (ListObject) throws -> Value
  private let listOneArgument: (ListObject, Value) throws -> Value
  private let dictOneArgument: ((DictObject, Value) throws -> Value)?
  private let dictTwoArguments: ((DictObject, Value, Value) throws -> Value)?
  /// The arguments written as string literals, which the string method reads where the site
  /// holds them rather than from a copy; empty where the form does not use them.
  private let firstLiteral: String, secondLiteral: String
  /// The first two arguments, held directly: read from `values`, their closures would be
  /// retained and released on every call.
  private let firstArgument: Evaluate, secondArgument: Evaluate

  /// How a call passes its arguments to the site's string method. (`unused` serves the list
  /// methods too.)
  private enum StringForm {
    /// The site has no string method of as many string arguments as the call has.
    case none
    case noArguments
    case oneLiteral, oneEvaluated
    case twoLiterals, twoEvaluated

    /// The body of a form the site does not have, which is never called.
    static var unused: RuntimeFailure { RuntimeFailure("internal error: a method form the call site does not have was called") }
  }

  init(
    name: String, arguments values: [CompiledExpression], literals: [Value?], labels: [String?]?, at: SourceLocation,
    methods: MethodTables
  ) {
    self.name = name
    nameKey = NameKey(name)
    self.values = values
    self.labels = labels
    self.at = at
    self.methods = methods
    listMethod = methods.list[name]
    stringMethod = methods.string[name]
    dictMethod = methods.dict[name]
    vectorMethod = methods.vector[name]
    rangeMethod = methods.range[name]
    func native(_ method: Value?) -> Native? {
      guard labels == nil, case .builtin(let builtin)? = method, let body = builtin.method else { return nil }
      return Native(call: body.call, builtin: .passUnretained(builtin))
    }
    func body(_ method: Value?) -> NativeMethod? {
      guard labels == nil, case .builtin(let builtin)? = method else { return nil }
      return builtin.method
    }
    listNative = native(listMethod)
    stringNative = native(stringMethod)
    dictNative = native(dictMethod)
    func literal(_ index: Int) -> String? {
      guard index < literals.count, case .string(let text)? = literals[index] else { return nil }
      return text
    }
    let strings = body(stringMethod)?.onStrings ?? StringMethod()
    stringNoArguments = strings.noArguments ?? { _ in throw StringForm.unused }
    stringOneArgument = strings.oneArgument ?? { _, _ in throw StringForm.unused }
    stringTwoArguments = strings.twoArguments ?? { _, _, _ in throw StringForm.unused }
    switch values.count {
    case 0 where strings.noArguments != nil: stringForm = .noArguments
    case 1 where strings.oneArgument != nil: stringForm = literal(0) != nil ? .oneLiteral : .oneEvaluated
    case 2 where strings.twoArguments != nil:
      stringForm = literal(0) != nil && literal(1) != nil ? .twoLiterals : .twoEvaluated
    default: stringForm = .none
    }
    firstLiteral = literal(0) ?? ""
    secondLiteral = literal(1) ?? ""
    let list = body(listMethod)?.onList ?? ListMethod(), dict = body(dictMethod)?.onDict ?? DictMethod()
    listNoArguments = list.noArguments ?? { _ in throw StringForm.unused }
    listOneArgument = list.oneArgument ?? { _, _ in throw StringForm.unused }
    listTakesArgument = values.count == 1
    dictOneArgument = values.count == 1 ? dict.oneArgument : nil
    dictTwoArguments = values.count == 2 ? dict.twoArguments : nil
    hasListMethod = values.count == 0 ? list.noArguments != nil : values.count == 1 && list.oneArgument != nil
    hasDictMethod = dictOneArgument != nil || dictTwoArguments != nil
    firstArgument = values.count >= 1 ? values[0].evaluate : { _ in .nil }
    secondArgument = values.count >= 2 ? values[1].evaluate : { _ in .nil }
  }

  /// Calls the method on a receiver already evaluated: a function stored in a dict under the
  /// name, else the method of the receiver's type.
  func call(_ object: Value, _ interpreter: Interpreter, _ frame: Frame) throws -> Value {
    let method: Value?
    switch object {
    case .list(let list):
      if hasListMethod { return try callList(list, frame) }
      if let listNative { return try callNative(listNative, object, interpreter, frame) }
      method = listMethod
    case .string(let string):
      if stringForm != .none { return try callString(string, object, interpreter, frame) }
      if let stringNative { return try callNative(stringNative, object, interpreter, frame) }
      method = stringMethod
    case .dict(let dict):
      if let stored = dict.entries[nameKey] {
        return try Emitter.callWithStackArguments(interpreter, stored, receiver: nil, values, labels, frame, at)
      }
      if hasDictMethod { return try callDict(dict, object, interpreter, frame) }
      if let dictNative { return try callNative(dictNative, object, interpreter, frame) }
      method = dictMethod
    case .vector: method = vectorMethod
    case .range: method = rangeMethod
    default: method = nil
    }
    return try callGeneral(method, object, interpreter, frame)
  }

  /// Calls the method on the receiver where `place` holds it, which nothing may store into
  /// until the call returns: an unboxed local, which only its own function's assignments
  /// change, and none runs during the call; or a global when the arguments only read. A
  /// string or list method of the typed forms, which runs no seed code, has its arguments
  /// evaluated first (the receiver cannot change meanwhile, so the order is not seen) and the
  /// receiver lent to it; any other call copies the receiver first, as `call` is given it.
  func call(lending place: UnsafeMutablePointer<Value>, _ interpreter: Interpreter, _ frame: Frame) throws -> Value {
    // Tests of the case alone: a switch binding the value would copy it for the call.
    if stringForm != .none, case .string = place.pointee { return try callString(lending: place, interpreter, frame) }
    if hasListMethod, case .list = place.pointee { return try callList(lending: place, frame) }
    return try call(place.pointee, interpreter, frame)
  }

  /// Calls the method as any function is called, its arguments evaluated onto the value stack.
  private func callGeneral(_ method: Value?, _ object: Value, _ interpreter: Interpreter, _ frame: Frame) throws -> Value {
    guard let method else { throw Diagnostic(.runtime, methods.missing(name, for: object), at: at) }
    return try Emitter.callWithStackArguments(interpreter, method, receiver: object, values, labels, frame, at)
  }

  /// Runs a native method on positional arguments. Up to two, as most methods take, are held
  /// in a local rather than on the value stack, which would be reserved and cleared.
  private func callNative(_ native: Native, _ receiver: Value, _ interpreter: Interpreter, _ frame: Frame) throws -> Value {
    switch values.count {
    case 0:
      var none = Value.nil
      return try withUnsafeMutablePointer(to: &none) { try run(native, receiver, $0, count: 0, interpreter) }
    case 1:
      var argument = try firstArgument(frame)
      return try withUnsafeMutablePointer(to: &argument) { try run(native, receiver, $0, count: 1, interpreter) }
    case 2:
      // A homogeneous tuple is laid out as an array of its two elements.
      var pair = (try firstArgument(frame), try secondArgument(frame))
      return try withUnsafeMutablePointer(to: &pair) {
        try $0.withMemoryRebound(to: Value.self, capacity: 2) { try run(native, receiver, $0, count: 2, interpreter) }
      }
    default:
      let count = values.count
      return try interpreter.withStackSlots(count, at: at) { base in
        for index in 0..<count { (base + index).initialize(to: try values[index].evaluate(frame)) }
        return try run(native, receiver, base, count: count, interpreter)
      }
    }
  }

  /// Runs a string method on the receiver and the arguments where they are, when the arguments
  /// are strings; the general body runs on any other argument, to report it.
  private func callString(_ string: String, _ receiver: Value, _ interpreter: Interpreter, _ frame: Frame) throws -> Value {
    switch stringForm {
    case .noArguments:
      do { return try stringNoArguments(string) } catch { throw located(error) }
    case .oneLiteral:
      do { return try stringOneArgument(string, firstLiteral) } catch { throw located(error) }
    case .twoLiterals:
      do { return try stringTwoArguments(string, firstLiteral, secondLiteral) } catch { throw located(error) }
    case .oneEvaluated:
      var argument = try firstArgument(frame)
      if case .string(let text) = argument {
        do { return try stringOneArgument(string, text) } catch { throw located(error) }
      }
      return try withUnsafeMutablePointer(to: &argument) { try runStringNative(receiver, $0, count: 1, interpreter) }
    case .twoEvaluated:
      var pair = (try firstArgument(frame), try secondArgument(frame))
      if case .string(let first) = pair.0, case .string(let second) = pair.1 {
        do { return try stringTwoArguments(string, first, second) } catch { throw located(error) }
      }
      return try withUnsafeMutablePointer(to: &pair) {
        try $0.withMemoryRebound(to: Value.self, capacity: 2) { try runStringNative(receiver, $0, count: 2, interpreter) }
      }
    case .none: return try callGeneral(stringMethod, receiver, interpreter, frame)
    }
  }

  /// `callString` on a string lent where `place` holds it (`call(lending:)`), its arguments
  /// evaluated first. An argument that is not a string goes to the general body with a copy
  /// of the receiver, to report it.
  private func callString(lending place: UnsafeMutablePointer<Value>, _ interpreter: Interpreter, _ frame: Frame) throws -> Value {
    switch stringForm {
    case .noArguments: return try lent(place, "", "", count: 0)
    case .oneLiteral: return try lent(place, firstLiteral, "", count: 1)
    case .twoLiterals: return try lent(place, firstLiteral, secondLiteral, count: 2)
    case .oneEvaluated, .twoEvaluated: return try callStringEvaluated(lending: place, interpreter, frame)
    case .none: return try call(place.pointee, interpreter, frame)
    }
  }

  /// The forms of `callString(lending:)` whose arguments are evaluated, out of line: the
  /// pointers to their locals would give the literal forms a stack frame and a stack check.
  @inline(never)
  private func callStringEvaluated(
    lending place: UnsafeMutablePointer<Value>, _ interpreter: Interpreter, _ frame: Frame
  ) throws -> Value {
    if stringForm == .oneEvaluated {
      var argument = try firstArgument(frame)
      if case .string(let text) = argument { return try lent(place, text, "", count: 1) }
      return try withUnsafeMutablePointer(to: &argument) { try runStringNative(place.pointee, $0, count: 1, interpreter) }
    }
    var pair = (try firstArgument(frame), try secondArgument(frame))
    if case .string(let first) = pair.0, case .string(let second) = pair.1 {
      return try lent(place, first, second, count: 2)
    }
    return try withUnsafeMutablePointer(to: &pair) {
      try $0.withMemoryRebound(to: Value.self, capacity: 2) { try runStringNative(place.pointee, $0, count: 2, interpreter) }
    }
  }

  /// Runs the string method of `count` arguments on the string lent from `place`.
  @inline(__always)
  private func lent(_ place: UnsafeMutablePointer<Value>, _ first: String, _ second: String, count: Int) throws -> Value {
    try lending(place) { receiver in try runString(receiver, first, second, count: count) }
  }

  /// Runs `method` on the value lent from `place`: moved out of it, so that reading it costs
  /// no retain, and moved back whatever the method does. The method runs no seed code, so
  /// nothing reads `place` meanwhile. Its errors are located at the site.
  @inline(__always)
  private func lending(_ place: UnsafeMutablePointer<Value>, _ method: (Value) throws -> Value) throws -> Value {
    let receiver = place.move()
    do {
      let result = try method(receiver)
      place.initialize(to: receiver)
      return result
    } catch {
      place.initialize(to: receiver)
      throw located(error)
    }
  }

  /// The site's string method on a receiver its caller found to be a string.
  @inline(__always)
  private func runString(_ receiver: Value, _ first: String, _ second: String, count: Int) throws -> Value {
    guard case .string(let string) = receiver else { throw Receiver.failure(receiver, "strings") }
    switch count {
    case 0: return try stringNoArguments(string)
    case 1: return try stringOneArgument(string, first)
    default: return try stringTwoArguments(string, first, second)
    }
  }

  /// Runs a list method on the list and the arguments evaluated, which it takes as they are.
  private func callList(_ list: ListObject, _ frame: Frame) throws -> Value {
    let argument = listTakesArgument ? try firstArgument(frame) : .nil
    do { return try runList(list, argument) } catch { throw located(error) }
  }

  /// `callList` on a list lent where `place` holds it, as `lent` lends a string.
  private func callList(lending place: UnsafeMutablePointer<Value>, _ frame: Frame) throws -> Value {
    let argument = listTakesArgument ? try firstArgument(frame) : .nil
    return try lending(place) { receiver in
      guard case .list(let list) = receiver else { throw Receiver.failure(receiver, "lists") }
      return try runList(list, argument)
    }
  }

  /// The site's list method of as many arguments as the call has.
  @inline(__always)
  private func runList(_ list: ListObject, _ argument: Value) throws -> Value {
    listTakesArgument ? try listOneArgument(list, argument) : try listNoArguments(list)
  }

  /// Runs a dict method on the dict and the arguments evaluated, which it takes as they are.
  private func callDict(_ dict: DictObject, _ receiver: Value, _ interpreter: Interpreter, _ frame: Frame) throws -> Value {
    if let method = dictOneArgument {
      let argument = try firstArgument(frame)
      do { return try method(dict, argument) } catch { throw located(error) }
    }
    if let method = dictTwoArguments {
      let first = try firstArgument(frame), second = try secondArgument(frame)
      do { return try method(dict, first, second) } catch { throw located(error) }
    }
    return try callGeneral(dictMethod, receiver, interpreter, frame)
  }

  /// The general body of the string method, on arguments already evaluated. The site has a
  /// string method only where it has the native, so the error is not reached.
  @inline(never)
  private func runStringNative(
    _ receiver: Value, _ values: UnsafeMutablePointer<Value>, count: Int, _ interpreter: Interpreter
  ) throws -> Value {
    guard let stringNative else { throw Diagnostic(.runtime, methods.missing(name, for: receiver), at: at) }
    return try run(stringNative, receiver, values, count: count, interpreter)
  }

  /// Errors are reported as a call of the builtin method would report them.
  @inline(__always)
  private func run(
    _ native: Native, _ receiver: Value, _ values: UnsafeMutablePointer<Value>, count: Int, _ interpreter: Interpreter
  ) throws -> Value {
    var arguments = Arguments(interpreter: interpreter, values: values, count: count, labels: nil, builtin: native.builtin)
    do {
      return try native.call(receiver, &arguments)
    } catch {
      throw located(error)
    }
  }

  /// Out of line, so that the type checks of a failure cost the successful calls nothing.
  @inline(never)
  private func located(_ error: Error) -> Error {
    if let failure = error as? RuntimeFailure { return Diagnostic(.runtime, failure.message, at: at) }
    if var diagnostic = error as? Diagnostic {
      diagnostic.addCall(.init(function: name, location: at))
      return diagnostic
    }
    return error
  }

  /// A native method body and its builtin, whose name the arguments carry for error
  /// messages. The builtin is not retained: the method fields hold it, and a strong
  /// reference would be retained and released around every call.
  private struct Native {
    let call: (Value, inout Arguments) throws -> Value
    let builtin: Unmanaged<Builtin>
  }
}
