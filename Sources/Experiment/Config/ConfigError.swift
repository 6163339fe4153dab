import RunStore

/// A config that cannot be run: the file, the JSON path at fault and what was expected.
/// Prints as `configs/pure.json: task.domain.a: expected a positive integer, got -3`.
public struct ConfigError: ToymemError, Equatable {
    public var exitCode: Int32 { 2 }

    public let path: String
    public let message: String
    /// The file the config came from, when there is one.
    public private(set) var file: String?

    public init(_ path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// This error, located in `file` (an error already located keeps its file).
    public func located(in file: String) -> ConfigError {
        var located = self
        located.file = self.file ?? file
        return located
    }

    public var description: String {
        [file, path.isEmpty ? nil : path, message].compactMap { $0 }.joined(separator: ": ")
    }
}

/// The closest of `candidates` to `word`, if it is close enough to be a typo.
func suggestion(for word: String, among candidates: [String]) -> String? {
    // Typos are short; comparing a huge string would take long and suggest nothing.
    guard word.count <= 64 else { return nil }
    func distance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var row = [i + 1]
            for (j, y) in b.enumerated() {
                row.append(Swift.min(previous[j + 1] + 1, row[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = row
        }
        return previous[b.count]
    }
    let lowered = word.lowercased()
    // A long shared beginning ("checkers" for "checkerboard") is a typo too.
    if let prefixed = candidates.first(where: { $0.lowercased().commonPrefix(with: lowered).count >= 5 }) {
        return prefixed
    }
    let w = Array(lowered)
    let scored = candidates.map { ($0, distance(w, Array($0.lowercased()))) }
    guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
    return best.1 <= Swift.max(2, w.count / 3) ? best.0 : nil
}

/// A key or word as a message shows it: at most 40 characters, so a huge input
/// gives a short message.
func shown(_ word: String) -> String { word.count > 40 ? String(word.prefix(37)) + "…" : word }
