import Foundation
import RunStore

/// `DIR/slurm/jobs.json`: every submission of a sweep to Slurm — its array job id, its collect job id and
/// the items (runs, parts) it carried. Status, cancel and resume find the sweep's jobs here, by id, never by name.
public struct SlurmJobs: Sendable, Equatable {
    public struct Submission: Sendable, Equatable {
        public var arrayJob: String
        public var collectJob: String?
        public var items: [String]
        public var runsPerTask: Int
        public var submittedAt: String
    }

    public var submissions: [Submission] = []

    public init(submissions: [Submission] = []) { self.submissions = submissions }

    public static func file(_ directory: URL) -> URL {
        SlurmScripts.folder(directory).appendingPathComponent("jobs.json")
    }

    /// Every recorded job id, collect jobs first (cancelling an array first would let its collect job start).
    public var allIDs: [String] {
        submissions.reversed().compactMap(\.collectJob) + submissions.reversed().map(\.arrayJob)
    }

    /// The record of a directory; empty if it was never submitted to Slurm.
    public static func read(_ directory: URL) throws -> SlurmJobs {
        let url = file(directory)
        guard FileManager.default.fileExists(atPath: url.path) else { return SlurmJobs() }
        let json: JSONValue
        do { json = try JSONParser.parse(String(contentsOf: url, encoding: .utf8)) } catch {
            throw InputError("\(url.path): damaged Slurm job record: \(error)")
        }
        guard let list = json["submissions"]?.arrayValue else {
            throw InputError("\(url.path): damaged Slurm job record: expected \"submissions\"")
        }
        return SlurmJobs(
            submissions: try list.enumerated().map { i, s in
                func isJobID(_ id: String) -> Bool { !id.isEmpty && id.allSatisfy(\.isNumber) }
                guard let array = s["array_job"]?.stringValue, isJobID(array),
                    let items = s["items"]?.arrayValue?.compactMap(\.stringValue)
                else {
                    throw InputError(
                        "\(url.path): damaged Slurm job record: submissions[\(i)] needs array_job and items")
                }
                let collect = s["collect_job"]?.stringValue
                if let collect, !isJobID(collect) {
                    throw InputError("\(url.path): damaged Slurm job record: submissions[\(i)].collect_job")
                }
                return Submission(
                    arrayJob: array, collectJob: collect, items: items,
                    runsPerTask: s["runs_per_task"]?.intValue ?? 1, submittedAt: s["submitted_at"]?.stringValue ?? "")
            })
    }

    public func write(to directory: URL) throws {
        let list: [JSONValue] = submissions.map { s in
            .object([
                ("array_job", .string(s.arrayJob)), ("collect_job", s.collectJob.map(JSONValue.string) ?? .null),
                ("runs_per_task", .int(s.runsPerTask)), ("submitted_at", .string(s.submittedAt)),
                ("items", .array(s.items.map(JSONValue.string))),
            ])
        }
        try AtomicFile.write(.object([("submissions", .array(list))]), to: Self.file(directory))
    }
}
