/// The subset of TOML that `warehouse.toml` and `checks/*.toml` use: `[section]` headers,
/// `[[name]]` arrays of tables, `key = value` with strings, integers, floats, booleans and
/// one-line arrays of those, and `#` comments. Anything else is an error that names the line.
public struct TOMLDocument: Equatable {
    public enum Value: Equatable {
        case string(String)
        case integer(Int)
        case float(Double)
        case bool(Bool)
        case array([Value])
    }

    /// One `[[name]]` table: its keys' values and the line each is on.
    public struct Table: Equatable {
        /// The line of its `[[name]]` header.
        public let line: Int
        public fileprivate(set) var values: [String: Value] = [:]
        public fileprivate(set) var lines: [String: Int] = [:]
    }

    /// Values by "section.key" (top-level keys have no section).
    public private(set) var values: [String: Value] = [:]
    /// The line of each of `values`.
    public private(set) var lines: [String: Int] = [:]
    /// The tables of each `[[name]]` array, in file order.
    public private(set) var tables: [String: [Table]] = [:]

    /// - Throws: `TOMLError` with the line number and what is wrong.
    public init(parsing text: String) throws {
        var section = ""
        var array: String?
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = Self.stripComment(String(rawLine)).trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { continue }
            let number = index + 1
            if line.hasPrefix("[[") {
                guard line.hasSuffix("]]") else { throw TOMLError(line: number, message: "an array of tables looks like [[name]]") }
                let name = line.dropFirst(2).dropLast(2).trimmingCharacters(in: .whitespaces)
                tables[name, default: []].append(Table(line: number))
                array = name
                continue
            }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw TOMLError(line: number, message: "a section header looks like [name]") }
                section = line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                array = nil
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { throw TOMLError(line: number, message: "expected key = value") }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw TOMLError(line: number, message: "'\(key)' is not a bare key")
            }
            var rest = Substring(line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces))
            let value = try Self.parseValue(&rest, line: number)
            guard rest.trimmingCharacters(in: .whitespaces).isEmpty else { throw TOMLError(line: number, message: "unexpected text after the value: \(rest)") }
            if let array {
                let index = tables[array]!.count - 1
                guard tables[array]![index].values[key] == nil else { throw TOMLError(line: number, message: "\(key) is set twice in this [[\(array)]]") }
                tables[array]![index].values[key] = value
                tables[array]![index].lines[key] = number
                continue
            }
            let path = section.isEmpty ? key : "\(section).\(key)"
            guard values[path] == nil else { throw TOMLError(line: number, message: "\(path) is set twice") }
            values[path] = value
            lines[path] = number
        }
    }

    private static func stripComment(_ line: String) -> String {
        var inString = false
        for (offset, character) in line.enumerated() {
            if character == "\"" { inString.toggle() }
            if character == "#" && !inString { return String(line.prefix(offset)) }
        }
        return line
    }

    private static func parseValue(_ text: inout Substring, line: Int) throws -> Value {
        text = text.drop { $0 == " " }
        guard let first = text.first else { throw TOMLError(line: line, message: "missing value") }
        if first == "\"" {
            text = text.dropFirst()
            guard let end = text.firstIndex(of: "\"") else { throw TOMLError(line: line, message: "unterminated string") }
            let value = String(text[..<end])
            text = text[text.index(after: end)...]
            return .string(value)
        }
        if first == "[" {
            text = text.dropFirst()
            var items: [Value] = []
            while true {
                text = text.drop { $0 == " " }
                if text.first == "]" { text = text.dropFirst(); return .array(items) }
                items.append(try parseValue(&text, line: line))
                text = text.drop { $0 == " " }
                if text.first == "," { text = text.dropFirst() } else if text.first != "]" {
                    throw TOMLError(line: line, message: "expected , or ] in the array")
                }
            }
        }
        let token = text.prefix { $0 != "," && $0 != "]" && $0 != " " }
        text = text.dropFirst(token.count)
        let word = token.replacingOccurrences(of: "_", with: "")
        if token == "true" { return .bool(true) }
        if token == "false" { return .bool(false) }
        if let integer = Int(word) { return .integer(integer) }
        if let float = Double(word) { return .float(float) }
        throw TOMLError(line: line, message: "'\(token)' is not a string, number, boolean or array (strings need double quotes)")
    }
}

/// A line of `warehouse.toml` that cannot be read.
public struct TOMLError: Error, CustomStringConvertible, Equatable {
    public let line: Int
    public let message: String
    public var description: String { "line \(line): \(message)" }
}

import Foundation
