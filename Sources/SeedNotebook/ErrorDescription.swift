import Foundation

extension Error {
  /// The error as a person reads it. Foundation's file errors describe themselves as a dump of
  /// their domain, code and user info; their POSIX cause ("No such file or directory") is what
  /// says what went wrong. Other errors already describe themselves plainly.
  public var readableDescription: String {
    let error = self as NSError
    guard error.domain == NSCocoaErrorDomain || error.domain == NSPOSIXErrorDomain else { return "\(self)" }
    if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
    if let cause = error.userInfo[NSUnderlyingErrorKey] as? Error {
      let posix = cause as NSError
      if posix.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(posix.code))) }
    }
    return error.localizedDescription
  }
}
