import OrderedCollections
import SeedJSON
import SeedLang

/// Which globals each cell reads and changes, found from its syntax tree without running
/// it, and from that the inputs of each cell's key: the parameters it reads and the cells
/// that define or change what it reads, directly or through the functions it calls.
///
/// The analysis errs towards depending on more, never less:
/// - a read or change inside a closure a cell makes counts as the cell's own (`parallel` and
///   `map` run it), as does what a `func` of the cell does once the cell names it; a cell that
///   reads a name also reads and changes whatever any function or closure of the cells that
///   define or change that name may read and change;
/// - a method call on a global (`xs.append`, but also `xs.map`), an assignment into it
///   (`xs[0] = 1`, `r.f = 1`) and passing it to a function the notebook defines all change it,
///   and a change of a global changes every global its value may share objects with (any
///   global that was given a value computed from it, and any function reading it);
/// - a cell that does not parse, or imports a module that cannot be read, depends on every
///   cell and parameter before it, and every cell after it depends on it.
///
/// Its input is the syntax tree alone, so that it can later take the resolver's lists of
/// each program's and function's global reads and writes instead.
public struct CellDataflow {
  /// Globals read, defined (declared or assigned) and changed in place.
  struct Effects {
    var reads: Set<String> = []
    var defines: Set<String> = []
    var changes: Set<String> = []

    mutating func merge(_ other: Effects) {
      reads.formUnion(other.reads)
      defines.formUnion(other.defines)
      changes.formUnion(other.changes)
    }
  }

  /// What one cell (or module) touches.
  struct Accesses {
    /// Its top level, and the closures it makes (which it may well run: `parallel`, `map`).
    var own = Effects()
    /// Its top-level `func`s, by name: what each does when called.
    var declared: [String: Effects] = [:]
    /// Every function and closure it makes: what calling any of them may do.
    var body = Effects()
    /// A global and the globals its new value was made from.
    var aliases: [(String, Set<String>)] = []
    /// Globals passed to a callee: the callee's global name (nil when not a global), the
    /// global, and where the call is.
    var passes: [(callee: String?, global: String, place: Place)] = []
    var imports: [String] = []
    /// Not understood: depends on, and may change, everything.
    var unknown = false
    /// The modules imported, with the SHA-256 of their source ("" when unreadable).
    var modules: [CellKeyInputs.Module] = []

    /// Where code runs: at the top level (or in a closure made there), or in a function.
    struct Place {
      var inFunction: Bool
      /// The top-level `func` it is inside, if any.
      var declared: String?
    }

    mutating func record(_ place: Place, _ change: (inout Effects) -> Void) {
      if place.inFunction { change(&body) }
      if let name = place.declared {
        change(&declared[name, default: Effects()])
      } else {
        change(&own)
      }
    }

    mutating func merge(_ other: Accesses) {
      own.merge(other.own)
      declared.merge(other.declared) { first, second in
        var both = first
        both.merge(second)
        return both
      }
      body.merge(other.body)
      aliases += other.aliases
      passes += other.passes
      unknown = unknown || other.unknown
      modules += other.modules
      imports += other.imports
    }
  }

  /// Per cell: the cells it depends on (indices) and the parameters it reads.
  public struct Dependencies: Equatable {
    public var upstream: [Int]
    public var parameters: [String]
    /// The analysis could not be sure: the cell depends on everything before it.
    public var dependsOnAll: Bool
  }

  public let dependencies: [Dependencies]
  /// Each cell's modules, for its key.
  let modules: [[CellKeyInputs.Module]]

  /// Analyses the cells of a notebook. `modules` finds the source of `import NAME`.
  public init(cells: [Cell], file: String, parameterNames: Set<String>, modules: (String) -> Interpreter.ModuleLookup) {
    var moduleCache: [String: Accesses] = [:]
    var accesses = cells.map { cell -> Accesses in
      let source = SourceText(file: file, unit: cell.label, text: cell.source, firstLine: cell.sourceLine)
      return CellDataflow.analyse(source, modules: modules, cache: &moduleCache, importing: [])
    }
    // What the notebook's own code defines; other callees are the host's builtins, which
    // change no argument in place (only methods do).
    var defined: Set<String> = []
    for access in accesses + Array(moduleCache.values) { defined.formUnion(access.own.defines.union(access.body.defines)) }
    // The host's builtins hold no value of the notebook's, so they join no class.
    let shareable = defined.union(parameterNames)
    var aliases = AliasClasses()
    for access in accesses + Array(moduleCache.values) {
      for (name, sources) in access.aliases { aliases.join(name, sources.intersection(shareable)) }
    }
    for index in accesses.indices {
      for pass in accesses[index].passes where pass.callee.map(defined.contains) ?? true {
        accesses[index].record(pass.place) { $0.changes.insert(pass.global) }
      }
    }
    var effectiveWrites: [Set<String>] = []
    var dependencies: [Dependencies] = []
    for (index, access) in accesses.enumerated() {
      if access.unknown {
        dependencies.append(Dependencies(upstream: Array(0..<index), parameters: parameterNames.sorted(), dependsOnAll: true))
        effectiveWrites.append([])
        continue
      }
      var effects = access.own
      var upstream: Set<Int> = Set((0..<index).filter { accesses[$0].unknown })
      var called: Set<String> = []
      var pending = Array(effects.reads)
      func add(_ more: Effects) {
        pending += more.reads.subtracting(effects.reads)
        effects.merge(more)
      }
      while let name = pending.popLast() {
        // Its own function, called: what the function does, the cell does.
        if let function = access.declared[name], called.insert(name).inserted { add(function) }
        for earlier in 0..<index where !accesses[earlier].unknown && effectiveWrites[earlier].contains(name) {
          if upstream.insert(earlier).inserted { add(accesses[earlier].body) }
        }
      }
      effectiveWrites.append(effects.defines.union(aliases.expand(effects.changes)))
      dependencies.append(
        Dependencies(
          upstream: upstream.sorted(), parameters: effects.reads.intersection(parameterNames).sorted(), dependsOnAll: false))
    }
    self.dependencies = dependencies
    self.modules = accesses.map(\.modules)
  }

