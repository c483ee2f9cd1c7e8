import CNCursesW
import ExplorerUI

/// Turns what `wget_wch` returned into an `InputEvent`; nil for input the explorer ignores.
enum KeyDecoding {
    /// A character read with status `OK`: printable text, or a control code.
    static func character(_ code: UInt32) -> InputEvent? {
        switch code {
        case 10, 13: return .enter
        case 9: return .tab
        case 27: return .escape
        case 8, 127: return .backspace
        case 1...26:
            guard let letter = Unicode.Scalar(code + 96) else { return nil }
            return .control(Character(letter))
        case 0..<32, 0x80..<0xA0:
            return nil
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .character(Character(scalar))
        }
    }

    /// A key code read with status `KEY_CODE_YES`, other than KEY_MOUSE and KEY_RESIZE which
    /// need more reading.
    static func keyCode(_ code: Int32) -> InputEvent? {
        switch code {
        case KEY_LEFT, KEY_SLEFT: return .left
        case KEY_RIGHT, KEY_SRIGHT: return .right
        case KEY_UP, KEY_SR: return .up
        case KEY_DOWN, KEY_SF: return .down
        case KEY_HOME, KEY_FIND, KEY_A1, KEY_SHOME: return .home
        case KEY_END, KEY_SELECT, KEY_C1, KEY_SEND: return .end
        case KEY_PPAGE, KEY_A3: return .pageUp
        case KEY_NPAGE, KEY_C3: return .pageDown
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC, KEY_SDC: return .delete
        case KEY_IC: return .insert
        case KEY_BTAB: return .backTab
        case (KEY_F0 + 1)...(KEY_F0 + 12): return .function(Int(code - KEY_F0))
        default: return nil
        }
    }

    /// A mouse report from `getmouse`: button 1 down or a whole click is a `.click`, its
    /// release a `.release`, buttons 4 and 5 the wheel. Other buttons are ignored.
    static func mouse(x: Int32, y: Int32, buttons: mmask_t) -> InputEvent? {
        let kind: MouseEvent.Kind
        if buttons & ms_button4_pressed() != 0 {
            kind = .wheelUp
        } else if buttons & ms_button5_pressed() != 0 {
            kind = .wheelDown
        } else if buttons & (ms_button1_pressed() | ms_button1_clicked()) != 0 {
            kind = .click
        } else if buttons & ms_button1_released() != 0 {
            kind = .release
        } else {
            return nil
        }
        return .mouse(MouseEvent(x: Int(x), y: Int(y), kind: kind))
    }
}
