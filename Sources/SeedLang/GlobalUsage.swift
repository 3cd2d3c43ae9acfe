/// The globals a piece of seed code reads and writes, as the resolver finds them before the
/// code runs; what a cache needs to key a cell by the data it depends on.
///
/// - `reads`: every global whose value the code may use: variables, functions it calls, and
///   builtins (`print`, `len`) alike, since a host may redefine any of them.
/// - `writes`: every global the code may change: one it declares (`let`, `var`, `func` at the
///   top of a cell), assigns (`x = 1`, `x += 1`), or changes in place through a subscript or
///   member assignment (`d[k] = v`, `d.count = 2`) or a method call (`xs.append(1)`,
///   `d["a"].append(2)`: the global at the root of the receiver counts).
/// - `calls`: the globals called as functions (`f(x)`); each is in `reads` too. A dataflow
///   analysis follows them through `ProgramUsage.functions` of the cells that define them, to
///   the globals those functions read and write in turn.
///
/// The lists over-approximate: a global read only on a branch that never runs is still
/// listed. What they cannot see is a change made through a function's parameter:
/// `func add(l) { l.append(1) }` then `add(xs)` lists `xs` as read, not written.
public struct GlobalUsage: Equatable, Sendable {
  public var reads: Set<String> = []
  public var writes: Set<String> = []
  public var calls: Set<String> = []
  /// The modules `import` runs; they may define and change any global.
  public var imports: Set<String> = []

  public init(reads: Set<String> = [], writes: Set<String> = [], calls: Set<String> = [], imports: Set<String> = []) {
    self.reads = reads
    self.writes = writes
    self.calls = calls
    self.imports = imports
  }

  mutating func formUnion(_ other: GlobalUsage) {
    reads.formUnion(other.reads)
    writes.formUnion(other.writes)
    calls.formUnion(other.calls)
    imports.formUnion(other.imports)
  }
}

/// The globals of one cell or module: those its own code uses, and those of each global
/// function it declares, which run only when something calls them.
///
///     let usage = try ProgramUsage(of: SourceText(text: "func total() { sum(xs) }\nprint(total())"))
///     usage.topLevel.calls        // ["print", "total"]
///     usage.functions["total"]    // reads ["sum", "xs"], calls ["sum"]
public struct ProgramUsage: Equatable, Sendable {
  /// The statements of the cell itself, closures and local functions written inside them
  /// included (a closure passed to `map` runs as part of the cell). Declaring a global
  /// function writes its name here; its body's globals are in `functions`.
  public var topLevel: GlobalUsage
  /// Each global function the cell declares, by name (the last, if one is declared twice).
  public var functions: [String: GlobalUsage]

  public init(topLevel: GlobalUsage = GlobalUsage(), functions: [String: GlobalUsage] = [:]) {
    self.topLevel = topLevel
    self.functions = functions
  }

  /// Parses and resolves `source` without running it; throws its syntax errors, as
  /// `Interpreter.check` would.
  public init(of source: SourceText) throws {
    self = try Resolver.resolve(try Parser.parse(source), source: source).usage
  }
}
