/// The methods of each built-in type, by name: natives, and functions of the core library
/// written in seed (`map`, `filter`, ...). A method receives its receiver as argument 1.
struct MethodTables {
  var list: [String: Value] = [:]
  var string: [String: Value] = [:]
  var dict: [String: Value] = [:]
  var vector: [String: Value] = [:]
  var range: [String: Value] = [:]

  func table(for value: Value) -> [String: Value]? {
    switch value {
    case .list: return list
    case .string: return string
    case .dict: return dict
    case .vector: return vector
    case .range: return range
    default: return nil
    }
  }

  func missing(_ name: String, for value: Value) -> String {
    guard let table = table(for: value) else { return "\(value.aTypeName) has no method '\(name)'" }
    let known = table.keys.sorted().joined(separator: ", ")
    if case .dict = value {
      return "dict has no key \"\(name)\" holding a function, and dicts have no method '\(name)' (methods: \(known))"
    }
    return "\(value.aTypeName) has no method '\(name)' (methods: \(known))"
  }
}

extension MethodTables {
  /// The argument labels each native function or method takes; any other label is an error,
  /// so that `round(x, digits: 2)` cannot quietly ignore its digits. A native that reads a
  /// label with `named(_:)` must be listed here.
  static let acceptedLabels: [String: Set<String>] = [
    "print": ["separator", "terminator"],
    "parallel": ["limit"],
    "table": ["headers"],
    "sorted": ["by", "key", "reverse"],
    "sort": ["by", "key", "reverse"],
    "json_encode": ["indent"],
    "chart": ChartBuiltins.labels,
  ]
}

// Natives are structs around their closures, not bare closures: a closure kept in an array
// or a dictionary is stored in the generic form and called through one reabstraction thunk
// per container it has passed through, four of them for a method.

/// A native function as the builtin tables list it.
struct NativeFunction {
  let call: (inout Arguments) throws -> Value
  init(_ call: @escaping (inout Arguments) throws -> Value) { self.call = call }
}

/// A native method: its receiver, and the arguments of the call as the user wrote them, so
/// that `xs.append()` reports "takes 1 argument but 0 were given" and argument numbers in
/// messages count from the first one inside the parentheses.
struct NativeMethod {
  let call: (Value, inout Arguments) throws -> Value
  /// For a string method: the method itself, on its receiver and its arguments as strings.
  let onStrings: StringMethod
  /// For a list or dict method that takes any value: the method itself, on its receiver.
  let onList: ListMethod, onDict: DictMethod

  init(
    _ call: @escaping (Value, inout Arguments) throws -> Value, onStrings: StringMethod = StringMethod(),
    onList: ListMethod = ListMethod(), onDict: DictMethod = DictMethod()
  ) {
    self.call = call
    self.onStrings = onStrings
    self.onList = onList
    self.onDict = onDict
  }

  /// A string method of no arguments: `call` checks that none are given.
  static func onString(_ method: @escaping (String) throws -> Value) -> NativeMethod {
    NativeMethod(
      { receiver, args in
        try args.expect(0)
        return try method(try Receiver.string(receiver))
      }, onStrings: StringMethod(noArguments: method))
  }

  /// A string method of one string argument: `call` checks the count and the type of the argument.
  static func onStrings(_ method: @escaping (String, String) throws -> Value) -> NativeMethod {
    NativeMethod(
      { receiver, args in
        try args.expect(1)
        let argument = try args.string(0)
        return try method(try Receiver.string(receiver), argument)
      }, onStrings: StringMethod(oneArgument: method))
  }
}

/// A string method whose receiver and arguments are all strings, by the number of arguments.
/// A call site whose receiver and arguments turn out to be strings runs it on them where they
/// are: the general body copies each string out of its value, a retain and a release each, and
/// checks the number of arguments, which the site checked once when it chose the method. The
/// general body runs every other call, with its errors. It must run no seed code: a call site
/// lends it a receiver that seed code could assign (`MethodCallSite.call(lending:)`).
struct StringMethod {
  var noArguments: ((String) throws -> Value)? = nil
  var oneArgument: ((String, String) throws -> Value)? = nil
  var twoArguments: ((String, String, String) throws -> Value)? = nil
}

/// A list method whose arguments may be any value, by the number of arguments. A call site
/// runs it on the list it found and the arguments it evaluated: nothing to check per call, no
/// Arguments to build, no copy of an argument out of it, no retain of the list. It must run no
/// seed code, as a `StringMethod` must not.
struct ListMethod {
  var noArguments: ((ListObject) throws -> Value)? = nil
  var oneArgument: ((ListObject, Value) throws -> Value)? = nil
}

