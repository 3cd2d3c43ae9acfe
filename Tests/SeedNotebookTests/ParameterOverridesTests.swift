import OrderedCollections
import SeedLang
import SeedNotebook
import XCTest

/// `-p key=value` arguments read against the declared params.
final class ParameterOverridesTests: XCTestCase {
  let declared: OrderedDictionary<String, ParameterValue> = [
    "n": .int(5), "temperature": .float(0.7), "verbose": .bool(false), "prompt": .string("hi"),
    "models": .list([.string("a")]), "options": .dict(["k": .int(1)]), "anything": .null,
  ]

  private func resolve(_ arguments: String...) throws -> OrderedDictionary<String, ParameterValue> {
    try ParameterOverrides.resolve(arguments, declared: declared)
  }

  private func assertError(
    _ arguments: [String], _ messages: [String],
    declared: OrderedDictionary<String, ParameterValue>? = nil,
    file: StaticString = #filePath, line: UInt = #line
  ) {
    XCTAssertThrowsError(
      try ParameterOverrides.resolve(arguments, declared: declared ?? self.declared), file: file, line: line
    ) { error in
      let found = diagnostics(in: error)
      XCTAssertEqual(found?.map(\.message), messages, file: file, line: line)
      XCTAssertEqual(found?.map(\.kind), Array(repeating: .format, count: messages.count), file: file, line: line)
    }
  }

  func testNoArgumentsKeepDefaults() throws {
    XCTAssertEqual(try resolve(), declared)
  }

  func testEveryTypeAndDeclarationOrder() throws {
    let resolved = try resolve(
      "anything=42", "options={\"k\": 2, \"z\": [true]}", "models=[gpt-4o, \"o1\"]", "prompt=Tell me: a \"story\"",
      "verbose=true", "temperature=0", "n=-12")
    XCTAssertEqual(Array(resolved.keys), Array(declared.keys))
    XCTAssertEqual(resolved["n"], .int(-12))
    XCTAssertEqual(resolved["temperature"], .float(0))
    XCTAssertEqual(resolved["verbose"], .bool(true))
    XCTAssertEqual(resolved["prompt"], .string("Tell me: a \"story\""))
    XCTAssertEqual(resolved["models"], .list([.string("gpt-4o"), .string("o1")]))
    XCTAssertEqual(resolved["options"], .dict(["k": .int(2), "z": .list([.bool(true)])]))
    XCTAssertEqual(resolved["anything"], .int(42))
  }

  func testStringsAreVerbatim() throws {
    XCTAssertEqual(try resolve("prompt=")["prompt"], .string(""))
    XCTAssertEqual(try resolve("prompt=  spaced  ")["prompt"], .string("  spaced  "))
    XCTAssertEqual(try resolve("prompt=a=b")["prompt"], .string("a=b"))
    XCTAssertEqual(try resolve("prompt=5")["prompt"], .string("5"))
    XCTAssertEqual(try resolve("prompt=[1]")["prompt"], .string("[1]"))
  }

  func testFloatsAcceptIntsAndFloats() throws {
    XCTAssertEqual(try resolve("temperature=1")["temperature"], .float(1))
    XCTAssertEqual(try resolve("temperature=0.25")["temperature"], .float(0.25))
    XCTAssertEqual(try resolve("temperature=1e-3")["temperature"], .float(0.001))
    XCTAssertEqual(try resolve("temperature= 2.5 ")["temperature"], .float(2.5))
  }

  func testNullDefaultInfersTheType() throws {
    XCTAssertEqual(try resolve("anything=1.5")["anything"], .float(1.5))
    XCTAssertEqual(try resolve("anything=true")["anything"], .bool(true))
    XCTAssertEqual(try resolve("anything=null")["anything"], .null)
    XCTAssertEqual(try resolve("anything=yes")["anything"], .string("yes"))
    XCTAssertEqual(try resolve("anything=a: b")["anything"], .string("a: b"))
    XCTAssertEqual(try resolve("anything=x # y")["anything"], .string("x # y"))
    XCTAssertEqual(try resolve("anything=\"5\"")["anything"], .string("5"))
    XCTAssertEqual(try resolve("anything=[1, {a: 2}]")["anything"], .list([.int(1), .dict(["a": .int(2)])]))
  }

  func testResolvesAgainstAParsedNotebook() throws {
    let notebook = try Notebook.parse("---\nparams:\n  seed: 123\n  temperature: 0.0\n---\n", file: "n.seednb")
    let declared = try XCTUnwrap(notebook.frontMatter?.params)
    let resolved = try ParameterOverrides.resolve(["temperature=0.5"], declared: declared)
    XCTAssertEqual(resolved, ["seed": .int(123), "temperature": .float(0.5)])
  }

