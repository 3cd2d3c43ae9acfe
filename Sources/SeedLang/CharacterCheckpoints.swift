import Foundation

/// How many characters come before points of one long text, remembered between calls so that
/// `index_of` on a long text beyond ASCII counts the characters before a match from the
/// nearest point instead of from the start. Counting them costs a few instructions a byte
/// (`TextBytes.characterCount`); a program that looks for several pieces of one long text would
/// otherwise count the text again for each piece, where Python, whose strings have a fixed
/// width a character, gives a position at once.
///
/// The points are kept for one text at a time, the last long one asked about, and begin as a
/// single point at its start; a question past the last point adds points every
/// `stride` bytes up to it, so that all counting together stays linear in the length of the
/// text, whatever order the questions come in. Each point is a character boundary. The text
/// is held (a reference to its storage), so that no other text can be at its address while it
/// is remembered: a text is the one remembered when its bytes are at the same address and of
/// the same length. Interpreters on other threads share the points, under a lock.
final class CharacterCheckpoints {
  /// The bytes between two points: counting them costs about what the lock and the look-up do
  /// for a text of a few kilobytes, and a 5 MB text has about a thousand points.
  static let stride = 4096

  private static let shared = CharacterCheckpoints()

  private let lock = NSLock()
  private var text = ""
  private var address: UnsafePointer<UInt8>?
  private var length = 0
  /// Byte offsets, ascending, from 0, and the characters before each.
  private var offsets: [Int] = [0]
  private var characters: [Int] = [0]

  /// The characters in bytes `0..<offset` of `text`, a character boundary.
  static func characterCount(_ text: TextBytes, to offset: Int) -> Int {
    // A short prefix is quicker to count than to look up, and so is ASCII, whose characters
    // are its bytes but for "\r\n". A text that is not in its string's own storage (copied
    // for the call) has no address that lasts.
    guard offset >= stride, !text.string.isAllASCII, let base = text.bytes.baseAddress, text.isStringStorage else {
      return text.characterCount(0, offset)
    }
    return shared.characterCount(text, base, to: offset)
  }

  private func characterCount(_ text: TextBytes, _ base: UnsafePointer<UInt8>, to offset: Int) -> Int {
    lock.lock()
    defer { lock.unlock() }
    if address != base || length != text.count {
      self.text = text.string
      address = base
      length = text.count
      offsets = [0]
      characters = [0]
    }
    // The last point at or before `offset`.
    var low = 0, high = offsets.count - 1
    while low < high {
      let middle = (low + high + 1) / 2
      if offsets[middle] <= offset { low = middle } else { high = middle - 1 }
    }
    var point = offsets[low], counted = characters[low]
    if low == offsets.count - 1 {
      while offset - point >= CharacterCheckpoints.stride {
        let next = text.characterBoundary(atOrAfter: point + CharacterCheckpoints.stride)
        guard next <= offset else { break }
        counted += text.characterCount(point, next)
        point = next
        offsets.append(point)
        characters.append(counted)
      }
    }
    return counted + text.characterCount(point, offset)
  }
}
