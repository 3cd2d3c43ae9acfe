import OrderedCollections
import SeedNotebook
import XCTest

/// The YAML block that opens a notebook: its fields, how values are typed, and its errors.
final class FrontMatterTests: XCTestCase {
  private func frontMatter(_ yaml: String) throws -> FrontMatter {
    let notebook = try Notebook.parse("---\n\(yaml)---\nprose\n", file: "f.seednb")
    return try XCTUnwrap(notebook.frontMatter)
  }

  func testAllFields() throws {
    let yaml = """
      title: How to make your completions outputs reproducible
      backend: openai
      model: gpt-4o-mini
      params:
        n: 5
        seed: 123
        temperature: 0.0
        prompt: "Tell me a story"
        verbose: false
        stop: null
        models: [gpt-4o, gpt-4o-mini]
        options: {top_p: 1, logprobs: true}

      """
    let front = try frontMatter(yaml)
    XCTAssertEqual(front.title, "How to make your completions outputs reproducible")
    XCTAssertEqual(front.backend, "openai")
    XCTAssertEqual(front.model, "gpt-4o-mini")
    XCTAssertEqual(
      Array(front.params.keys), ["n", "seed", "temperature", "prompt", "verbose", "stop", "models", "options"])
    XCTAssertEqual(front.params["n"], .int(5))
    XCTAssertEqual(front.params["seed"], .int(123))
    XCTAssertEqual(front.params["temperature"], .float(0))
    XCTAssertEqual(front.params["prompt"], .string("Tell me a story"))
    XCTAssertEqual(front.params["verbose"], .bool(false))
    XCTAssertEqual(front.params["stop"], .null)
    XCTAssertEqual(front.params["models"], .list([.string("gpt-4o"), .string("gpt-4o-mini")]))
    XCTAssertEqual(front.params["options"], .dict(["top_p": .int(1), "logprobs": .bool(true)]))
    XCTAssertEqual(front.raw, "---\n\(yaml)---\n")
  }

  func testParamOrderIsFileOrder() throws {
    let front = try frontMatter("params:\n  zeta: 1\n  alpha: 2\n  mid: 3\n  beta: 4\n")
    XCTAssertEqual(Array(front.params.keys), ["zeta", "alpha", "mid", "beta"])
    let nested = try frontMatter("params:\n  d: {z: 1, a: 2, m: 3}\n")
    guard case .dict(let entries)? = nested.params["d"] else { return XCTFail("not a dict") }
    XCTAssertEqual(Array(entries.keys), ["z", "a", "m"])
  }

  func testScalarsAreTypedByYAML12CoreSchema() throws {
    let front = try frontMatter(
      """
      params:
        yes_: yes
        on_: on
        true_: true
        upper: TRUE
        one: 1
        quoted_one: "1"
        single_quoted: '2'
        float_: 1.0
        exp: 1e3
        neg: -7
        octal: 0o17
        hex: 0x1F
        underscored: 1_000
        date: 2024-01-31
        tilde: ~
        empty:
        inf: .inf
        ninf: -.inf
        tagged_str: !!str 5
        tagged_float: !!float 3
        literal: |
          two
          lines

      """)
    let expected: OrderedDictionary<String, ParameterValue> = [
      "yes_": .string("yes"), "on_": .string("on"), "true_": .bool(true), "upper": .bool(true),
      "one": .int(1), "quoted_one": .string("1"), "single_quoted": .string("2"), "float_": .float(1.0),
      "exp": .float(1000), "neg": .int(-7), "octal": .int(15), "hex": .int(31),
      "underscored": .string("1_000"), "date": .string("2024-01-31"), "tilde": .null, "empty": .null,
      "inf": .float(.infinity), "ninf": .float(-.infinity), "tagged_str": .string("5"),
      "tagged_float": .float(3), "literal": .string("two\nlines\n"),
    ]
    XCTAssertEqual(front.params, expected)
    XCTAssertEqual(front.params["float_"]?.typeName, "float")
  }

  func testNaNIsAFloat() throws {
    let front = try frontMatter("params:\n  x: .nan\n")
    guard case .float(let value)? = front.params["x"] else { return XCTFail("not a float") }
    XCTAssertTrue(value.isNaN)
  }

  func testTextFieldsTakeAnyScalarAsWrittenAndNullAsUnset() throws {
    let front = try frontMatter("title: 2024\nbackend: ~\nmodel: yes\n")
    XCTAssertEqual(front.title, "2024")
    XCTAssertNil(front.backend)
    XCTAssertEqual(front.model, "yes")
    XCTAssertEqual(try frontMatter("params:\n").params, [:])
  }

  func testEmptyAndCommentOnlyFrontMatter() throws {
    let empty = try frontMatter("")
    XCTAssertNil(empty.title)
    XCTAssertEqual(empty.params, [:])
    XCTAssertNil(try frontMatter("# just a comment\n").title)
  }

