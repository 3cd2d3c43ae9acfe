import Foundation
import GRDB
import SeedLang

/// The cell cache: a SQLite file in `.seednb/` beside the notebook. Each finished cell is
/// one transaction, in write-ahead-log mode, so a run killed at any moment leaves every cell
/// that had finished, and several runs can share the file. A file that is damaged or from
/// another version is moved aside and rebuilt, never trusted.
///
/// It holds two things: cells (outputs and the transcript of their calls, by cell key) and
/// answers (by request key and occurrence, whichever cell or notebook of the folder asked),
/// the first of the answer layers.
public final class CacheStore: WritableAnswerLayer, @unchecked Sendable {
  /// One finished cell: its outputs and the calls it made.
  public struct Entry: Sendable {
    public let notebook: String
    public let cellKey: String
    public let cellIdentity: String
    public let outputs: [OutputItem]
    public let calls: [RecordedCall]
    public let savedAt: Date
    /// What the cell's key was made of, to say why a later run of the cell does not match.
    public let inputs: CellKeyInputs?
  }

  /// Bumped whenever the tables or what they hold change meaning.
  static let schemaVersion = "2"

  public let path: String
  /// Set when the file found was not usable: why, and where it was moved.
  public private(set) var rebuildNote: String?
  /// Whether opening ran `PRAGMA quick_check`: only after an unclean shutdown (StoreSession).
  public let checkedIntegrity: Bool
  private let database: DatabasePool
  private let session: StoreSession
  private var isClosed = false

  /// The store of the notebook at `notebookPath`: `.seednb/cache.sqlite` in its folder.
  public static func path(forNotebook notebookPath: String) -> String {
    URL(fileURLWithPath: notebookPath).deletingLastPathComponent().appendingPathComponent(".seednb/cache.sqlite").path
  }

