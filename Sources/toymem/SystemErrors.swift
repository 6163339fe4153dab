import Foundation

/// Foundation's file errors as one line naming the path and the reason ("File exists"), instead
/// of a raw NSError dump; nil for errors that are not about files.
enum SystemErrors {
    static func describe(_ error: Error) -> String? {
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return nil }
        let path = (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
        let posix = (ns.userInfo[NSUnderlyingErrorKey] as? POSIXError) ?? (error as? POSIXError)
        let reason = posix.map { String(cString: strerror($0.code.rawValue)) } ?? ns.localizedDescription
        return "cannot use \(path.map { "'\($0)'" } ?? "a file"): \(reason)"
    }
}