  /// The key inputs of every cell, in order, for a run with these parameters.
  public static func keyInputs(
    notebook: Notebook, parameters: OrderedDictionary<String, ParameterValue>, runtime: String,
    modules: (String) -> Interpreter.ModuleLookup
  ) -> [CellKeyInputs] {
    let flow = CellDataflow(
      cells: notebook.cells, file: notebook.file, parameterNames: Set(parameters.keys), modules: modules)
    var inputs: [CellKeyInputs] = []
    for (index, cell) in notebook.cells.enumerated() {
      let dependencies = flow.dependencies[index]
      inputs.append(
        CellKeyInputs(
          runtime: runtime, source: CacheKeys.sha256(CacheKeys.normalized(cell.source)),
          parameters: dependencies.parameters.compactMap { name in
            parameters[name].map { CellKeyInputs.ParameterRead(name: name, json: $0.json.serialized(sortedKeys: true)) }
          },
          upstream: dependencies.upstream.map {
            CellKeyInputs.Upstream(identity: notebook.cells[$0].identity, key: inputs[$0].key)
          },
          modules: flow.modules[index]))
    }
    return inputs
  }

  // MARK: - Reading one program

  static func analyse(
    _ source: SourceText, modules: (String) -> Interpreter.ModuleLookup, cache: inout [String: Accesses],
    importing: Set<String>
  ) -> Accesses {
    guard let program = try? SyntaxTree.parse(source) else { return Accesses(unknown: true) }
    var walker = Walker()
    walker.block(program, topLevel: true)
    var result = walker.result
    for name in result.imports {
      if let known = cache[name] {
        result.merge(known)
        continue
      }
      // A module importing one already being read adds nothing new: its effects are those.
      if importing.contains(name) { continue }
      switch modules(name) {
      case .found(let moduleSource):
        var module = analyse(moduleSource, modules: modules, cache: &cache, importing: importing.union([name]))
        module.modules.insert(CellKeyInputs.Module(name: name, source: CacheKeys.sha256(moduleSource.text)), at: 0)
        cache[name] = module
        result.merge(module)
      case .notFound:
        result.unknown = true
        result.modules.append(CellKeyInputs.Module(name: name, source: ""))
      }
    }
    return result
  }

  /// Walks statements with the scopes the compiler uses: the outermost block of a program
  /// declares globals; inner blocks and functions declare locals.
  struct Walker {
    var result = Accesses()
    /// Local names, innermost block last; empty at a program's outermost block.
    private var scopes: [Set<String>] = []
    private var place = Accesses.Place(inFunction: false, declared: nil)

    private func isLocal(_ name: String) -> Bool { scopes.contains { $0.contains(name) } }

    private mutating func read(_ name: String) {
      guard !isLocal(name) else { return }
      result.record(place) { $0.reads.insert(name) }
    }

    private mutating func define(_ name: String) {
      guard !isLocal(name) else { return }
      result.record(place) { $0.defines.insert(name) }
    }

    private mutating func change(_ name: String) {
      guard !isLocal(name) else { return }
      result.record(place) { $0.changes.insert(name) }
    }

    private mutating func declare(_ name: String) {
      if scopes.isEmpty { define(name) } else { scopes[scopes.count - 1].insert(name) }
    }

    mutating func block(_ statements: [Stmt], topLevel: Bool = false) {
      if !topLevel { scopes.append([]) }
      for statement in statements { self.statement(statement) }
      if !topLevel { scopes.removeLast() }
    }

    /// The global an expression's value is reached from: `xs` in `xs[0].items`.
    private func root(_ expr: Expr) -> String? {
      switch expr {
      case .variable(let name, _): return isLocal(name) ? nil : name
      case .member(let base, _, _), .index(let base, _, _): return root(base)
      default: return nil
      }
    }