  func testLaterOverrideWins() throws {
    XCTAssertEqual(try resolve("n=1", "n=2", "n=3")["n"], .int(3))
  }

  func testArgumentWithoutEquals() {
    assertError(["verbose"], ["-p 'verbose' is not key=value: write -p verbose=VALUE"])
    assertError([""], ["-p '' is not key=value: write -p name=VALUE"])
  }

  func testEmptyKey() {
    assertError(["=5"], ["-p '=5' has no parameter name before '=': write -p name=5"])
  }

  func testUnknownKeyListsDeclaredOnes() {
    assertError(
      ["m=1"],
      ["unknown parameter 'm' (did you mean 'n'?): the notebook declares n, temperature, verbose, prompt, models, options, anything"])
    assertError(
      ["seed=1"],
      ["unknown parameter 'seed': the notebook declares n, temperature, verbose, prompt, models, options, anything"])
    assertError(["n=1"], ["unknown parameter 'n': the notebook declares no params in its front matter"], declared: [:])
  }

  func testIntErrors() {
    assertError(["n=abc"], ["parameter 'n' expects an int (its default is 5), got 'abc'"])
    assertError(["n="], ["parameter 'n' expects an int (its default is 5), got '', which is empty"])
    assertError(["n=1.5"], ["parameter 'n' expects an int (its default is 5), got '1.5', which is a float"])
    assertError(
      ["n=99999999999999999999"],
      ["parameter 'n' expects an int (its default is 5), got '99999999999999999999', which does not fit in a 64-bit int"])
  }

  func testFloatErrors() {
    assertError(["temperature=warm"], ["parameter 'temperature' expects a float (its default is 0.7), got 'warm'"])
    assertError(["temperature=true"], ["parameter 'temperature' expects a float (its default is 0.7), got 'true', which is a bool"])
  }

  func testBoolErrors() {
    assertError(["verbose=yes"], ["parameter 'verbose' expects a bool (its default is false), got 'yes': use true or false"])
    assertError(["verbose=1"], ["parameter 'verbose' expects a bool (its default is false), got '1': use true or false"])
  }

  func testListAndDictErrors() {
    assertError(
      ["models=[1, 2"],
      ["parameter 'models' expects a list (its default is [\"a\"]), got '[1, 2', which is not valid YAML: did not find expected ',' or ']'"])
    assertError(["models=gpt-4o"], ["parameter 'models' expects a list (its default is [\"a\"]), got 'gpt-4o', which is a string"])
    assertError(["models="], ["parameter 'models' expects a list (its default is [\"a\"]), got '', which is empty"])
    assertError(
      ["options=[1]"], ["parameter 'options' expects a dict (its default is {\"k\": 1}), got '[1]', which is a list"])
    assertError(
      ["options={a: !!int x}"],
      ["parameter 'options' expects a dict (its default is {\"k\": 1}), got '{a: !!int x}': 'x' is not an int"])
  }

  func testNullDefaultErrors() {
    assertError(
      ["anything=[1,"],
      ["parameter 'anything' expects a YAML value (its default is null), got '[1,', which is not valid YAML: did not find expected node content"])
    assertError(
      ["anything=123456789012345678901234"],
      ["parameter 'anything' expects a YAML value (its default is null), got '123456789012345678901234', which does not fit in a 64-bit int"])
  }

  func testEveryBadArgumentIsReported() {
    assertError(
      ["n=x", "ok", "verbose=true", "zzz=1"],
      [
        "parameter 'n' expects an int (its default is 5), got 'x'",
        "-p 'ok' is not key=value: write -p ok=VALUE",
        "unknown parameter 'zzz': the notebook declares n, temperature, verbose, prompt, models, options, anything",
      ])
  }

  func testDefaultsPrintAsTheyWouldBeTyped() {
    XCTAssertEqual(ParameterValue.string("a \"q\"\n").literal, #""a \"q\"\n""#)
    XCTAssertEqual(ParameterValue.float(-.infinity).literal, "-.inf")
    XCTAssertEqual(ParameterValue.dict(["a": .list([.null, .bool(true)])]).literal, #"{"a": [null, true]}"#)
    XCTAssertEqual(
      [ParameterValue.null, .bool(true), .int(1), .float(1), .string(""), .list([]), .dict([:])].map(\.typeName),
      ["null", "bool", "int", "float", "string", "list", "dict"])
  }
}
