/// Freeing a value nested a million deep (`for i in 0..<1_000_000 { x = [x] }`) would run a
/// million nested deinits and overflow any stack. Containers instead hand their contents to
/// `release`, which frees them in a loop: every list, dictionary, box or closure that nothing
/// else refers to gives up its contents to the loop before it dies, so no deinit recurses.
enum NestedRelease {
  /// Whether freeing `value` may free other containers in turn.
  @inline(__always)
  static func mayNest(_ value: Value) -> Bool {
    switch value {
    case .list, .dict, .box, .closure: return true
    default: return false
    }
  }

  /// Frees `values` (left empty) and everything only they hold, iteratively.
  static func release(_ values: inout [Value]) {
    var pending: [Value] = []
    swap(&pending, &values)
    while !pending.isEmpty {
      // The container comes out of its value through a call, so that the value is gone by the
      // time uniqueness is checked, in debug builds too.
      guard var container = container(pending.removeLast()), isKnownUniquelyReferenced(&container) else { continue }
      // Nothing else refers to it: take its contents, so that it dies empty.
      switch container {
      case let list as ListObject:
        pending.append(contentsOf: list.items.filter(mayNest))
        list.items.removeAll()
      case let dict as DictObject:
        pending.append(contentsOf: dict.entries.values.filter(mayNest))
        dict.entries.removeAll()
      case let box as Box:
        pending.append(box.value)
        box.value = .nil
      case let closure as Closure:
        // Captures cannot be emptied; held by `pending`, they outlive the closure instead.
        pending.append(contentsOf: closure.captures.map(Value.box))
      default:
        break
      }
    }
  }

  private static func container(_ value: consuming Value) -> AnyObject? {
    switch value {
    case .list(let list): return list
    case .dict(let dict): return dict
    case .box(let box): return box
    case .closure(let closure): return closure
    default: return nil
    }
  }
}
