import Synchronization

/// Frees nested values without deep recursion.
///
/// Left to itself, freeing a list frees its items, which frees their items, one native stack
/// frame per level: a list nested a few million levels deep (`for i in 0..<3_000_000 { l = [l] }`)
/// would overflow the stack when dropped, and so would a dict, or a chain of closures each
/// capturing the one before (both found by fuzzing).
///
/// Most nesting is shallow (records in a list, a tree of a few dozen levels), and freeing it
/// by plain recursion costs nothing beyond the frees themselves. So a container is freed by
/// recursion while no more than `maxRecursionDepth` containers are being freed that way; past
/// the bound, the container hands what it holds to a work list instead, and the work list is
/// drained in a loop: each container that nothing else holds gives up its contents to the
/// list before it dies, so no deinit recurses.
///
/// The work list is a stack of item arrays, each taken whole out of the container that held
/// it: freeing a tree moves each list's array once, instead of copying its items one by one
/// into a list of pending values (a retain and a release each, and a new array per list).
enum NestedRelease {
  /// How many containers deep freeing may recurse: a level takes a few hundred bytes of stack
  /// (the deinit, the release of its array, the destruction of its items), so the deepest
  /// recursion stays well inside the smallest stack a thread that drops a value may have.
  static let maxRecursionDepth = 100

  /// The containers being freed by recursion now, on all threads together. A deinit runs on
  /// whichever thread drops the last reference, not only under the interpreter's execution
  /// lock, so the count is atomic; summed over threads, it bounds each thread's own depth.
  private static let recursionDepth = Atomic<Int>(0)

  /// Frees `contents` (emptying it with `empty`) by recursion if the bound allows; false if
  /// it does not, and nothing was done.
  @inline(__always)
  private static func freedByRecursion<Contents>(_ contents: inout Contents, empty: Contents) -> Bool {
    guard recursionDepth.wrappingAdd(1, ordering: .relaxed).newValue <= maxRecursionDepth else {
      recursionDepth.wrappingSubtract(1, ordering: .relaxed)
      return false
    }
    contents = empty
    recursionDepth.wrappingSubtract(1, ordering: .relaxed)
    return true
  }

  static func release(_ items: inout [Value]) {
    guard items.contains(where: \.mayNest), !freedByRecursion(&items, empty: []) else { return }
    var taken: [Value] = []
    swap(&taken, &items)
    drain(&taken)
  }

  static func release(_ entries: inout DictEntries) {
    guard !freedByRecursion(&entries, empty: [:]) else { return }
    var pending: [Value] = []
    entries.appendValues(where: \.mayNest, to: &pending)
    guard !pending.isEmpty else { return }
    entries = [:]
    drain(&pending)
  }

  static func release(_ value: inout Value) {
    guard value.mayNest, !freedByRecursion(&value, empty: .nil) else { return }
    var pending: [Value] = [.nil]
    swap(&pending[0], &value)
    drain(&pending)
  }

  /// Frees the values of `current`, and what they hold, in a loop; `current` is left empty.
  private static func drain(_ current: inout [Value]) {
    // The arrays still to free when `current` is done; empty (not allocated) for a list of
    // scalars or of containers that hold none.
    var waiting: [[Value]] = []
    while true {
      guard !current.isEmpty else {
        guard let next = waiting.popLast() else { return }
        current = next
        continue
      }
      // The object is taken out of the value before its uniqueness is checked: a pattern
      // binding would hold a second reference and make every container look shared.
      var container = current.removeLast().container
      // Shared elsewhere, a container is not freed now, and nothing below it either.
      guard isKnownUniquelyReferenced(&container), let object = container else { continue }
      // Each container type is final, so its type identifies it without a dynamic cast.
      var taken: [Value] = []
      switch ObjectIdentifier(type(of: object)) {
      case ObjectIdentifier(ListObject.self):
        let list = unsafeDowncast(object, to: ListObject.self)
        guard list.items.contains(where: \.mayNest) else { continue }
        swap(&taken, &list.items)
      case ObjectIdentifier(DictObject.self):
        let dict = unsafeDowncast(object, to: DictObject.self)
        dict.entries.appendValues(where: \.mayNest, to: &taken)
        dict.entries = [:]
      case ObjectIdentifier(Box.self):
        let box = unsafeDowncast(object, to: Box.self)
        guard box.value.mayNest else { continue }
        taken = [.nil]
        swap(&taken[0], &box.value)
      case ObjectIdentifier(Closure.self):
        // A closure's captures cannot be emptied; held here, they outlive it instead.
        taken = unsafeDowncast(object, to: Closure.self).captures.map(Value.box)
      default:
        continue
      }
      swap(&current, &taken)
      if !taken.isEmpty { waiting.append(taken) }
    }
  }
}

extension Value {
  /// Whether freeing the value may free other containers in turn.
  fileprivate var mayNest: Bool {
    switch self {
    case .list, .dict, .box, .closure: return true
    default: return false
    }
  }

  /// The object of a value that may nest, taken out of the value.
  fileprivate var container: AnyObject? {
    switch self {
    case .list(let list): return list
    case .dict(let dict): return dict
    case .box(let box): return box
    case .closure(let closure): return closure
    default: return nil
    }
  }
}