    /// The globals an expression reads, directly or in the closures it makes.
    private mutating func sources(of expr: Expr) -> Set<String> {
      var inner = Walker()
      inner.scopes = scopes
      inner.place = Accesses.Place(inFunction: place.inFunction, declared: nil)
      inner.expression(expr)
      let found = inner.result.own.reads.union(inner.result.body.reads)
      if let name = place.declared {
        // Read inside a declared function: its effects are that function's.
        var moved = inner.result
        moved.declared[name, default: Effects()].merge(moved.own)
        moved.own = Effects()
        result.merge(moved)
      } else {
        result.merge(inner.result)
      }
      return found
    }

    mutating func statement(_ stmt: Stmt) {
      switch stmt {
      case .expression(let expr):
        expression(expr)
      case .declaration(let name, _, let value, _):
        let from = value.map { sources(of: $0) } ?? []
        declare(name)
        if !isLocal(name) { result.aliases.append((name, from)) }
      case .function(let decl):
        declare(decl.name)
        let topLevel = scopes.isEmpty && !place.inFunction
        function(decl, declaring: topLevel ? decl.name : nil)
        if topLevel { result.aliases.append((decl.name, result.declared[decl.name]?.reads ?? [])) }
      case .assignment(let target, let op, let value, _):
        let from = sources(of: value)
        switch target {
        case .variable(let name, _):
          if op != nil { read(name) }
          define(name)
          if !isLocal(name) { result.aliases.append((name, from)) }
        default:
          // `xs[i] = v`, `r.f = v`: the global they reach is changed in place.
          expression(target)
          if let name = root(target) {
            change(name)
            result.aliases.append((name, from))
          }
        }
      case .ifChain(let clauses, let elseBody, _):
        for clause in clauses {
          expression(clause.condition)
          block(clause.body)
        }
        if let elseBody { block(elseBody) }
      case .forIn(let names, let sequence, let body, _):
        expression(sequence)
        scopes.append(Set(names))
        block(body)
        scopes.removeLast()
      case .whileLoop(let condition, let body, _):
        expression(condition)
        block(body)
      case .returnStmt(let value, _):
        if let value { expression(value) }
      case .breakStmt, .continueStmt:
        break
      case .importStmt(let name, _):
        result.imports.append(name)
      }
    }

    /// A function's body; `declaring` names a top-level `func`, whose effects are kept apart
    /// as what calling it does.
    private mutating func function(_ decl: FunctionDecl, declaring: String? = nil) {
      let outer = place
      place = Accesses.Place(inFunction: true, declared: declaring ?? outer.declared)
      if let declaring { result.declared[declaring, default: Effects()] = result.declared[declaring] ?? Effects() }
      scopes.append(Set(decl.parameters.map(\.name)))
      for parameter in decl.parameters {
        if let value = parameter.defaultValue { expression(value) }
      }
      block(decl.body)
      scopes.removeLast()
      place = outer
    }

    mutating func expression(_ expr: Expr) {
      switch expr {
      case .literal:
        break
      case .interpolated(let parts, _):
        for case .expr(let inner) in parts { expression(inner) }
      case .variable(let name, _):
        read(name)
      case .list(let items, _):
        for item in items { expression(item) }
      case .dict(let entries, _):
        for entry in entries {
          expression(entry.key)
          expression(entry.value)
        }
      case .unary(_, let operand, _):
        expression(operand)
      case .binary(_, let left, let right, _), .logical(_, let left, let right, _):
        expression(left)
        expression(right)
      case .conditional(let test, let then, let otherwise, _):
        expression(test)
        expression(then)
        expression(otherwise)
      case .range(let low, let high, _, _):
        if let low { expression(low) }
        if let high { expression(high) }
      case .call(let callee, let arguments, _):
        expression(callee)
        if case .member(let receiver, _, _) = callee, let name = root(receiver) {
          // A method may change its receiver in place.
          change(name)
        }
        let calleeName: String? = if case .variable(let name, _) = callee, !isLocal(name) { name } else { nil }
        for argument in arguments {
          expression(argument.value)
          if let name = root(argument.value) { result.passes.append((calleeName, name, place)) }
        }
      case .member(let base, _, _):
        expression(base)
      case .index(let base, let index, _):
        expression(base)
        expression(index)
      case .function(let decl):
        function(decl)
      }
    }
  }
}

/// Globals whose values may share objects, joined into classes: changing one in place may
/// change any of its class.
struct AliasClasses {
  private var parent: [String: String] = [:]

  private mutating func find(_ name: String) -> String {
    var root = name
    while let next = parent[root], next != root { root = next }
    var walk = name
    while let next = parent[walk], next != root {
      parent[walk] = root
      walk = next
    }
    return root
  }

  mutating func join(_ name: String, _ others: Set<String>) {
    let root = find(name)
    if parent[root] == nil { parent[root] = root }
    for other in others {
      let otherRoot = find(other)
      if otherRoot != root { parent[otherRoot] = root }
    }
  }

  /// The names with every name sharing a class with one of them.
  mutating func expand(_ names: Set<String>) -> Set<String> {
    let roots = Set(names.map { find($0) })
    var expanded = names
    for name in Array(parent.keys) where roots.contains(find(name)) { expanded.insert(name) }
    return expanded
  }
}
