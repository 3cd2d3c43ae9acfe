#if canImport(Glibc)
import CMalloc
import Glibc

/// How seednb's heap is set up before any command runs: glibc's allocator tuned for an
/// interpreter that makes and drops many small values, on memory backed by huge pages.
enum Heap {
  /// How far the heap grows past what is asked of it each time it grows, and so how much of
  /// it is backed by huge pages from the start: address space only, until it is touched.
  static let growth = 256 << 20
  static let hugePage = 2 << 20

  static func configure() {
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
    backWithHugePages()
  }

  /// Each first touch of a 4 kB page costs a fault, about 2 µs on these machines: building a
  /// 4 MB text and its 50,000 lines took 6,000 faults, a quarter of the run, where CPython
  /// took as many. The heap is grown by `growth` at once, and that span is marked for the
  /// kernel's transparent huge pages, so it faults in 2 MB at a time. Where the kernel offers
  /// huge pages only on request (`madvise`, Debian's default) this asks; where it never does,
  /// it changes nothing. Memory past the first span is ordinary.
  private static func backWithHugePages() {
    mallopt(M_TOP_PAD, Int32(growth))
    guard let before = sbrk(0) else { return }
    // An allocation the top of the heap cannot hold makes it grow by `growth`; freed, it
    // merges back into the top. malloc_usable_size keeps the pair from being optimized away.
    let probe = malloc(1 << 20)
    _ = malloc_usable_size(probe)
    free(probe)
    guard let after = sbrk(0) else { return }
    let start = (Int(bitPattern: before) + hugePage - 1) & ~(hugePage - 1)
    let end = Int(bitPattern: after)
    guard end > start, let first = UnsafeMutableRawPointer(bitPattern: start) else { return }
    _ = madvise(first, end - start, MADV_HUGEPAGE)
  }
}
#endif
