import Foundation

/// `parallel(items) { item in ... }`: the closure runs for every item on worker threads, so
/// that the blocking host calls inside it (LLM requests) are in flight at the same time.
///
/// Seed code itself never runs on two threads at once: a thread must hold the interpreter's
/// execution lock to run it, and host builtins release the lock around their blocking work
/// through `blocking(_:)`. Each worker has a value stack of its own, so the stacks of threads
/// that take turns never interleave.
extension Interpreter {
  /// The saved value-stack registers of a thread that let others run.
  struct StackRegisters {
    let stack: UnsafeMutablePointer<Value>
    let stackEnd: UnsafeMutablePointer<Value>
    let stackLimit: UnsafeMutablePointer<Value>
    let top: UnsafeMutablePointer<Value>
    let depth: Int
    let taskPath: [Int]
  }

  var stackRegisters: StackRegisters {
    get {
      StackRegisters(stack: stack, stackEnd: stackEnd, stackLimit: stackLimit, top: top, depth: depth, taskPath: taskPath)
    }
    set {
      stack = newValue.stack
      stackEnd = newValue.stackEnd
      stackLimit = newValue.stackLimit
      top = newValue.top
      depth = newValue.depth
      taskPath = newValue.taskPath
    }
  }

  /// Runs blocking host work (a network request, a wait) with the interpreter free for other
  /// threads; outside `parallel` it just runs the work.
  public func blocking<T>(_ work: () throws -> T) rethrows -> T {
    guard sharingDepth > 0 else { return try work() }
    let saved = stackRegisters
    executionLock.unlock()
    defer {
      executionLock.lock()
      stackRegisters = saved
    }
    return try work()
  }

  static let workerStackCapacity = 1 << 16
  static let workerThreadStack = 256 << 20

  /// Calls `body` with each item on up to `limit` worker threads; the results in item order.
  func parallelMap(_ items: [Value], limit: Int, body: Value) throws -> [Value] {
    guard !items.isEmpty else { return [] }
    let work = ParallelWork(count: items.count)
    if sharingDepth == 0 { executionLock.lock() }
    sharingDepth += 1
    defer {
      sharingDepth -= 1
      if sharingDepth == 0 { executionLock.unlock() }
    }
    let workers = min(limit, items.count)
    let parentPath = taskPath
    blocking {
      let finished = DispatchGroup()
      for _ in 0..<workers {
        finished.enter()
        let thread = Thread { [self] in
          runWorker(items, body: body, work: work, parentPath: parentPath)
          finished.leave()
        }
        thread.stackSize = Interpreter.workerThreadStack
        thread.start()
      }
      finished.wait()
    }
    // The error of the first failing item stands for all, and says which item it was.
    if let (index, error) = work.firstFailure {
      guard var diagnostic = error as? Diagnostic else {
        throw RuntimeFailure("parallel item \(index): \(error)")
      }
      diagnostic.message = "parallel item \(index): \(diagnostic.message)"
      throw diagnostic
    }
    return work.results
  }

  /// A worker takes items until none are left or one has failed.
  private func runWorker(_ items: [Value], body: Value, work: ParallelWork, parentPath: [Int]) {
    let ownStack = UnsafeMutablePointer<Value>.allocate(capacity: Interpreter.workerStackCapacity)
    // The worker's registers between items; its slots are initialized as its stack grows.
    var registers = StackRegisters(
      stack: ownStack, stackEnd: ownStack, stackLimit: ownStack + Interpreter.workerStackCapacity, top: ownStack,
      depth: 0, taskPath: [])
    defer {
      ownStack.deinitialize(count: registers.stackEnd - ownStack)
      ownStack.deallocate()
    }
    executionLock.lock()
    defer { executionLock.unlock() }
    // Items are claimed under the execution lock, which this worker holds between calls.
    while let index = work.claim() {
      // A fresh frame on the worker's own stack, and the item's place in the task tree.
      registers = StackRegisters(
        stack: ownStack, stackEnd: registers.stackEnd, stackLimit: registers.stackLimit, top: ownStack, depth: 0,
        taskPath: parentPath + [index])
      stackRegisters = registers
      do {
        let result = try call(body, [items[index]])
        work.results[index] = result
      } catch {
        work.fail(index, error)
      }
      // Blocking calls restored this worker's registers; they hold how far its stack grew.
      registers = stackRegisters
    }
  }
}

/// The shared state of one `parallel` call, touched only under the execution lock.
private final class ParallelWork: @unchecked Sendable {
  var results: [Value]
  private var next = 0
  private(set) var firstFailure: (Int, Error)?

  init(count: Int) { results = [Value](repeating: .nil, count: count) }

  func claim() -> Int? {
    guard firstFailure == nil, next < results.count else { return nil }
    next += 1
    return next - 1
  }

  func fail(_ index: Int, _ error: Error) {
    if let earlier = firstFailure, earlier.0 <= index { return }
    firstFailure = (index, error)
  }
}
