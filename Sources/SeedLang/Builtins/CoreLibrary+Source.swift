// Generated from CoreLibrary.seed by scripts/embed-core-library: edit that file, then run
// the script.
extension CoreLibrary {
  static let source = #"""
    // The part of the standard library written in seed itself, loaded into every session before
    // any other code, on top of the natives. Its sequence functions are also methods:
    // `xs.any { x in x > 2 }`. Embedded in the interpreter as CoreLibrary+Source.swift by
    // scripts/embed-core-library; a test checks that the two agree.

    func any(xs, test) {
      for x in xs {
        if test(x) { return true }
      }
      return false
    }

    func all(xs, test) {
      for x in xs {
        if !test(x) { return false }
      }
      return true
    }

    func count_where(xs, test) {
      var n = 0
      for x in xs {
        if test(x) { n += 1 }
      }
      return n
    }

    // The first item for which test(x) is true, or nil.
    func first_where(xs, test) {
      for x in xs {
        if test(x) { return x }
      }
      return nil
    }

    // Maps each item to a list and joins the lists.
    func flat_map(xs, f) {
      var out = []
      for x in xs { out.extend(f(x)) }
      return out
    }

    // The arithmetic mean of a list of numbers.
    func mean(xs) {
      if len(xs) == 0 { error("mean() of an empty list") }
      return float(sum(xs)) / float(len(xs))
    }
    """#
}
