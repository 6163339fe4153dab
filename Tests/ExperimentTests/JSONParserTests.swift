import Experiment
import Foundation
import RunStore
import XCTest

/// Inputs that used to trap or overflow the stack now fail with a located error.
final class JSONParserTests: XCTestCase {
    private func message(_ text: String) -> String {
        do {
            _ = try JSONParser.parse(text)
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    func testSurrogatesMustPair() throws {
        XCTAssertEqual(try JSONParser.parse(#"["\uD83D\uDE00"]"#), .array([.string("😀")]))
        XCTAssertEqual(
            message(#"{"name": "\uD800\u0041"}"#),
            "malformed JSON at line 1, column 23: invalid surrogate pair: \\u41 is not a low surrogate")
        XCTAssertTrue(message(#"["\uD800"]"#).contains("unpaired surrogate \\uD800"))
        XCTAssertTrue(message(#"["\uD800\n"]"#).contains("unpaired surrogate"))
        XCTAssertTrue(message(#"["\uDC00"]"#).contains("unpaired surrogate \\uDC00"))
        XCTAssertTrue(message(#"["\u+fff"]"#).contains("expected four hex digits"))
    }

    func testNestingHasALimit() throws {
        let limit = JSONParser.maximumDepth
        let ok = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        XCTAssertNoThrow(try JSONParser.parse(ok))
        let deep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        XCTAssertEqual(
            message(deep),
            "malformed JSON at line 1, column \(limit + 1): nesting deeper than \(limit) levels of objects and arrays")
        // Far deeper than any stack: rejected at the limit, never recursed into.
        XCTAssertTrue(message(String(repeating: #"{"a":"#, count: 50_000)).contains("nesting deeper than"))
    }

    func testHugeUnknownKeyGivesAShortMessageQuickly() throws {
        let key = String(repeating: "k", count: 5_000_000)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "toymem-json-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let url = directory.appendingPathComponent("c.json")
        try #"{"\#(key)": 1}"#.write(to: url, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ConfigLoader.load(path: url.path)) { error in
            let text = "\(error)"
            XCTAssertLessThan(text.count, 400, "the message stays bounded")
            XCTAssertTrue(text.contains("unknown key 'kkkk"), text)
        }
    }
}
