import SeedLang
import Foundation

let path = CommandLine.arguments[1]
let text = try String(contentsOfFile: path, encoding: .utf8)
let interpreter = Interpreter()
interpreter.outputHandler = { item in
  if case .text(let t) = item { FileHandle.standardOutput.write(t.data(using: .utf8)!) } else { print(item.plainText) }
}
do {
  try interpreter.run(SourceText(file: path, text: text))
} catch let e as Diagnostic {
  print(e.rendered())
} catch let e as DiagnosticList {
  print(e.rendered())
}
