import CNCursesW
import ExplorerUI
import Foundation
import FuzzSupport
@testable import Terminal

/// The terminal's key decoding: what `wget_wch` and `getmouse` return, turned into events.
/// ncurses itself parses the escape sequences; the input here is a run of 9-byte records
/// `kind, a (4 bytes), b (4 bytes)`: kind 0 a character `a`, 1 a key code `a`, 2 a mouse
/// report at (`a` low half, `a` high half) with button state `b`.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOne(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let bytes else { return 0 }
    var offset = 0
    while offset + 9 <= count {
        func word(_ at: Int) -> UInt32 {
            (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }
        }
        let kind = bytes[offset] % 3, a = word(offset + 1), b = word(offset + 5)
        offset += 9
        switch kind {
        case 0:
            let event = KeyDecoding.character(a)
            if a >= 0xA0, let scalar = Unicode.Scalar(a), event != .character(Character(scalar)) {
                fuzzFailure("character \(a) decoded as \(String(describing: event))")
            }
        case 1:
            _ = KeyDecoding.keyCode(Int32(bitPattern: a))
        default:
            let x = Int32(Int16(truncatingIfNeeded: a)), y = Int32(Int16(truncatingIfNeeded: a >> 16))
            if case .mouse(let mouse)? = KeyDecoding.mouse(x: x, y: y, buttons: mmask_t(b)),
               mouse.x != Int(x) || mouse.y != Int(y) {
                fuzzFailure("mouse report at \(x),\(y) decoded at \(mouse.x),\(mouse.y)")
            }
        }
    }
    return 0
}

@_cdecl("KeyDecoderFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runLibFuzzer(argc: argc, argv: argv, fuzzOne)
}
