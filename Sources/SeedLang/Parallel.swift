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
  /// Worker threads alive at once in a session, nested `parallel` calls included, and how
  /// deep `parallel` calls nest before they stop making threads. A call past either limit runs
  /// its items one after another on its own thread: a recursion through `parallel` then meets
  /// the call-depth limit, and its first failing item stops the rest, instead of making
  /// threads without end, each of which would go on recursing.
  static let maxWorkerThreads = 256
  static let maxThreadedNesting = 4

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
    let workers =
      taskPath.count < Interpreter.maxThreadedNesting ? min(limit, items.count, Interpreter.maxWorkerThreads - workerThreads) : 0
    let parentPath = taskPath
    guard workers > 0 else { return try mapInPlace(items, body: body, parentPath: parentPath) }
    workerThreads += workers
    // Workers go on from the caller's call depth, so the limit holds across threads.
    let parentDepth = depth
    blocking {
      let finished = DispatchGroup()
      for _ in 0..<workers {
        finished.enter()
        let thread = Thread { [self] in
          runWorker(items, body: body, work: work, parentPath: parentPath, parentDepth: parentDepth)
          finished.leave()
        }
        thread.stackSize = Interpreter.workerThreadStack
        thread.start()
      }
      finished.wait()
    }
    // The error of the first failing item stands for all, and says which item it was.
    if let (index, error) = work.firstFailure { throw Interpreter.failure(ofItem: index, error) }
    return work.results
  }

  /// The items one after another on this thread, when no worker thread is to be had.
  private func mapInPlace(_ items: [Value], body: Value, parentPath: [Int]) throws -> [Value] {
    defer { taskPath = parentPath }
    var results: [Value] = []
    results.reserveCapacity(items.count)
    for (index, item) in items.enumerated() {
      taskPath = parentPath + [index]
      do { results.append(try call(body, [item])) } catch { throw Interpreter.failure(ofItem: index, error) }
    }
    return results
  }

  /// The error of an item, its message led by the item's index: `parallel item 3: ...`, and
  /// for nested calls the indices outermost first, `parallel item 3 > 0: ...`.
  private static func failure(ofItem index: Int, _ error: Error) -> Error {
    guard var diagnostic = error as? Diagnostic else { return RuntimeFailure("parallel item \(index): \(error)") }
    diagnostic.message = itemPrefixed(index, diagnostic.message)
    return diagnostic
  }

  /// Nested indices beyond a few are counted, not listed (`parallel item 0 > 1 > (996 more)
  /// > 0 > 0: ...`): a recursion through `parallel` would otherwise repeat them a thousand times.
  static func itemPrefixed(_ index: Int, _ message: String) -> String {
    let lead = "parallel item "
    guard message.hasPrefix(lead), let end = message.range(of: ": ") else { return "\(lead)\(index): \(message)" }
    let inner = message[message.index(message.startIndex, offsetBy: lead.count)..<end.lowerBound]
    var path = [String(index)] + inner.components(separatedBy: " > ")
    if path.count > 5 {
      // A part "(N more)" stands for N indices.
      let hidden = path[2..<(path.count - 2)].reduce(0) { total, part in
        total + (part.hasPrefix("(") ? Int(part.dropFirst().prefix(while: \.isNumber)) ?? 0 : 1)
      }
      path = Array(path.prefix(2)) + ["(\(hidden) more)"] + Array(path.suffix(2))
    }
    return lead + path.joined(separator: " > ") + message[end.lowerBound...]
  }

  /// A worker takes items until none are left or one has failed.
  private func runWorker(_ items: [Value], body: Value, work: ParallelWork, parentPath: [Int], parentDepth: Int) {
    let ownStack = UnsafeMutablePointer<Value>.allocate(capacity: Interpreter.workerStackCapacity)
    // The worker's registers between items; its slots are initialized as its stack grows.
    var registers = StackRegisters(
      stack: ownStack, stackEnd: ownStack, stackLimit: ownStack + Interpreter.workerStackCapacity, top: ownStack,
      depth: parentDepth, taskPath: [])
    defer {
      ownStack.deinitialize(count: registers.stackEnd - ownStack)
      ownStack.deallocate()
    }
    executionLock.lock()
    defer {
      workerThreads -= 1
      executionLock.unlock()
    }
    // Items are claimed under the execution lock, which this worker holds between calls.
    while let index = work.claim() {
      // A fresh frame on the worker's own stack, and the item's place in the task tree.
      registers = StackRegisters(
        stack: ownStack, stackEnd: registers.stackEnd, stackLimit: registers.stackLimit, top: ownStack, depth: parentDepth,
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
