import Foundation

/// The cache of one notebook as a run sees it: the store in `.seednb/` beside it (cells and
/// answers) and, under it, the lockfile `NB.lock` when there is one. What went wrong opening
/// either is in `notes`, for the command to print; the run goes on without that part.
public struct NotebookCache {
  public var store: CacheStore?
  public var lockfile: Lockfile?
  /// Layers added after the lockfile (a remote cache), asked last.
  public var extraLayers: [AnswerLayer] = []
  public var notes: [String] = []

  public init(store: CacheStore?, lockfile: Lockfile?, notes: [String] = []) {
    self.store = store
    self.lockfile = lockfile
    self.notes = notes
  }

  /// Opens the cache of the notebook at `path`. `createStore: false` leaves a missing store
  /// missing (render and check only read).
  public static func open(forNotebook path: String, createStore: Bool = true) -> NotebookCache {
    var notes: [String] = []
    var store: CacheStore?
    let storePath = CacheStore.path(forNotebook: path)
    if createStore || FileManager.default.fileExists(atPath: storePath) {
      do {
        store = try CacheStore(path: storePath)
        if let note = store?.rebuildNote { notes.append(note) }
      } catch {
        notes.append("cannot open the cache beside the notebook (\(error.readableDescription)); running without it")
      }
    }
    var lockfile: Lockfile?
    do { lockfile = try Lockfile.read(forNotebook: path) } catch {
      notes.append("the lockfile is not used: \(error)")
    }
    return NotebookCache(store: store, lockfile: lockfile, notes: notes)
  }

  /// The answer layers, first hit wins: the store, the lockfile, then any others.
  public var layers: AnswerLayers {
    AnswerLayers([store as AnswerLayer?, lockfile].compactMap { $0 } + extraLayers)
  }
}
