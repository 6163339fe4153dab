import Foundation
import RunStore

/// Slurm could not be reached or refused a request: no `sbatch` on PATH, an unknown partition, a bad
/// `--time` (exit code 2; the message carries Slurm's own words).
public struct SlurmError: ToymemError, Equatable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
    public var exitCode: Int32 { 2 }
}

/// The Slurm commands toymem uses — `sbatch`, `squeue`, `scancel` — found on PATH and run as processes.
/// Jobs are always named by their ids, never by name; `sacct` is not used (accounting is often disabled).
public struct SlurmClient: Sendable {
    /// Where each command was found.
    public let sbatch: URL, squeue: URL, scancel: URL

    /// The client on this PATH, or a `SlurmError` saying which command is missing.
    public init(path: String = ProcessInfo.processInfo.environment["PATH"] ?? "") throws {
        func find(_ name: String) throws -> URL {
            for directory in path.split(separator: ":") where !directory.isEmpty {
                let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            }
            throw SlurmError(
                "\(name) is not on PATH: --slurm needs a Slurm client (sbatch, squeue, scancel) on this machine; "
                    + "on Debian `apt-get install slurm-client`, or `scripts/local-slurm start` for a local cluster")
        }
        sbatch = try find("sbatch")
        squeue = try find("squeue")
        scancel = try find("scancel")
    }

    /// Submits a batch script; returns the job id (`sbatch --parsable` prints `id` or `id;cluster`).
    public func submit(_ script: URL, arguments: [String]) throws -> String {
        let result = try Self.execute(sbatch, ["--parsable"] + arguments + [script.path])
        let id = result.output.split(separator: "\n").last.map { String($0.split(separator: ";")[0]) } ?? ""
        guard result.status == 0, !id.isEmpty, id.allSatisfy(\.isNumber) else {
            let said = result.error.isEmpty ? result.output : result.error
            throw SlurmError(
                "sbatch refused \(script.lastPathComponent): \(said.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return id
    }

    /// One queued or running job or array task, as `squeue` shows it.
    public struct QueuedJob: Equatable, Sendable {
        /// `12` for a job, `12_3` for an array task (`12_[4-7]` for tasks not yet split off).
        public let id: String
        public let state: String
        public let reason: String
        /// The job id before any `_`.
        public var jobID: String { String(id.split(separator: "_")[0]) }
    }

    /// The jobs among `ids` that are still pending, running or completing; finished and forgotten ids
    /// are simply absent.
    public func queued(_ ids: [String]) throws -> [QueuedJob] {
        guard !ids.isEmpty else { return [] }
        let result = try Self.execute(squeue, ["-h", "-r", "-o", "%i|%T|%r", "-j", ids.joined(separator: ",")])
        if result.status != 0 {
            // Every id already purged from the controller's memory: nothing is queued.
            if result.error.contains("Invalid job id") { return [] }
            throw SlurmError("squeue failed: \(result.error.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return result.output.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            return fields.count == 3 ? QueuedJob(id: fields[0], state: fields[1], reason: fields[2]) : nil
        }
    }

    /// Cancels jobs by id.
    public func cancel(_ ids: [String]) throws {
        guard !ids.isEmpty else { return }
        let result = try Self.execute(scancel, ids)
        guard result.status == 0 else {
            throw SlurmError("scancel failed: \(result.error.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }

    /// Runs a command to completion (killed after `timeout` seconds), capturing its output.
    static func execute(_ executable: URL, _ arguments: [String], timeout: Double = 120) throws
        -> (status: Int32, output: String, error: String)
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw SlurmError("cannot run \(executable.path): \(error.localizedDescription)")
        }
        // Read both pipes while the command runs, so neither can fill up and block it.
        let errorData = LockedData()
        let reader = Thread { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let deadline = Date().addingTimeInterval(timeout)
        let killer = Thread {
            while process.isRunning {
                if Date() > deadline { process.terminate() }
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        killer.start()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { Thread.sleep(forTimeInterval: 0.005) }
        if Date() > deadline {
            throw SlurmError("\(executable.lastPathComponent) did not answer within \(Int(timeout)) s")
        }
        return (
            process.terminationStatus, String(decoding: output, as: UTF8.self),
            String(decoding: errorData.value, as: UTF8.self)
        )
    }
}

/// Bytes handed from a reader thread to the caller.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    func set(_ d: Data) { lock.withLock { data = d } }
    var isSet: Bool { lock.withLock { data != nil } }
    var value: Data { lock.withLock { data ?? Data() } }
}
