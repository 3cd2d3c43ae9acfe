import ArgumentParser
import Foundation

#if canImport(Glibc)
import CMalloc

// glibc gives each allocation over 128 kB pages of its own and hands freed memory straight
// back, so a list that grows, or one built anew each round, faults in fresh zeroed pages
// every time: a sixth of the run time of list-heavy notebook code. Kept in the heap and
// trimmed only past 128 MB, that memory is reused instead.
mallopt(M_MMAP_THRESHOLD, 64 << 20)
mallopt(M_TRIM_THRESHOLD, 128 << 20)
// Notebook code runs on a thread of its own (for its large stack), and glibc gives such a
// thread an arena of its own, which grows one mprotect call a page: 2,300 calls to build
// 200,000 strings, a tenth of the run. Sharing the main arena, which grows by brk with
// room to spare, costs nothing here: the thread that waits for the interpreter allocates
// nothing meanwhile, and small allocations go through each thread's own cache.
mallopt(M_ARENA_MAX, 1)
#endif

// Exit codes are part of seednb's interface: 2 means bad usage, whatever the parser's own.
do {
  if let request = RunRequest(bareCommandLine: Array(CommandLine.arguments.dropFirst())) {
    try request.run()
  } else {
    var command = try Seednb.parseAsRoot()
    try command.run()
  }
} catch {
  let code = Seednb.exitCode(for: error)
  if code == .success {
    Seednb.exit(withError: error)
  }
  if code == .validationFailure {
    FileHandle.standardError.write(Data((Seednb.fullMessage(for: error) + "\n").utf8))
    Foundation.exit(ExitStatus.usage)
  }
  Seednb.exit(withError: error)
}
