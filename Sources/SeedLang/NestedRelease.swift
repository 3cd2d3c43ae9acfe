/// Frees nested values without recursion.
///
/// Left to itself, freeing a list frees its items, which frees their items, one native stack
/// frame per level: a list nested a few million levels deep (`for i in 0..<3_000_000 { l = [l] }`)
/// would overflow the stack when dropped, and so would a dict, or a chain of closures each
/// capturing the one before (both found by fuzzing). Instead, a list, dict or box being freed
/// hands what it holds to a work list, and the work list is drained in a loop: each container
/// that nothing else holds gives up its contents to the list before it dies, so no deinit recurses.
enum NestedRelease {
  static func release(_ items: inout [Value]) {
    guard items.contains(where: \.mayNest) else { return }
    var pending = items
    items = []
    drain(&pending)
  }

  static func release(_ entries: inout DictEntries) {
    var pending: [Value] = []
    entries.appendValues(where: \.mayNest, to: &pending)
    guard !pending.isEmpty else { return }
    entries = [:]
    drain(&pending)
  }

  static func release(_ value: inout Value) {
    guard value.mayNest else { return }
    var pending = [value]
    value = .nil
    drain(&pending)
  }

  private static func drain(_ pending: inout [Value]) {
    while !pending.isEmpty {
      // The object is taken out of the value before its uniqueness is checked: a pattern
      // binding would hold a second reference and make every container look shared.
      var container = pending.removeLast().container
      // Shared elsewhere, a container is not freed now, and nothing below it either.
      guard isKnownUniquelyReferenced(&container) else { continue }
      switch container {
      case let list as ListObject:
        pending += list.items.filter(\.mayNest)
        list.items = []
      case let dict as DictObject:
        dict.entries.appendValues(where: \.mayNest, to: &pending)
        dict.entries = [:]
      case let box as Box:
        if box.value.mayNest { pending.append(box.value) }
        box.value = .nil
      case let closure as Closure:
        // A closure's captures cannot be emptied; held here, they outlive it instead.
        pending += closure.captures.map(Value.box)
      default:
        break
      }
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
