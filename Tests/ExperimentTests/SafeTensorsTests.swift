import RunStore
import Experiment
import Foundation
import XCTest

final class SafeTensorsTests: XCTestCase {
    func testLayoutFollowsTheFormat() throws {
        var file = SafeTensors(metadata: ["format": "pt"])
        file.add("w", floats: [1, 2, 3, 4, 5, 6], shape: [2, 3])
        file.add("split", bytes: [0, 1, 1], shape: [3])
        let data = file.encoded()
        let headerLength = Int(
            data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        XCTAssertEqual(headerLength % 8, 0)
        XCTAssertEqual(data[8], UInt8(ascii: "{"))
        XCTAssertEqual(data.count, 8 + headerLength + 24 + 3)
        let header = try JSONParser.parse(String(decoding: data[8..<(8 + headerLength)], as: UTF8.self))
        XCTAssertEqual(header["w"]?["data_offsets"], .array([.int(0), .int(24)]))
        XCTAssertEqual(header["split"]?["data_offsets"], .array([.int(24), .int(27)]))
        XCTAssertEqual(header["split"]?["dtype"], .string("U8"))
        XCTAssertEqual(header["__metadata__"]?["format"], .string("pt"))
        let back = try SafeTensors(decoding: data)
        XCTAssertEqual(back.floats("w"), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(back.entry("w")?.shape, [2, 3])
        XCTAssertEqual(back.metadata["format"], "pt")
    }

    func testDamagedFilesAreRejected() {
        XCTAssertThrowsError(try SafeTensors(decoding: Data([1, 2, 3])))
        var truncated = SafeTensors()
        truncated.add("w", floats: [1, 2], shape: [2])
        XCTAssertThrowsError(try SafeTensors(decoding: truncated.encoded().dropLast(1)))
    }
}
