/// Frees nested lists and dicts without recursion.
///
/// Left to itself, freeing a list frees its items, which frees their items, one native stack
/// frame per level: a list nested a few million levels deep (`for i in 0..<3_000_000 { l = [l] }`)
/// would overflow the stack when dropped. Instead, a container being freed moves the
/// containers it holds alone onto a work list and empties them, so each is freed with nothing
/// left inside, and the work list is drained in a loop.
enum NestedRelease {
  static func release(_ items: inout [Value]) {
    guard items.contains(where: \.isContainer) else { return }
    var pending = items
    items = []
    drain(&pending)
  }

  static func release(_ entries: inout DictEntries) {
    // Walked in place: `values` would make an array for every dict freed.
    guard entries.contains(where: { $0.value.isContainer }) else { return }
    var pending = entries.values
    entries = [:]
    drain(&pending)
  }

  private static func drain(_ pending: inout [Value]) {
    while !pending.isEmpty {
      // The object is taken out of the value before its uniqueness is checked: a pattern
      // binding would hold a second reference and make every list look shared.
      var value = pending.removeLast()
      var list = value.listObject
      var dict = value.dictObject
      value = .nil
      // Shared elsewhere, a container is not freed now, and nothing below it either.
      if isKnownUniquelyReferenced(&list), let list, list.items.contains(where: \.isContainer) {
        pending += list.items
        list.items = []
      } else if isKnownUniquelyReferenced(&dict), let dict, dict.entries.contains(where: { $0.value.isContainer }) {
        pending += dict.entries.values
        dict.entries = [:]
      }
    }
  }
}

extension Value {
  fileprivate var listObject: ListObject? {
    if case .list(let list) = self { return list }
    return nil
  }

  fileprivate var dictObject: DictObject? {
    if case .dict(let dict) = self { return dict }
    return nil
  }

  fileprivate var isContainer: Bool {
    switch self {
    case .list, .dict: return true
    default: return false
    }
  }
}
