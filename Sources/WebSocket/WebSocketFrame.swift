/// The frame types of RFC 6455 §5.2.
public enum WebSocketOpcode: UInt8, Sendable {
    case continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA

    var isControl: Bool { rawValue & 0x8 != 0 }
}

/// One frame on the wire: what a peer sends, masked when it is a client (RFC 6455 §5.3).
public struct WebSocketFrame: Sendable, Equatable {
    public var fin: Bool
    public var opcode: WebSocketOpcode
    public var payload: [UInt8]

    public init(fin: Bool = true, opcode: WebSocketOpcode, payload: [UInt8]) {
        self.fin = fin
        self.opcode = opcode
        self.payload = payload
    }

    /// The frame's bytes; `mask` is the client's masking key (servers send unmasked frames).
    public func encoded(mask: [UInt8]? = nil) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 14)
        out.append((fin ? 0x80 : 0) | opcode.rawValue)
        let maskBit: UInt8 = mask == nil ? 0 : 0x80
        switch payload.count {
        case 0..<126:
            out.append(maskBit | UInt8(payload.count))
        case 126...0xFFFF:
            out.append(maskBit | 126)
            out.append(UInt8(payload.count >> 8)); out.append(UInt8(payload.count & 0xFF))
        default:
            out.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8((UInt64(payload.count) >> UInt64(shift)) & 0xFF)) }
        }
        if let mask {
            out += mask
            for (i, byte) in payload.enumerated() { out.append(byte ^ mask[i & 3]) }
        } else {
            out += payload
        }
        return out
    }

    /// Decodes the frame at the start of `bytes[from...]`: the frame and the bytes it took, or
    /// nil when more bytes are needed.
    /// - Throws: `WebSocketError.protocolViolation` for reserved bits, an unknown opcode, a
    ///   fragmented or oversized control frame, or a payload above `maxPayload`.
    public static func decode(_ bytes: [UInt8], from start: Int, maxPayload: Int) throws -> (frame: WebSocketFrame, length: Int)? {
        let available = bytes.count - start
        guard available >= 2 else { return nil }
        let first = bytes[start], second = bytes[start + 1]
        guard first & 0x70 == 0 else { throw WebSocketError.protocolViolation("reserved bits set in a frame header (no extension was negotiated)") }
        guard let opcode = WebSocketOpcode(rawValue: first & 0x0F) else {
            throw WebSocketError.protocolViolation("unknown opcode \(first & 0x0F)")
        }
        let masked = second & 0x80 != 0
        var length = Int(second & 0x7F)
        var offset = 2
        if length == 126 {
            guard available >= 4 else { return nil }
            length = Int(bytes[start + 2]) << 8 | Int(bytes[start + 3])
            offset = 4
        } else if length == 127 {
            guard available >= 10 else { return nil }
            var value: UInt64 = 0
            for i in 0..<8 { value = value << 8 | UInt64(bytes[start + 2 + i]) }
            guard value <= UInt64(maxPayload) else { throw WebSocketError.protocolViolation("a frame of \(value) bytes is above the \(maxPayload)-byte limit") }
            length = Int(value)
            offset = 10
        }
        guard length <= maxPayload else { throw WebSocketError.protocolViolation("a frame of \(length) bytes is above the \(maxPayload)-byte limit") }
        let fin = first & 0x80 != 0
        if opcode.isControl, !fin || length > 125 {
            throw WebSocketError.protocolViolation("control frame \(opcode) is fragmented or longer than 125 bytes")
        }
        let maskLength = masked ? 4 : 0
        guard available >= offset + maskLength + length else { return nil }
        let payloadStart = start + offset + maskLength
        var payload = Array(bytes[payloadStart..<(payloadStart + length)])
        if masked {
            let key = bytes[(start + offset)..<(start + offset + 4)].map { $0 }
            for i in payload.indices { payload[i] ^= key[i & 3] }
        }
        return (WebSocketFrame(fin: fin, opcode: opcode, payload: payload), offset + maskLength + length)
    }
}
