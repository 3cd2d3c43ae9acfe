/// The part of the standard library written in seed itself (`CoreLibrary.seed`), on top of
/// the natives, as Wren's core is. Its sequence functions are also methods:
/// `xs.any { x in x > 2 }`.
enum CoreLibrary {
  static let sequenceMethods = ["any", "all", "count_where", "flat_map", "first_where"]
}
