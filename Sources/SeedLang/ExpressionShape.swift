/// Facts about an expression's shape that let a specialisation evaluate it once where the
/// general path evaluates two copies of it: `d[k + 1] = (d[k + 1] ?? 0) + 1` reads its key
/// expression twice, and one reading gives the same key when nothing between the two can
/// change what it reads.
extension ResolvedExpr {
  /// Whether evaluating the expression changes nothing and gives the same value (or the same
  /// error, at the same place) each time while no variable, list or dict changes: it only
  /// reads variables, items and members and computes with operators. A call may do anything,
  /// and a literal list, dict or function makes a new object each time.
  var onlyReads: Bool {
    switch self {
    case .literal, .name: return true
    case .unary(_, let operand, _): return operand.onlyReads
    case .binary(_, let left, let right, _), .logical(_, let left, let right, _): return left.onlyReads && right.onlyReads
    case .conditional(let test, let then, let otherwise, _): return test.onlyReads && then.onlyReads && otherwise.onlyReads
    case .member(let object, _, _): return object.onlyReads
    case .index(let object, let key, _): return object.onlyReads && key.onlyReads
    case .interpolated(let parts, _):
      return parts.allSatisfy {
        if case .expr(let expr) = $0 { return expr.onlyReads }
        return true
      }
    case .list, .dict, .range, .slice, .call, .methodCall, .function: return false
    }
  }

  /// Whether the expression only computes with operators on names and literals: it reads
  /// no list or dict, so it may be evaluated while a dict's entry is being changed.
  var onlyComputesOnNames: Bool {
    switch self {
    case .literal, .name: return true
    case .unary(_, let operand, _): return operand.onlyComputesOnNames
    case .binary(_, let left, let right, _): return left.onlyComputesOnNames && right.onlyComputesOnNames
    default: return false
    }
  }

  /// Whether the two are written alike, reading the same names (wherever they are written):
  /// for expressions that only read, the same value.
  func isWrittenLike(_ other: ResolvedExpr) -> Bool {
    switch (self, other) {
    case (.literal(let a, _), .literal(let b, _)): return ResolvedExpr.sameLiteral(a, b)
    case (.name(let a, _, _), .name(let b, _, _)): return a == b
    case (.unary(let opA, let a, _), .unary(let opB, let b, _)): return opA == opB && a.isWrittenLike(b)
    case (.binary(let opA, let a1, let a2, _), .binary(let opB, let b1, let b2, _)):
      return opA == opB && a1.isWrittenLike(b1) && a2.isWrittenLike(b2)
    case (.logical(let opA, let a1, let a2, _), .logical(let opB, let b1, let b2, _)):
      return opA == opB && a1.isWrittenLike(b1) && a2.isWrittenLike(b2)
    case (.conditional(let a1, let a2, let a3, _), .conditional(let b1, let b2, let b3, _)):
      return a1.isWrittenLike(b1) && a2.isWrittenLike(b2) && a3.isWrittenLike(b3)
    case (.member(let a, let nameA, _), .member(let b, let nameB, _)): return nameA == nameB && a.isWrittenLike(b)
    case (.index(let a1, let a2, _), .index(let b1, let b2, _)): return a1.isWrittenLike(b1) && a2.isWrittenLike(b2)
    case (.interpolated(let a, _), .interpolated(let b, _)):
      guard a.count == b.count else { return false }
      for (x, y) in zip(a, b) {
        switch (x, y) {
        case (.text(let s), .text(let t)) where s == t: continue
        case (.expr(let e), .expr(let f)) where e.isWrittenLike(f): continue
        default: return false
        }
      }
      return true
    default: return false
    }
  }

  /// Literals of the same type and value: `1` and `1.0` are different expressions.
  private static func sameLiteral(_ a: Value, _ b: Value) -> Bool {
    switch (a, b) {
    case (.nil, .nil): return true
    case (.bool(let x), .bool(let y)): return x == y
    case (.int(let x), .int(let y)): return x == y
    case (.float(let x), .float(let y)): return x.bitPattern == y.bitPattern
    case (.string(let x), .string(let y)): return x == y
    default: return false
    }
  }
}
