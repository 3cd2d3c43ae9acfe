/// What a statement tells the block around it to do next.
enum Flow {
  case next, breakLoop, continueLoop, returned
}

typealias Evaluate = (Frame) throws -> Value
typealias Execute = (Frame) throws -> Flow
