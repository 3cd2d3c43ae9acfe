import OrderedCollections
import SeedJSON
import SeedLang

/// Which globals each cell reads and changes, found from its syntax tree without running
/// it, and from that the inputs of each cell's key: the parameters it reads and the cells
/// that define or change what it reads, directly or through the functions it calls.
///
/// The analysis errs towards depending on more, never less:
/// - a read or change inside any function or closure a cell defines counts as the cell's own
///   (it may call it), and a cell that reads a name also reads and changes whatever the
///   functions of the cells defining that name read and change;
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
  /// What one cell (or module) touches.
  struct Accesses {
    /// Globals read at the top level.
    var reads: Set<String> = []
    /// Globals declared, assigned or changed in place at the top level.
    var writes: Set<String> = []
    /// What the functions and closures it defines read and write when they run.
    var bodyReads: Set<String> = []
    var bodyWrites: Set<String> = []
    /// A global and the globals its new value was made from.
    var aliases: [(String, Set<String>)] = []
    /// Globals passed to a callee: the callee's global name (nil when not a global), the
    /// global, and whether inside a function.
    var passes: [(callee: String?, global: String, inBody: Bool)] = []
    var imports: [String] = []
    /// Not understood: depends on, and may change, everything.
    var unknown = false
    /// The modules imported, with the SHA-256 of their source ("" when unreadable).
    var modules: [CellKeyInputs.Module] = []

    mutating func merge(_ other: Accesses) {
      reads.formUnion(other.reads)
      writes.formUnion(other.writes)
      bodyReads.formUnion(other.bodyReads)
      bodyWrites.formUnion(other.bodyWrites)
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
    for access in accesses { defined.formUnion(access.writes) }
    for module in moduleCache.values { defined.formUnion(module.writes) }
    // The host's builtins hold no value of the notebook's, so they join no class.
    let shareable = defined.union(parameterNames)
    var aliases = AliasClasses()
    for access in accesses + Array(moduleCache.values) {
      for (name, sources) in access.aliases { aliases.join(name, sources.intersection(shareable)) }
    }
    for index in accesses.indices {
      for pass in accesses[index].passes where pass.callee.map(defined.contains) ?? true {
        if pass.inBody { accesses[index].bodyWrites.insert(pass.global) } else { accesses[index].writes.insert(pass.global) }
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
      var reads = access.reads.union(access.bodyReads)
      var writes = access.writes.union(access.bodyWrites)
      var upstream: Set<Int> = Set((0..<index).filter { accesses[$0].unknown })
      var pending = Array(reads)
      while let name = pending.popLast() {
        for earlier in 0..<index where !accesses[earlier].unknown && effectiveWrites[earlier].contains(name) {
          guard upstream.insert(earlier).inserted else { continue }
          let through = accesses[earlier].bodyReads.subtracting(reads)
          reads.formUnion(through)
          pending += through
          writes.formUnion(accesses[earlier].bodyWrites)
        }
      }
      effectiveWrites.append(aliases.expand(writes))
      dependencies.append(
        Dependencies(upstream: upstream.sorted(), parameters: reads.intersection(parameterNames).sorted(), dependsOnAll: false))
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
    /// Functions being read, innermost last.
    private var functionDepth = 0

    private func isLocal(_ name: String) -> Bool { scopes.contains { $0.contains(name) } }

    private mutating func read(_ name: String) {
      guard !isLocal(name) else { return }
      if functionDepth > 0 { result.bodyReads.insert(name) } else { result.reads.insert(name) }
    }

    private mutating func write(_ name: String) {
      guard !isLocal(name) else { return }
      if functionDepth > 0 { result.bodyWrites.insert(name) } else { result.writes.insert(name) }
    }

    private mutating func declare(_ name: String) {
      if scopes.isEmpty { write(name) } else { scopes[scopes.count - 1].insert(name) }
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
      inner.functionDepth = functionDepth
      inner.expression(expr)
      let found = inner.result.reads.union(inner.result.bodyReads)
      result.merge(inner.result)
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
        let before = result.bodyReads
        function(decl)
        if !isLocal(decl.name) { result.aliases.append((decl.name, result.bodyReads.subtracting(before))) }
      case .assignment(let target, let op, let value, _):
        let from = sources(of: value)
        switch target {
        case .variable(let name, _):
          if op != nil { read(name) }
          write(name)
          if !isLocal(name) { result.aliases.append((name, from)) }
        default:
          // `xs[i] = v`, `r.f = v`: the global they reach is changed in place.
          expression(target)
          if let name = root(target) {
            write(name)
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

    private mutating func function(_ decl: FunctionDecl) {
      functionDepth += 1
      scopes.append(Set(decl.parameters.map(\.name)))
      for parameter in decl.parameters {
        if let value = parameter.defaultValue { expression(value) }
      }
      block(decl.body)
      scopes.removeLast()
      functionDepth -= 1
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
          write(name)
        }
        let calleeName: String? = if case .variable(let name, _) = callee, !isLocal(name) { name } else { nil }
        for argument in arguments {
          expression(argument.value)
          if let name = root(argument.value) { result.passes.append((calleeName, name, functionDepth > 0)) }
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
