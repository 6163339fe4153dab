import Experiment
import Foundation
import Reports
import RunStore

/// `toymem sweep SPEC --slurm`: submit (or, with --dry-run, show) the sweep's job array and collect job;
/// with --wait, block until the collect job ends.
struct SlurmSubmission {
    let sweep: SlurmSweep
    let wait: Bool
    let dryRun: Bool

    func run() throws {
        let directory = sweep.directory
        if dryRun {
            let scripts = sweep.scripts
            let runs = scripts.tasks.reduce(0) { $0 + $1.count }
            Console.out(
                "sweep \(sweep.spec.name): \(sweep.points.count) runs planned, \(runs) "
                    + "to submit in \(scripts.tasks.count) array tasks → \(directory.path) (dry run: nothing submitted)"
            )
            if !scripts.tasks.isEmpty { Console.out(scripts.preview) }
            return
        }
        let client = try SlurmClient()
        guard let submission = try sweep.submit(client: client) else {
            Console.out(
                "sweep \(sweep.spec.name): all \(sweep.points.count) runs completed; nothing to submit "
                    + "→ \(directory.appendingPathComponent("index.csv").path)")
            return
        }
        Console.out(
            "sweep \(sweep.spec.name): submitted \(submission.items.count) runs as Slurm array job "
                + "\(submission.arrayJob) "
                + "(\(submission.tasks) tasks) and collect job \(submission.collectJob) → \(directory.path)")
        Console.out("  follow it with: toymem sweep status \(directory.path)")
        guard wait else { return }
        let submitted = Set(submission.items)
        let runs = sweep.points.filter { submitted.contains($0.id) }
        var last = -1
        try SlurmArray.wait(for: submission.collectJob, client: client) {
            let done = runs.filter { $0.isCompleted(in: directory) }.count
            if done != last { Console.err("slurm: \(done)/\(runs.count) runs completed") }
            last = done
        }
        let status = try SweepStatus(directory: directory, client: { client })
        Console.out(status.text)
        let unfinished = status.entries.filter { submitted.contains($0.run.id) && $0.status != "completed" }
        if !unfinished.isEmpty {
            throw RunFailure(message: "\(unfinished.count) of \(submitted.count) submitted runs did not complete")
        }
    }
}