/// A dict method whose arguments may be any value, as `ListMethod` is for lists.
struct DictMethod {
  var oneArgument: ((DictObject, Value) throws -> Value)? = nil
  var twoArguments: ((DictObject, Value, Value) throws -> Value)? = nil
}

extension Arguments {
  /// The same arguments with the positional ones first, as natives read them. Only a trailing
  /// closure comes after named arguments (`parallel(xs, limit: 2) { x in ... }`); it moves to
  /// the end of the positional ones. The values are reordered in place on the value stack.
  func positionalFirst() -> Arguments {
    guard let labels, let firstNamed = labels.firstIndex(where: { $0 != nil }),
      labels[firstNamed...].contains(where: { $0 == nil })
    else { return self }
    let order = labels.indices.filter { labels[$0] == nil } + labels.indices.filter { labels[$0] != nil }
    let reordered = order.map { values[$0] }
    for (index, value) in reordered.enumerated() { values[index] = value }
    return Arguments(
      interpreter: interpreter, values: values, count: count, labels: order.map { labels[$0] }, builtin: builtin)
  }

  /// The arguments after the receiver, which a method call passes first.
  func droppingReceiver() -> Arguments {
    Arguments(
      interpreter: interpreter, values: values + 1, count: count - 1, labels: labels.map { Array($0.dropFirst()) },
      builtin: builtin)
  }
}

/// The receiver of a native method, of the type whose table holds the method.
enum Receiver {
  static func failure(_ value: Value, _ expected: String) -> RuntimeFailure {
    RuntimeFailure("a method of \(expected) was called on \(value.aTypeName)")
  }

  static func list(_ value: Value) throws -> ListObject {
    if case .list(let list) = value { return list }
    throw failure(value, "lists")
  }

  static func dict(_ value: Value) throws -> DictObject {
    if case .dict(let dict) = value { return dict }
    throw failure(value, "dicts")
  }

  static func string(_ value: Value) throws -> String {
    if case .string(let string) = value { return string }
    throw failure(value, "strings")
  }

  static func vector(_ value: Value) throws -> [Double] {
    if case .vector(let vector) = value { return vector.items }
    throw failure(value, "vectors")
  }
}

extension Interpreter {
  /// Installs every native function and method; called once per session.
  func registerBuiltins() {
    for (name, body) in CoreBuiltins.functions + MathBuiltins.functions + CollectionBuiltins.functions
      + CollectionBuiltins.sequenceFunctions + StringBuiltins.functions + JSONBuiltins.functions + VectorBuiltins.functions + ChartBuiltins.functions
    {
      let allowed = MethodTables.acceptedLabels[name] ?? []
      let builtin = Builtin(
        name: name,
        body: { args in
          // Without labels there is nothing to check or reorder, and no copy to make.
          guard args.labels != nil else { return try body.call(&args) }
          try args.checkLabels(allowed)
          var ordered = args.positionalFirst()
          return try body.call(&ordered)
        }, positional: body.call)
      define(name, .builtin(builtin))
    }
    func install(_ entries: [(String, NativeMethod)], into table: inout [String: Value]) {
      for (name, body) in entries {
        let allowed = MethodTables.acceptedLabels[name] ?? []
        let builtin = Builtin(
          name: name,
          body: { args in
            guard args.count > 0 else { throw RuntimeFailure("\(name)() is a method: call it as x.\(name)(...)") }
            var rest = args.droppingReceiver().positionalFirst()
            try rest.checkLabels(allowed)
            return try body.call(args[0], &rest)
          }, positional: nil, method: body)
        table[name] = .builtin(builtin)
      }
    }
    install(CollectionBuiltins.listMethods, into: &methods.list)
    // map, filter and reduce are methods of every sequence.
    for table in [\MethodTables.list, \.range, \.vector, \.string] {
      install(CollectionBuiltins.sequenceMethods, into: &methods[keyPath: table])
    }
    install(CollectionBuiltins.dictMethods, into: &methods.dict)
    install(StringBuiltins.methods, into: &methods.string)
    install(VectorBuiltins.methods, into: &methods.vector)
    install(CollectionBuiltins.rangeMethods, into: &methods.range)
  }

  /// Runs the core library, written in seed, and makes its sequence functions methods too.
  func loadCoreLibrary() {
    do {
      try run(SourceText(file: "<core>", text: CoreLibrary.source))
    } catch {
      preconditionFailure("the core library does not compile: \(error)")
    }
    for name in CoreLibrary.sequenceMethods {
      guard let function = global(name) else { continue }
      methods.list[name] = function
      methods.range[name] = function
      methods.vector[name] = function
      methods.string[name] = function
    }
  }
}
