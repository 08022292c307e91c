import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element with its children and text, for taking the report's pages and charts
/// apart in tests. Parsing fails (nil) unless the document is well-formed.
final class XMLTree {
    let name: String
    let attributes: [String: String]
    var children: [XMLTree] = []
    /// Text directly inside this element.
    var ownText = ""

    init(name: String, attributes: [String: String]) {
        self.name = name
        self.attributes = attributes
    }

    /// All text inside, children included, in document order.
    var text: String { ownTextAndChildren() }

    private func ownTextAndChildren() -> String {
        var pieces: [String] = [ownText]
        for child in children { pieces.append(child.text) }
        return pieces.joined()
    }

    /// Every descendant (not this element) named `name`, in document order.
    func all(_ name: String) -> [XMLTree] {
        var found: [XMLTree] = []
        for child in children {
            if child.name == name { found.append(child) }
            found += child.all(name)
        }
        return found
    }

    /// The first descendant whose `id` attribute is `id`.
    func element(id: String) -> XMLTree? {
        for child in children {
            if child.attributes["id"] == id { return child }
            if let found = child.element(id: id) { return found }
        }
        return nil
    }

    /// The cell texts of each body and footer row of the tables inside.
    var tableRows: [[String]] {
        all("tr").filter { !$0.children.contains { $0.name == "th" } }.map { $0.children.map(\.text) }
    }

    func hasClass(_ name: String) -> Bool {
        (attributes["class"] ?? "").split(separator: " ").contains { $0 == name }
    }

    static func parse(_ bytes: [UInt8]) -> XMLTree? {
        let builder = Builder()
        let parser = XMLParser(data: Data(bytes))
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else { return nil }
        return root
    }

    private final class Builder: NSObject, XMLParserDelegate {
        var root: XMLTree?
        var stack: [XMLTree] = []

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            let element = XMLTree(name: elementName, attributes: attributes)
            if let parent = stack.last { parent.children.append(element) } else { root = element }
            stack.append(element)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            stack.removeLast()
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            stack.last?.ownText += string
        }
    }
}
