import SeedNotebook
import XCTest

/// No input crashes or hangs the parser: it either parses and prints back exactly, or throws
/// diagnostics.
final class RobustnessTests: XCTestCase {
  /// A deterministic generator, so a failure can be replayed from its seed.
  struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
  }

  static let valid = """
    ---
    title: "Fuzz"
    backend: local
    params:
      n: 5
      xs: [1, 2.5, "three"]
    ---

    # Heading

    ```seed id=setup cache=false title="a \\"b\\""
    let x = 1
    ```

    ````markdown
    ```seed
    not a cell
    ```
    ````

    ~~~seed slow
    print(x)
    ~~~

    """

  /// Pieces that mutations splice in: the characters the grammar turns on.
  static let fragments = [
    "`", "```", "````", "~~~", "```seed", "~~~seed", "\n", "\r\n", "\r", "---\n", "...\n", "=", "\"", "\\",
    " ", "\t", "id=", "id=a", "id=1", ":", "- ", "[", "{", "&a", "*a", "!!int", "\u{FEFF}", "é", "👩‍👩‍👧",
    "\u{301}", "\0", "seed", "params:\n  ", "#",
  ]

  private func pick<T>(_ items: [T], _ random: inout SplitMix64) -> T {
    items[Int(random.next() % UInt64(items.count))]
  }

  /// Parses, and checks the outcome is one of the two allowed ones.
  private func check(_ text: String, _ context: @autoclosure () -> String) {
    do {
      let notebook = try Notebook.parse(text, file: "fuzz.seednb")
      if notebook.printed() != text {
        XCTFail("round trip differs for \(text.debugDescription) (\(context()))")
      }
    } catch {
      if diagnostics(in: error) == nil {
        XCTFail("threw \(type(of: error)) for \(text.debugDescription) (\(context()))")
      }
    }
  }

  func testRandomByteStrings() {
    var random = SplitMix64(state: 0x5EED)
    let alphabet = Array("`~-.=\"\\ \tseidé\n\r:[]{}#&*!".utf8) + [0xFF, 0xC3, 0xA9, 0xEF, 0xBB, 0xBF, 0x00]
    for iteration in 0..<2_000 {
      let length = Int.random(in: 0...80, using: &random)
      let bytes = (0..<length).map { _ -> UInt8 in
        random.next() % 3 == 0 ? UInt8.random(in: 0...255, using: &random) : pick(alphabet, &random)
      }
      check(String(decoding: bytes, as: UTF8.self), "random bytes #\(iteration)")
    }
  }

  func testMutationsOfAValidNotebook() throws {
    _ = try Notebook.parse(Self.valid, file: "valid.seednb")
    var random = SplitMix64(state: 42)
    let base = Array(Self.valid.unicodeScalars)
    for iteration in 0..<3_000 {
      var scalars = base
      for _ in 0..<Int.random(in: 1...4, using: &random) {
        let position = Int.random(in: 0...scalars.count, using: &random)
        switch random.next() % 4 {
        case 0 where !scalars.isEmpty:
          let end = min(scalars.count, position + Int.random(in: 1...12, using: &random))
          scalars.removeSubrange(min(position, scalars.count - 1)..<end)
        case 1:
          scalars.insert(contentsOf: pick(Self.fragments, &random).unicodeScalars, at: position)
        case 2 where position < scalars.count:
          scalars[position] = Unicode.Scalar(UInt8.random(in: 0...127, using: &random))
        default:
          // Duplicate a slice, which repeats ids, fences and keys.
          let start = Int.random(in: 0..<max(1, scalars.count), using: &random)
          let end = min(scalars.count, start + Int.random(in: 0...40, using: &random))
          if start <= end { scalars.insert(contentsOf: scalars[start..<end], at: position) }
        }
      }
      var text = ""
      text.unicodeScalars.append(contentsOf: scalars)
      check(text, "mutation #\(iteration)")
    }
  }

  func testLargeInputsFinish() {
    let manyCells = String(repeating: "```seed id=x\nprint(1)\n```\n", count: 2_000)
    XCTAssertThrowsError(try Notebook.parse(manyCells, file: "big")) { error in
      XCTAssertEqual(diagnostics(in: error)?.count, 1_999)
    }
    let manyOpenFences = String(repeating: "```seed\n", count: 20_001)
    XCTAssertThrowsError(try Notebook.parse(manyOpenFences, file: "big"))
    let longLine = "```seed " + String(repeating: "a=b ", count: 50_000) + "\n```\n"
    XCTAssertThrowsError(try Notebook.parse(longLine, file: "big"))
  }
}
