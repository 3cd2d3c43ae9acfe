/// A program's syntax tree, for tools that read code without running it: the notebook's
/// dataflow analysis finds which globals each cell reads and changes from it.
public enum SyntaxTree {
  /// The statements of a program; throws its syntax errors.
  public static func parse(_ source: SourceText) throws -> [Stmt] { try Parser.parse(source) }
}
