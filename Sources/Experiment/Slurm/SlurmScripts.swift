import Foundation

/// How a sweep is laid out as a Slurm job array: `--runs-per-task` points per array task, and the
/// `sbatch` options every task gets.
public struct SlurmOptions: Sendable, Equatable {
    public var partition: String?
    /// Slurm's time format: `MM`, `MM:SS`, `HH:MM:SS`, `D-HH`, `D-HH:MM`, `D-HH:MM:SS`.
    public var time: String?
    public var cpusPerTask: Int
    /// Slurm's memory format: `4G`, `500M`.
    public var memory: String?
    /// The `%K` throttle: at most K array tasks at once.
    public var arrayParallelism: Int?
    public var runsPerTask: Int
    /// Passed to every `sbatch` call unchanged.
    public var sbatchArguments: [String]

    public init(
        partition: String? = nil, time: String? = nil, cpusPerTask: Int = 1, memory: String? = nil,
        arrayParallelism: Int? = nil, runsPerTask: Int = 1, sbatchArguments: [String] = []
    ) {
        self.partition = partition
        self.time = time
        self.cpusPerTask = cpusPerTask
        self.memory = memory
        self.arrayParallelism = arrayParallelism
        self.runsPerTask = runsPerTask
        self.sbatchArguments = sbatchArguments
    }
}

/// What every array task does with its items, as shell: `itemCommand` runs one item (`$toymem`, `$dir` and
/// `$item` are set), its output going to `itemLog`; the collect job execs `toymem` with `collectArguments`.
public struct SlurmWork: Sendable {
    /// For comments: "toymem sweep 'ci'", and what the items are ("runs", "parts").
    public let title: String, itemNoun: String
    /// The command that submitted it, for comments: "toymem sweep --slurm".
    public let submitter: String
    public let itemCommand: String, itemLog: String
    public let collectArguments: [String]
    /// What the collect job does, for its comment.
    public let collectPurpose: String

    public init(
        title: String, itemNoun: String, submitter: String, itemCommand: String, itemLog: String,
        collectArguments: [String], collectPurpose: String
    ) {
        self.title = title
        self.itemNoun = itemNoun
        self.submitter = submitter
        self.itemCommand = itemCommand
        self.itemLog = itemLog
        self.collectArguments = collectArguments
        self.collectPurpose = collectPurpose
    }
}

/// The files a Slurm submission writes into `DIR/slurm/`, as text: the array script, the
/// array-index → items map, and the collect script. A person can read them and resubmit by hand:
///
/// ```sh
/// array=$(sbatch --parsable DIR/slurm/array.sh)
/// sbatch --dependency=afterany:$array DIR/slurm/collect.sh
/// ```
public struct SlurmScripts: Sendable {
    public let work: SlurmWork
    public let directory: URL
    public let executable: URL
    public let options: SlurmOptions
    /// Each array task's items, in task order.
    public let tasks: [[String]]

    public init(work: SlurmWork, directory: URL, executable: URL, options: SlurmOptions, items: [String]) {
        self.work = work
        self.directory = directory
        self.executable = executable
        self.options = options
        let size = max(1, options.runsPerTask)
        tasks = stride(from: 0, to: items.count, by: size).map { Array(items[$0..<min($0 + size, items.count)]) }
    }

    public static func folder(_ directory: URL) -> URL { directory.appendingPathComponent("slurm") }
    public var arrayScript: URL { Self.folder(directory).appendingPathComponent("array.sh") }
    public var collectScript: URL { Self.folder(directory).appendingPathComponent("collect.sh") }
    public var mapFile: URL { Self.folder(directory).appendingPathComponent("map.tsv") }

    /// `task<TAB>items`: one line per array index, items separated by spaces (loads with pandas' `sep="\t"`).
    public var map: String {
        (["task\t\(work.itemNoun)"] + tasks.enumerated().map { "\($0.offset)\t\($0.element.joined(separator: " "))" })
            .joined(separator: "\n") + "\n"
    }

