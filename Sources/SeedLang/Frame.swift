/// A running function's window onto the value stack. Slot 0 is where a `return` inside
/// statements (in a loop, say) leaves the function's value; parameters follow it.
struct Frame {
  let slots: UnsafeMutablePointer<Value>
  /// The running closure, for its captures. The caller holds it for the whole call, so the
  /// frame need not retain it: that saves a retain and a release on every call.
  private let running: Unmanaged<Closure>?

  init(slots: UnsafeMutablePointer<Value>, closure: Closure?) {
    self.slots = slots
    running = closure.map { .passUnretained($0) }
  }

  /// The value of the running closure's capture at `index`. Read through the unretained
  /// reference: an `unowned(unsafe)` one would be retained and released around the read.
  @inline(__always)
  func capturedValue(_ index: Int) -> Value {
    running.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.capturedValue(index) }
  }

  /// The box of the running closure's capture at `index`.
  @inline(__always)
  func capturedBox(_ index: Int) -> Box {
    running.unsafelyUnwrapped._withUnsafeGuaranteedRef { $0.captures[index] }
  }

  /// The dict in the slot, not retained: the slot keeps it alive while nothing stores into
  /// the slot, which the caller must ensure for as long as it uses the reference.
  @inline(__always)
  func dict(at slot: Int) -> Unmanaged<DictObject>? {
    guard case .dict(let dict) = slots[slot] else { return nil }
    return .passUnretained(dict)
  }

  /// The list in the slot, not retained, on the same terms as `dict(at:)`.
  @inline(__always)
  func list(at slot: Int) -> Unmanaged<ListObject>? {
    guard case .list(let list) = slots[slot] else { return nil }
    return .passUnretained(list)
  }

  /// Stores a local. When the slot holds an int, a float or another value that owns
  /// nothing, as a loop's locals mostly do, there is nothing to release: the slot is
  /// initialized, instead of assigned through the general destroy of the old value.
  @inline(__always)
  func store(_ value: consuming Value, at slot: Int) {
    let target = slots + slot
    if target.pointee.holdsObject { target.pointee = value } else { target.initialize(to: value) }
  }
}
