/// The part of the standard library written in seed itself, on top of the natives, as
/// Wren's core is. Its sequence functions are also methods: `xs.map { x in x * 2 }`.
enum CoreLibrary {
  static let sequenceMethods = ["map", "filter", "reduce", "any", "all", "count_where", "flat_map", "first_where"]

  static let source = #"""
    // Returns a list of f(x) for every x.
    func map(xs, f) {
      var out = []
      for x in xs { out.append(f(x)) }
      return out
    }

    // Returns the items for which keep(x) is true.
    func filter(xs, keep) {
      var out = []
      for x in xs {
        if keep(x) { out.append(x) }
      }
      return out
    }

    // Folds the items into one value: f(f(f(initial, x0), x1), x2) ...
    func reduce(xs, initial, f) {
      var acc = initial
      for x in xs { acc = f(acc, x) }
      return acc
    }

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
