import Foundation

/// How much memory this process may use: the least of the machine's physical memory, the
/// cgroup's `memory.max` (containers, Slurm) and the address-space limit (`ulimit -v`).
public struct MachineLimits: Sendable {
    public var memoryBytes: Double
    /// Where the binding limit comes from, for messages.
    public var memorySource: String

    public init(memoryBytes: Double, memorySource: String) {
        self.memoryBytes = memoryBytes
        self.memorySource = memorySource
    }

    /// The limits of the running process.
    public static var current: MachineLimits {
        var limits = MachineLimits(
            memoryBytes: Double(ProcessInfo.processInfo.physicalMemory), memorySource: "this machine's memory")
        if let text = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
            let bytes = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes < limits.memoryBytes
        {
            limits = MachineLimits(memoryBytes: bytes, memorySource: "the cgroup's memory.max")
        }
        var rlim = rlimit()
        // The address-space limit also covers the runtime's own mappings: leave them 256 MiB.
        if getrlimit(Int32(RLIMIT_AS.rawValue), &rlim) == 0, rlim.rlim_cur != rlim_t.max {
            let usable = Double(rlim.rlim_cur) - Double(256 << 20)
            if usable < limits.memoryBytes {
                limits = MachineLimits(memoryBytes: max(0, usable), memorySource: "the address-space limit (ulimit -v)")
            }
        }
        return limits
    }
}
