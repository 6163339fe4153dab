/// An error toymem reports to the user: a sentence naming the place at fault,
/// and the process exit code it stands for (2: bad input or usage; 1: a run
/// that failed).
///
/// ```swift
/// throw InputError("runs/x/model.safetensors: damaged safetensors file: header is not JSON")
/// ```
public protocol ToymemError: Error, CustomStringConvertible {
    var exitCode: Int32 { get }
}

/// A file or directory toymem reads is missing, damaged or inconsistent (exit code 2).
public struct InputError: ToymemError, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var exitCode: Int32 { 2 }
}

/// toymem cannot write where it was told to: an output directory that holds
/// something else (exit code 2).
public struct OutputError: ToymemError, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var exitCode: Int32 { 2 }
}
