import Foundation

/// The process environment, read once. `ProcessInfo.environment` builds a new dictionary on
/// every read, at several thousand instructions a variable: a tenth of a script's start-up.
enum ProcessEnvironment {
  static let current: [String: String] = {
    var variables: [String: String] = [:]
    var entry = environ
    while let pointer = entry.pointee {
      if let equals = strchr(pointer, 0x3D) {  // "="
        let name = String(decoding: UnsafeRawBufferPointer(start: pointer, count: equals - pointer), as: UTF8.self)
        // The first definition wins, as `getenv` finds it.
        if variables[name] == nil { variables[name] = String(cString: equals + 1) }
      }
      entry += 1
    }
    return variables
  }()
}