  func testCRLFFrontMatter() throws {
    let notebook = try Notebook.parse("---\r\ntitle: T\r\nparams:\r\n  n: 2\r\n---\r\n", file: "f")
    XCTAssertEqual(notebook.frontMatter?.title, "T")
    XCTAssertEqual(notebook.frontMatter?.params, ["n": .int(2)])
  }

  func testThematicBreakLaterIsNotFrontMatter() throws {
    let notebook = try XCTUnwrap(parse("\n---\ntitle: no\n"))
    XCTAssertNil(notebook.frontMatter)
  }

  func testUnterminated() {
    assertParseErrors("1️⃣---\ntitle: x\n\n```seed\nx\n```\n", [
      "1️⃣": "unterminated front matter: the '---' on line 1 opens it but no '---' line closes it; add one after the YAML, or start the file with something else"
    ])
  }

  func testYAMLSyntaxErrorsReportNotebookLineAndColumn() {
    assertParseErrors("---\ntitle: ok\nparams:\n  n: 1\n 1️⃣m: 2\n---\n", [
      "1️⃣": "front matter: invalid YAML: did not find expected key (while parsing a block mapping at line 2)"
    ])
    assertParseErrors("---\ntitle: \"unclosed\n1️⃣---\n", [
      "1️⃣": "front matter: invalid YAML: found unexpected end of stream (while scanning a quoted scalar at line 2)"
    ])
    assertParseErrors("---\ntitle: a\n1️⃣\tbad: tab\n---\n", [
      "1️⃣": "front matter: invalid YAML: found a tab character that violates indentation (while scanning a plain scalar at line 2)"
    ])
    assertParseErrors("---\ntitle: 1️⃣\u{7}\n---\n", ["1️⃣": "front matter: invalid YAML: control characters are not allowed"])
  }

  func testAnchorsAndAliasesAreRefusedBeforeTheyCanExpand() {
    let refused = "front matter: YAML anchors and aliases (&name, *name) are not supported; write the value out"
    assertParseErrors("---\nx: 1️⃣*nope\n---\n", ["1️⃣": refused])
    // A "billion laughs" whose expansion hides in mapping keys would hang Yams' key checks.
    assertParseErrors(
      "---\ntitle: 1️⃣&a [x, x, x, x, x, x, x, x, x]\nparams:\n  ? [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n  : 1\n---\n",
      ["1️⃣": refused])
    assertParseErrors("---\nparams:\n  list: [1️⃣&first 1, *first]\n---\n", ["1️⃣": refused])
  }

  func testAmpersandsAndStarsInTextAreNotAnchors() throws {
    let front = try frontMatter("title: \"Tom & *Jerry\"\nparams:\n  q: Q&A  # a &comment\n  s: 'it''s *bold*'\n  m: a*b\n")
    XCTAssertEqual(front.title, "Tom & *Jerry")
    XCTAssertEqual(front.params["q"], .string("Q&A"))
    XCTAssertEqual(front.params["s"], .string("it's *bold*"))
    XCTAssertEqual(front.params["m"], .string("a*b"))
  }

  func testSecondYAMLDocument() {
    assertParseErrors("---\ntitle: a\n1️⃣--- b\n---\n", [
      "1️⃣": "front matter: a line starting with '---' begins a second YAML document; front matter is one mapping, closed by a line that is just '---'"
    ])
  }

  func testYAMLErrorColumnsCountCharacters() {
    assertParseErrors("---\ntitle: [é✨, 1️⃣}\n---\n", [
      "1️⃣": "front matter: invalid YAML: did not find expected node content (while parsing a flow node at line 2)"
    ])
  }

  func testDuplicateKey() {
    assertParseErrors("---\n1️⃣title: a\ntitle: b\n---\n", [
      "1️⃣": "front matter: duplicate key 'title': each key may appear once"
    ])
  }

  func testNotAMapping() {
    assertParseErrors("---\n1️⃣- a\n- b\n---\n", [
      "1️⃣": "front matter must be a mapping of keys (title, backend, model, params, secrets), not a list"
    ])
    assertParseErrors("---\n1️⃣just text\n---\n", [
      "1️⃣": "front matter must be a mapping of keys (title, backend, model, params, secrets), not text"
    ])
  }

