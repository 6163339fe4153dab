import Experiment
import Foundation
import RunStore

/// Training progress on stderr: a live bar with rate and ETA on a terminal,
/// otherwise one line every few seconds (so logs stay readable).
final class ProgressDisplay {
    private let quiet: Bool
    private let label: String
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private var lastPrinted = -Double.infinity
    private var drewBar = false

    init(quiet: Bool, label: String) {
        self.quiet = quiet
        self.label = label
    }

    func update(_ p: TrainingProgress) {
        guard !quiet else { return }
        let rate = Double(p.step) / max(p.seconds, 1e-9)
        let eta = Double(p.steps - p.step) / max(rate, 1e-9)
        let accuracy = p.trainAccuracy.map { String(format: "train %.1f%%", 100 * $0) } ?? ""
        let heldout = p.heldoutAccuracy.map { String(format: " held-out %.1f%%", 100 * $0) } ?? ""
        if isTerminal {
            let width = 24, filled = Int(Double(width) * Double(p.step) / Double(p.steps))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            let line =
                "\r\u{1B}[K\(label) \(bar) \(p.step)/\(p.steps)  "
                + String(format: "%.0f steps/s  ETA %.0fs  ", rate, eta)
            FileHandle.standardError.write(Data((line + accuracy + heldout).utf8))
            drewBar = true
        } else if p.seconds - lastPrinted >= 5 || p.step == p.steps {
            lastPrinted = p.seconds
            Console.err(
                "\(label): step \(p.step)/\(p.steps) " + String(format: "(%.0f steps/s, ETA %.0fs) ", rate, eta)
                    + accuracy + heldout)
        }
    }

    func finish() {
        if drewBar { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
