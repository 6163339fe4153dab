import RunStore

/// libFuzzer target: any bytes either parse as JSON or throw `JSONSyntaxError`; never a trap, a stack
/// overflow or a hang. What parses must serialize and parse back to the same value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    guard let value = try? JSONParser.parse(text) else { return 0 }
    guard let again = try? JSONParser.parse(value.serialized()), again == value else {
        fatalError("JSON does not survive a round trip: \(value.serialized())")
    }
    return 0
}