  public init(path: String) throws {
    self.path = path
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), !isFolder.boolValue {
      throw Unusable(description: "\(folder.path) is a file, where the cache's folder belongs")
    }
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    session = StoreSession(storePath: path)
    checkedIntegrity = session.needsCheck
    do {
      database = try CacheStore.openWaitingForOthers(path, check: session.needsCheck)
    } catch {
      // Whatever is there cannot be trusted; it is kept for inspection, not used.
      // The time and a random part: two runs may set a store aside in the same second.
      let aside = path + ".damaged-\(Int(Date().timeIntervalSince1970))-\(UUID().uuidString.prefix(8))"
      for suffix in ["", "-wal", "-shm"] {
        try? FileManager.default.removeItem(atPath: aside + suffix)
        try? FileManager.default.moveItem(atPath: path + suffix, toPath: aside + suffix)
      }
      rebuildNote = "the cache store \(path) was unusable (\(CacheStore.reason(error))); it was moved to \(aside) and rebuilt"
      database = try CacheStore.open(path, check: false)
    }
    session.opened()
  }

  deinit { close() }

  /// Checkpoints the write-ahead log into the file (emptying it, unless another process has
  /// the store open and may be reading it), closes the file, and records the clean close.
  /// Called when the store is dropped, if not before.
  public func close() {
    guard !isClosed else { return }
    isClosed = true
    let othersOpen = session.othersOpen
    _ = try? database.writeWithoutTransaction { db in try db.checkpoint(othersOpen ? .passive : .truncate) }
    try? database.close()
    session.closed(lastOut: !othersOpen)
  }

  /// Opens the store; a store that another run holds locked (while it creates the file or
  /// switches it to WAL) is waited for, not mistaken for a damaged one.
  private static func openWaitingForOthers(_ path: String, check: Bool) throws -> DatabasePool {
    var attempts = 0
    while true {
      do {
        return try open(path, check: check)
      } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
        attempts += 1
        if attempts >= 100 { throw error }
        Thread.sleep(forTimeInterval: 0.05)
      }
    }
  }

  /// What went wrong with the store, in a line: SQLite's message without the statement.
  public static func reason(_ error: Error) -> String {
    if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
    return "\(error)"
  }

  private struct Unusable: Error, CustomStringConvertible {
    let description: String
  }

  private static func open(_ path: String, check: Bool) throws -> DatabasePool {
    var configuration = Configuration()
    // Two runs of one notebook wait for each other's short write transactions.
    configuration.busyMode = .timeout(10)
    let database = try DatabasePool(path: path, configuration: configuration)
    try database.write { db in
      try db.execute(sql: "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)")
      if check {
        let result = try String.fetchOne(db, sql: "PRAGMA quick_check") ?? "no answer"
        guard result == "ok" else { throw Unusable(description: "integrity check: \(result)") }
      }
      let version = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema'")
      if let version, version != schemaVersion {
        throw Unusable(description: "it was written by another version (schema \(version), expected \(schemaVersion))")
      }
      try db.execute(
        sql: """
          CREATE TABLE IF NOT EXISTS cell (
            notebook TEXT NOT NULL, cellKey TEXT NOT NULL, cellIdentity TEXT NOT NULL,
            outputs TEXT NOT NULL, calls TEXT NOT NULL, savedAt REAL NOT NULL, inputs TEXT,
            PRIMARY KEY (notebook, cellKey));
          CREATE INDEX IF NOT EXISTS cellByIdentity ON cell (notebook, cellIdentity, savedAt);
          CREATE TABLE IF NOT EXISTS answer (
            requestKey TEXT NOT NULL, path TEXT NOT NULL, occurrence INTEGER NOT NULL, notebook TEXT NOT NULL,
            record TEXT NOT NULL, storedAt REAL NOT NULL,
            PRIMARY KEY (requestKey, path, occurrence, notebook));
          CREATE TABLE IF NOT EXISTS run (
            notebook TEXT NOT NULL, startedAt REAL NOT NULL, record TEXT NOT NULL);
          CREATE INDEX IF NOT EXISTS runByNotebook ON run (notebook, startedAt);
          INSERT OR IGNORE INTO meta (key, value) VALUES ('schema', '\(schemaVersion)');
          """)
    }
    return database
  }

  private static let encoder: JSONEncoder = {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return encoder
  }()

  /// The entry of a cell by its key.
  public func entry(notebook: String, cellKey: String) throws -> Entry? {
    try database.read { db in
      try Row.fetchOne(db, sql: "SELECT * FROM cell WHERE notebook = ? AND cellKey = ?", arguments: [notebook, cellKey])
        .map(CacheStore.entry(from:))
    }
  }

  /// The newest entry of a cell by its identity, whatever its key: to tell a changed cell.
  public func latestEntry(notebook: String, cellIdentity: String) throws -> Entry? {
    try database.read { db in
      try Row.fetchOne(
        db, sql: "SELECT * FROM cell WHERE notebook = ? AND cellIdentity = ? ORDER BY savedAt DESC LIMIT 1",
        arguments: [notebook, cellIdentity]
      ).map(CacheStore.entry(from:))
    }
  }

  /// Every entry, of one notebook or of all.
  public func entries(notebook: String? = nil) throws -> [Entry] {
    try database.read { db in
      let rows =
        if let notebook {
          try Row.fetchAll(db, sql: "SELECT * FROM cell WHERE notebook = ? ORDER BY savedAt", arguments: [notebook])
        } else {
          try Row.fetchAll(db, sql: "SELECT * FROM cell ORDER BY notebook, savedAt")
        }
      return try rows.map(CacheStore.entry(from:))
    }
  }

  // MARK: - Answers

  public var layerName: String { "store" }
  public var location: String { path }

  public func answer(at address: AnswerAddress) throws -> StoredAnswer? {
    try database.read { db in
      try String.fetchOne(
        db,
        sql: "SELECT record FROM answer WHERE requestKey = ? AND path = ? AND occurrence = ? ORDER BY storedAt DESC LIMIT 1",
        arguments: [address.requestKey, address.occurrence.path, address.occurrence.index]
      ).map(CacheStore.storedAnswer(from:))
    }
  }

  public func answers(forRequestKey key: String) throws -> [StoredAnswer] {
    try database.read { db in
      try String.fetchAll(
        db, sql: "SELECT record FROM answer WHERE requestKey = ? ORDER BY path, occurrence, storedAt DESC", arguments: [key]
      ).map(CacheStore.storedAnswer(from:))
    }
  }

  /// Every answer a notebook asked for, in address order.
  public func answers(notebook: String) throws -> [StoredAnswer] {
    try database.read { db in
      try String.fetchAll(
        db, sql: "SELECT record FROM answer WHERE notebook = ? ORDER BY requestKey, path, occurrence", arguments: [notebook]
      ).map(CacheStore.storedAnswer(from:))
    }
  }

  public func save(_ answers: [StoredAnswer]) throws {
    let rows = try answers.map { ($0, try CacheStore.text($0)) }
    try database.write { db in
      for (answer, text) in rows { try CacheStore.insert(answer, text: text, in: db) }
    }
  }

  private static func insert(_ answer: StoredAnswer, text: String, in db: Database) throws {
    try db.execute(
      sql: "INSERT OR REPLACE INTO answer (requestKey, path, occurrence, notebook, record, storedAt) VALUES (?, ?, ?, ?, ?, ?)",
      arguments: [
        answer.address.requestKey, answer.address.occurrence.path, answer.address.occurrence.index, answer.notebook, text,
        answer.storedAt.timeIntervalSince1970,
      ])
  }

  private static func text<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try encoder.encode(value), as: UTF8.self)
  }

  private static func storedAnswer(from text: String) throws -> StoredAnswer {
    try JSONDecoder().decode(StoredAnswer.self, from: Data(text.utf8))
  }

  // MARK: - Cells

  /// Stores a finished cell and the answers it got, in one transaction.
  public func save(
    notebook: String, cellKey: String, cellIdentity: String, inputs: CellKeyInputs?, outputs: [OutputItem],
    calls: [RecordedCall]
  ) throws {
    let outputsText = try CacheStore.text(outputs)
    let callsText = try CacheStore.text(calls)
    let inputsText = try inputs.map(CacheStore.text)
    let now = Date()
    let answers = try calls.map { call in
      let answer = StoredAnswer(call: call, notebook: notebook, storedAt: now)
      return (answer, try CacheStore.text(answer))
    }
    try database.write { db in
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO cell (notebook, cellKey, cellIdentity, outputs, calls, savedAt, inputs)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [notebook, cellKey, cellIdentity, outputsText, callsText, now.timeIntervalSince1970, inputsText])
      for (answer, text) in answers { try CacheStore.insert(answer, text: text, in: db) }
    }
  }

  /// How many runs of a notebook the store keeps; older ones are dropped.
  static let runsKept = 20

  /// Records a finished run (for reports: its date, backend, parameters, and how each cell ran).
  public func saveRun(_ record: RunRecord) throws {
    let text = String(decoding: try CacheStore.encoder.encode(record), as: UTF8.self)
    try database.write { db in
      try db.execute(
        sql: "INSERT INTO run (notebook, startedAt, record) VALUES (?, ?, ?)",
        arguments: [record.notebook, record.startedAt.timeIntervalSince1970, text])
      try db.execute(
        sql: """
          DELETE FROM run WHERE notebook = ? AND rowid NOT IN
            (SELECT rowid FROM run WHERE notebook = ? ORDER BY startedAt DESC LIMIT \(CacheStore.runsKept))
          """,
        arguments: [record.notebook, record.notebook])
    }
  }

  /// The newest run of a notebook, or nil (a store written before runs were recorded has none).
  public func latestRun(notebook: String) throws -> RunRecord? {
    try database.read { db in
      try String.fetchOne(
        db, sql: "SELECT record FROM run WHERE notebook = ? ORDER BY startedAt DESC, rowid DESC LIMIT 1", arguments: [notebook]
      ).flatMap { try? JSONDecoder().decode(RunRecord.self, from: Data($0.utf8)) }
    }
  }

  /// Removes the entries of one notebook, or all; returns how many cells were removed.
  @discardableResult
  public func clear(notebook: String? = nil) throws -> Int {
    try database.write { db in
      if let notebook {
        try db.execute(sql: "DELETE FROM run WHERE notebook = ?", arguments: [notebook])
        try db.execute(sql: "DELETE FROM answer WHERE notebook = ?", arguments: [notebook])
        try db.execute(sql: "DELETE FROM cell WHERE notebook = ?", arguments: [notebook])
      } else {
        try db.execute(sql: "DELETE FROM run")
        try db.execute(sql: "DELETE FROM answer")
        try db.execute(sql: "DELETE FROM cell")
      }
      return db.changesCount
    }
  }

  private static func entry(from row: Row) throws -> Entry {
    let outputs = try JSONDecoder().decode([OutputItem].self, from: Data((row["outputs"] as String).utf8))
    let calls = try JSONDecoder().decode([RecordedCall].self, from: Data((row["calls"] as String).utf8))
    let inputs = (row["inputs"] as String?).flatMap { try? JSONDecoder().decode(CellKeyInputs.self, from: Data($0.utf8)) }
    return Entry(
      notebook: row["notebook"], cellKey: row["cellKey"], cellIdentity: row["cellIdentity"], outputs: outputs,
      calls: calls, savedAt: Date(timeIntervalSince1970: row["savedAt"]), inputs: inputs)
  }
}