    private var commonDirectives: [String] {
        var lines = ["#SBATCH --cpus-per-task=\(options.cpusPerTask)"]
        if let p = options.partition { lines.append("#SBATCH --partition=\(p)") }
        if let t = options.time { lines.append("#SBATCH --time=\(t)") }
        if let m = options.memory { lines.append("#SBATCH --mem=\(m)") }
        // Environment values with commas are split by --export=VAR,...; ALL passes them whole.
        lines.append("#SBATCH --export=ALL")
        return lines
    }

    private var passedArguments: String {
        options.sbatchArguments.isEmpty
            ? "" : " " + options.sbatchArguments.map(Self.quoted).joined(separator: " ")
    }

    private var jobName: String { Self.jobName(work.title.replacingOccurrences(of: "toymem ", with: "")) }

    public var array: String {
        let throttle = options.arrayParallelism.map { "%\($0)" } ?? ""
        let count = tasks.reduce(0) { $0 + $1.count }
        let noun = work.itemNoun
        return """
            #!/usr/bin/env bash
            # \(Self.comment(work.title)): \(count) \(noun) in \(tasks.count) array tasks of up to \
            \(options.runsPerTask) each.
            # Written by `\(work.submitter)`, submitted with `sbatch --parsable\(passedArguments) \
            \(Self.comment(arrayScript.path))`.
            # Each task runs its \(noun) (slurm/map.tsv) one after another; what a killed task leaves unfinished
            # is never recorded as done, so submitting again reruns it.
            #SBATCH --job-name=toymem-\(jobName)
            #SBATCH --array=0-\(tasks.count - 1)\(throttle)
            #SBATCH --output=\(Self.comment(directory.path))/logs/slurm-%A_%a.out
            \(commonDirectives.joined(separator: "\n"))
            set -u
            toymem=\(Self.quoted(executable.path))
            dir=\(Self.quoted(directory.path))
            items=$(awk -F '\\t' -v task="$SLURM_ARRAY_TASK_ID" 'NR > 1 && $1 == task { print $2 }' \\
                "$dir/slurm/map.tsv")
            if [ -z "$items" ]; then
                echo "toymem: no \(noun) for array task $SLURM_ARRAY_TASK_ID in $dir/slurm/map.tsv" >&2
                exit 2
            fi
            status=0
            for item in $items; do
                echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) \(noun.hasSuffix("s") ? String(noun.dropLast()) : noun) $item \
            (log: \(work.itemLog))"
                \(work.itemCommand) \\
                    > "\(work.itemLog)" 2>&1 || status=1
            done
            exit $status

            """
    }

    public var collect: String {
        """
        #!/usr/bin/env bash
        # \(Self.comment(work.collectPurpose)) once the array has ended
        # (submitted with --dependency=afterany:<array job>: afterok never runs if one task failed).
        #SBATCH --job-name=toymem-\(jobName)-collect
        #SBATCH --output=\(Self.comment(directory.path))/logs/slurm-collect-%j.out
        \(commonDirectives.dropFirst().joined(separator: "\n"))
        exec \(([executable.path] + work.collectArguments).map(Self.quoted).joined(separator: " "))

        """
    }
    /// The three files as `--dry-run` shows them.
    public var preview: String {
        "--- \(arrayScript.path)\n\(array)\n--- \(mapFile.path)\n\(map)\n"
            + "--- \(collectScript.path) (submitted with --dependency=afterany:<array job>)\n\(collect)"
    }

    /// A word for the shell, single-quoted where it needs to be.
    public static func quoted(_ s: String) -> String {
        let plain = s.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,%@+".contains($0) }
        return plain && !s.isEmpty ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// Text safe inside a `#` comment or `#SBATCH` line: one line.
    static func comment(_ s: String) -> String {
        s.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
    }

    /// Slurm job names: letters, digits, `-`, `_`, `.`.
    static func jobName(_ s: String) -> String {
        String(s.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) ? $0 : "_" })
    }
}
