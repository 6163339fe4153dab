import Experiment
import Foundation
import RunStore
import XCTest

/// Damaged run directories and unusable outputs: exit 2, a message naming the file (and tensor),
/// and nothing written.
final class DamagedInputTests: ScratchTestCase {
    /// A small completed run, copied fresh for each damage.
    private func goodRun() throws -> URL {
        let out = scratch.appendingPathComponent("good")
        let r = try Toymem.run([
            "run", "configs/pure.json", "train.steps=30", "task.domain={\"a\": 12, \"b\": 10}", "model.hidden=[16]",
            "train.batch_size=32",
            "--out", out.path, "--quiet",
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        return out
    }

    /// A tensor as the damage edits it: shape and bytes may disagree with each other or with the config.
    private struct Tensor {
        let name: String
        let dtype: SafeTensors.DType
        var shape: [Int]
        var bytes: Data
    }

    /// Rewrites one safetensors file of a copy of `run` with `edit`, analyses it and returns the result.
    private func analyseDamaged(
        _ run: URL, _ file: String, _ name: String, edit: (inout [Tensor]) -> Void
    ) throws -> Toymem.Result {
        let copy = scratch.appendingPathComponent(name)
        try FileManager.default.copyItem(at: run, to: copy)
        let url = copy.appendingPathComponent(file)
        let original = try SafeTensors(decoding: Data(contentsOf: url))
        var tensors = original.entries.map { Tensor(name: $0.name, dtype: $0.dtype, shape: $0.shape, bytes: $0.bytes) }
        edit(&tensors)
        var damaged = SafeTensors(metadata: original.metadata)
        for t in tensors {
            // Written with a flat shape, then given the damaged one in the header (same byte count).
            let count = t.bytes.count / (t.dtype == .u8 ? 1 : 4)
            switch t.dtype {
            case .f32:
                damaged.add(
                    t.name, floats: t.bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }, shape: [count])
            case .i32:
                damaged.add(
                    t.name, int32s: t.bytes.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }, shape: [count])
            case .u8: damaged.add(t.name, bytes: Array(t.bytes), shape: [count])
            }
        }
        var bytes = damaged.encoded()
        for t in tensors where t.shape != [t.bytes.count / (t.dtype == .u8 ? 1 : 4)] {
            bytes = try Self.reshape(bytes, tensor: t.name, to: t.shape)
        }
        try bytes.write(to: url)
        let r = try Toymem.run(["analyze", copy.path])
        XCTAssertFalse(FileManager.default.fileExists(atPath: copy.appendingPathComponent("analysis").path), name)
        return r
    }

    func testEveryTensorIsCheckedAgainstTheConfigBeforeAnyWork() throws {
        let run = try goodRun()
        let cases: [(String, String, String, (inout [Tensor]) -> Void)] = [
            (
                "nan", "model.safetensors", "tensor blocks.0.mlp.W_in holds NaN",
                { entries in
                    let i = entries.firstIndex { $0.name == "blocks.0.mlp.W_in" }!
                    entries[i].bytes.replaceSubrange(0..<4, with: withUnsafeBytes(of: Float.nan) { Data($0) })
                }
            ),
            (
                "transposed", "model.safetensors", "tensor embed.W_a is F32 [64, 12]",
                { entries in
                    let i = entries.firstIndex { $0.name == "embed.W_a" }!
                    entries[i].shape.reverse()
                }
            ),
            (
                "split2d", "data.safetensors", "tensor split is U8 [120, 1]",
                { entries in
                    let i = entries.firstIndex { $0.name == "split" }!
                    entries[i].shape = [120, 1]
                }
            ),
            ("nolabels", "data.safetensors", "tensor labels is missing", { $0.removeAll { $0.name == "labels" } }),
            (
                "relabelled", "data.safetensors", "tensor labels does not match",
                { entries in
                    let i = entries.firstIndex { $0.name == "labels" }!
                    entries[i].bytes[0] = entries[i].bytes[0] == 0 ? 1 : 0
                }
            ),
        ]
        for (name, file, expected, edit) in cases {
            let r = try analyseDamaged(run, file, name, edit: edit)
            XCTAssertEqual(r.status, 2, name)
            XCTAssertTrue(r.stderr.contains("\(file): \(expected)"), "\(name): \(r.stderr)")
        }
    }

    /// The file with tensor `name`'s shape in the header replaced; offsets and bytes stay as they are.
    private static func reshape(_ file: Data, tensor name: String, to shape: [Int]) throws -> Data {
        let length = Int(
            file.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        guard case var .object(pairs) = try JSONParser.parse(String(decoding: file[8..<(8 + length)], as: UTF8.self)),
            let i = pairs.firstIndex(where: { $0.key == name }), case var .object(fields) = pairs[i].value
        else { throw CocoaError(.fileReadCorruptFile) }
        fields[fields.firstIndex { $0.key == "shape" }!].value = .array(shape.map(JSONValue.int))
        pairs[i].value = .object(fields)
        var header = Array(JSONValue.object(pairs).serialized().utf8)
        while header.count % 8 != 0 { header.append(UInt8(ascii: " ")) }
        var prefix = UInt64(header.count).littleEndian
        return withUnsafeBytes(of: &prefix) { Data($0) } + Data(header) + file.dropFirst(8 + length)
    }

    func testTruncatedHeaderNamesTheFile() throws {
        let run = try goodRun()
        let url = run.appendingPathComponent("model.safetensors")
        try Data(contentsOf: url).prefix(50).write(to: url)
        let r = try Toymem.run(["analyze", run.path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("model.safetensors: damaged safetensors file: header length"), r.stderr)
    }

    func testUnusableOutputsExitTwoNamingThePath() throws {
        let file = try write("a-file", "not a directory")
        let run = try Toymem.run(["run", "configs/pure.json", "train.steps=5", "--out", file, "--quiet"])
        XCTAssertEqual(run.status, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains("'\(file)'"), run.stderr)
        let long = scratch.appendingPathComponent(String(repeating: "x", count: 300)).path
        let tooLong = try Toymem.run(["run", "configs/pure.json", "train.steps=5", "--out", long, "--quiet"])
        XCTAssertEqual(tooLong.status, 2, tooLong.stderr)
        XCTAssertTrue(tooLong.stderr.contains("File name too long"), tooLong.stderr)
        let sweep = try Toymem.run(["sweep", "Configs/sweeps/ci.json", "--out", file])
        XCTAssertEqual(sweep.status, 2, sweep.stderr)
        XCTAssertTrue(sweep.stderr.contains("Not a directory"), sweep.stderr)
        XCTAssertEqual(try String(contentsOfFile: file, encoding: .utf8), "not a directory")
    }

    func testAConfigThatIsNotAnObjectNamesItsFile() throws {
        let path = try write("list.json", "[]")
        let r = try Toymem.run(["validate", path])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("\(path): expected an object"), r.stderr)
    }
}
