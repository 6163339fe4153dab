import Foundation

/// A safetensors file: an 8-byte little-endian header length,
/// a JSON header padded with spaces to a multiple of 8, then the tensors'
/// bytes back to back in the order they were added.
///
/// ```swift
/// var file = SafeTensors(metadata: ["format": "pt"])
/// file.add("embed.W_a", floats: weights, shape: [100, 64])
/// try AtomicFile.write(file.encoded(), to: url)
/// let back = try SafeTensors(decoding: Data(contentsOf: url))
/// ```
public struct SafeTensors {
    public enum DType: String, Sendable {
        case f32 = "F32", i32 = "I32", u8 = "U8"

        var size: Int { self == .u8 ? 1 : 4 }
    }

    public struct Entry {
        public let name: String
        public let dtype: DType
        public let shape: [Int]
        public let bytes: Data
    }

    public var metadata: [String: String]
    public private(set) var entries: [Entry] = []

    public init(metadata: [String: String] = [:]) {
        self.metadata = metadata
    }

    public mutating func add(_ name: String, floats: [Float], shape: [Int]) {
        append(name, .f32, shape, floats.withUnsafeBytes { Data($0) }, count: floats.count)
    }

    public mutating func add(_ name: String, floats pointer: UnsafePointer<Float>, count: Int, shape: [Int]) {
        append(name, .f32, shape, Data(bytes: pointer, count: count * 4), count: count)
    }

    public mutating func add(_ name: String, int32s: [Int32], shape: [Int]) {
        append(name, .i32, shape, int32s.withUnsafeBytes { Data($0) }, count: int32s.count)
    }

    public mutating func add(_ name: String, bytes: [UInt8], shape: [Int]) {
        append(name, .u8, shape, Data(bytes), count: bytes.count)
    }

    private mutating func append(_ name: String, _ dtype: DType, _ shape: [Int], _ bytes: Data, count: Int) {
        precondition(shape.reduce(1, *) == count, "safetensors \(name): shape \(shape) does not hold \(count) values")
        precondition(!entries.contains { $0.name == name }, "safetensors: duplicate tensor \(name)")
        entries.append(Entry(name: name, dtype: dtype, shape: shape, bytes: bytes))  // little-endian hosts only
    }

    public func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }

    public func floats(_ name: String) -> [Float]? {
        guard let e = entry(name), e.dtype == .f32 else { return nil }
        return e.bytes.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    public func int32s(_ name: String) -> [Int32]? {
        guard let e = entry(name), e.dtype == .i32 else { return nil }
        return e.bytes.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
    }

    public func encoded() -> Data {
        var header: [(key: String, value: JSONValue)] = []
        if !metadata.isEmpty {
            header.append(("__metadata__", .object(metadata.map { ($0.key, JSONValue.string($0.value)) })))
        }
        var offset = 0
        for e in entries {
            header.append(
                (
                    e.name,
                    .object([
                        ("dtype", .string(e.dtype.rawValue)),
                        ("shape", .array(e.shape.map(JSONValue.int))),
                        ("data_offsets", .array([.int(offset), .int(offset + e.bytes.count)])),
                    ])
                ))
            offset += e.bytes.count
        }
        var json = Array(JSONValue.object(header).serialized().utf8)
        while json.count % 8 != 0 { json.append(UInt8(ascii: " ")) }
        var out = Data()
        var length = UInt64(json.count).littleEndian
        withUnsafeBytes(of: &length) { out.append(contentsOf: $0) }
        out.append(contentsOf: json)
        for e in entries { out.append(e.bytes) }
        return out
    }

    /// Parses a file written by `encoded()` (or any conforming writer). Every count and offset is
    /// checked before use, so a damaged header is an `InputError` saying what is wrong, never a trap.
    public init(decoding data: Data) throws {
        func damaged(_ why: String) -> Error { InputError("damaged safetensors file: \(why)") }
        guard data.count >= 8 else { throw damaged("shorter than its 8-byte header length") }
        let length = data.prefix(8).enumerated().reduce(UInt64(0)) {
            $0 | UInt64($1.element) << (8 * UInt64($1.offset))
        }
        guard length <= UInt64(data.count - 8) else { throw damaged("header length \(length) exceeds the file") }
        let start = data.startIndex + 8
        guard let headerText = String(data: data[start..<(start + Int(length))], encoding: .utf8) else {
            throw damaged("header is not UTF-8 text")
        }
        let header: JSONValue
        do { header = try JSONParser.parse(headerText) } catch { throw damaged("header: \(error)") }
        guard case let .object(pairs) = header else { throw damaged("header is not a JSON object") }
        let base = start + Int(length), available = data.endIndex - base
        metadata = [:]
        var found: [(Int, Entry)] = []
        for (name, value) in pairs {
            if name == "__metadata__" {
                guard case let .object(m) = value else { throw damaged("__metadata__ is not an object") }
                for (k, v) in m { metadata[k] = v.stringValue ?? v.serialized() }
                continue
            }
            let (dtype, shape, range) = try Self.entry(
                value, available: available, damaged: { damaged("tensor \(name): \($0)") })
            found.append(
                (
                    range.lowerBound,
                    Entry(
                        name: name, dtype: dtype, shape: shape,
                        bytes: Data(data[(base + range.lowerBound)..<(base + range.upperBound)]))
                ))
        }
        entries = found.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// One header entry checked: a known dtype, a shape of non-negative integers whose byte size is
    /// computed without overflow, and a byte range inside the `available` bytes that matches it.
    private static func entry(_ value: JSONValue, available: Int, damaged: (String) -> Error) throws
        -> (DType, [Int], Range<Int>)
    {
        guard let dtypeName = value["dtype"]?.stringValue else { throw damaged("no dtype") }
        guard let dtype = DType(rawValue: dtypeName) else { throw damaged("unsupported dtype \(dtypeName)") }
        guard case let .array(shapeItems)? = value["shape"] else { throw damaged("no shape") }
        let shape = shapeItems.compactMap(\.intValue)
        guard shape.count == shapeItems.count, shape.allSatisfy({ $0 >= 0 }) else {
            throw damaged("shape is not a list of non-negative integers")
        }
        var bytes = dtype.size
        for dimension in shape {
            let (product, overflow) = bytes.multipliedReportingOverflow(by: dimension)
            guard !overflow, product <= available else { throw damaged("shape \(shape) is larger than the file") }
            bytes = product
        }
        guard case let .array(offsets)? = value["data_offsets"], offsets.count == 2,
            let begin = offsets[0].intValue, let end = offsets[1].intValue, begin >= 0, begin <= end, end <= available
        else { throw damaged("data_offsets are not two offsets inside the file") }
        guard end - begin == bytes else {
            throw damaged("shape \(shape) needs \(bytes) bytes but data_offsets give \(end - begin)")
        }
        return (dtype, shape, begin..<end)
    }
}
