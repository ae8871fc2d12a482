import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An S3 XML response as a small element tree (ListObjectsV2, multipart, errors).
struct S3XML {
    final class Element {
        let name: String
        var text = ""
        var children: [Element] = []
        init(name: String) { self.name = name }

        /// The text of the first child named `name`.
        func value(_ name: String) -> String? { children.first { $0.name == name }?.text }
        func all(_ name: String) -> [Element] { children.filter { $0.name == name } }
    }

    let root: Element

    /// - Returns: nil when the bytes are not well-formed XML.
    init?(_ data: Data) {
        let builder = Builder()
        let parser = XMLParser(data: data)
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else { return nil }
        self.root = root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var stack: [Element] = []
        var root: Element?

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            let element = Element(name: name)
            stack.last?.children.append(element)
            if stack.isEmpty { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { stack.last?.text += string }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { _ = stack.popLast() }
    }
}
