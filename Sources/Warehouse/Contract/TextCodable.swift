/// A value written in JSON as its text form (`silver.coin_prices`, `2026-11-23`).
public protocol TextCodable: Codable, CustomStringConvertible {
    /// Parses the text form; nil when it is not valid.
    init?(parsing text: String)
}

extension TextCodable {
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(parsing: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a valid \(Self.self): \(text)"))
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