  func testSecretsAreAListOfVariableNames() throws {
    XCTAssertEqual(try frontMatter("secrets: [OPENAI_ORG_KEY, HF_TOKEN, OPENAI_ORG_KEY]\n").secrets, ["OPENAI_ORG_KEY", "HF_TOKEN"])
    XCTAssertEqual(try frontMatter("secrets:\n  - A\n  - _b2\n").secrets, ["A", "_b2"])
    XCTAssertEqual(try frontMatter("secrets:\n").secrets, [])
    XCTAssertEqual(try frontMatter("title: t\n").secrets, [])
    assertParseErrors("---\nsecrets: 1️⃣OPENAI_API_KEY\n---\n", [
      "1️⃣": "front matter: secrets must be a list of environment variable names, e.g. 'secrets: [OPENAI_ORG_KEY]', not text"
    ])
    assertParseErrors("---\nsecrets: [OK, 1️⃣2BAD, 2️⃣\"A B\", 3️⃣[x]]\n---\n", [
      "1️⃣": "front matter: secrets: '2BAD' is not an environment variable name (letters, digits and '_', not starting with a digit)",
      "2️⃣": "front matter: secrets: 'A B' is not an environment variable name (letters, digits and '_', not starting with a digit)",
      "3️⃣": "front matter: secrets: a list is not an environment variable name (letters, digits and '_', not starting with a digit)",
    ])
  }

  func testUnknownKeyNamesTheKnownOnes() {
    assertParseErrors("---\ntitle: t\n1️⃣titel: x\n2️⃣author: me\n---\n", [
      "1️⃣": "front matter: unknown key 'titel' (did you mean 'title'?); the known keys are title, backend, model, params, secrets",
      "2️⃣": "front matter: unknown key 'author'; the known keys are title, backend, model, params, secrets",
    ])
  }

  func testWrongTypes() {
    assertParseErrors("---\ntitle: 1️⃣[a, b]\nmodel:\n  2️⃣name: x\n---\n", [
      "1️⃣": "front matter: title must be text, not a list",
      "2️⃣": "front matter: model must be text, not a mapping",
    ])
    assertParseErrors("---\nparams: 1️⃣[n, m]\n---\n", [
      "1️⃣": "front matter: params must be a mapping of name to value, e.g. 'params: {n: 5, name: \"Ada\"}', not a list"
    ])
    assertParseErrors("---\nparams: 1️⃣5\n---\n", [
      "1️⃣": "front matter: params must be a mapping of name to value, e.g. 'params: {n: 5, name: \"Ada\"}', not text"
    ])
  }

  func testBadParamNames() {
    assertParseErrors("---\nparams:\n  1️⃣my-param: 1\n  2️⃣2fast: 2\n  3️⃣for: 3\n  4️⃣nil: 4\n  ok_1: 5\n---\n", [
      "1️⃣": "front matter: param name 'my-param' is not an identifier: use letters, digits and '_', not starting with a digit",
      "2️⃣": "front matter: param name '2fast' is not an identifier: use letters, digits and '_', not starting with a digit",
      "3️⃣": "front matter: param name 'for' is a seed keyword: choose another name",
      "4️⃣": "front matter: param name 'nil' is a seed keyword: choose another name",
    ])
    assertParseErrors("---\nparams:\n  1️⃣[a]: 1\n---\n", [
      "1️⃣": "front matter: param names must be text, not a list"
    ])
  }

  func testBadParamValues() {
    assertParseErrors("---\nparams:\n  big: 1️⃣99999999999999999999\n  t: 2️⃣!!bool yes\n  x: 3️⃣!custom 1\n  d: {4️⃣[k]: 1}\n---\n", [
      "1️⃣": "front matter: params.big: 99999999999999999999 does not fit in a 64-bit int",
      "2️⃣": "front matter: params.t: 'yes' is not a bool: use true or false",
      "3️⃣": "front matter: params.x: the YAML tag !custom is not supported",
      "4️⃣": "front matter: params.d: a key is a list; keys must be text",
    ])
  }

  func testAliasesInValuesAreRefusedTooSoNoneCanExplode() throws {
    // Nine levels of ten aliases each would be a billion values.
    var yaml = "params:\n  l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n"
    for level in 1...9 {
      let refs = Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ", ")
      yaml += "  l\(level): &l\(level) [\(refs)]\n"
    }
    XCTAssertThrowsError(try Notebook.parse("---\n\(yaml)---\n", file: "f")) { error in
      let messages = diagnostics(in: error)?.map(\.message) ?? []
      XCTAssertEqual(messages, ["front matter: YAML anchors and aliases (&name, *name) are not supported; write the value out"])
    }
  }

  func testDeepNestingIsAnErrorNotACrash() {
    let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
    XCTAssertThrowsError(try Notebook.parse("---\nparams:\n  x: \(deep)\n---\n", file: "f")) { error in
      XCTAssertNotNil(diagnostics(in: error))
    }
  }

  func testErrorsInFrontMatterAndBodyAreReportedTogether() {
    assertParseErrors("---\n1️⃣titel: x\n---\n```seed 2️⃣=\nx\n```\n", [
      "1️⃣": "front matter: unknown key 'titel' (did you mean 'title'?); the known keys are title, backend, model, params, secrets",
      "2️⃣": "malformed attribute '=': expected a name before '=' (write name=value, with no spaces around '=')",
    ])
  }
}
