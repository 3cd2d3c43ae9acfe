import CMark
import Foundation

/// Markdown through cmark-gfm, GitHub's own implementation, with its extensions: tables,
/// strikethrough, autolinks, task lists, and the tag filter.
///
/// Raw HTML in Markdown is never passed through: it could come from a model answer the author
/// interpolated. It is turned into text (inline) or a code block (a block), so it shows as
/// what it is; links and images whose address could run code (`javascript:`, `vbscript:`,
/// `file:`, `data:` other than images) lose it.
enum CommonMark {
  private static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]

  private static let registered: Bool = {
    cmark_gfm_core_extensions_ensure_registered()
    return true
  }()

  /// The Markdown as an HTML fragment. `trustingRawHTML` keeps raw HTML and every link as
  /// written, as a renderer that trusts its input would: tests use it to see what a Markdown
  /// report would become in one.
  static func html(_ markdown: String, trustingRawHTML: Bool = false) -> String {
    render(markdown, neutralizing: !trustingRawHTML) { document, extensions in
      cmark_render_html(document, trustingRawHTML ? CMARK_OPT_UNSAFE : CMARK_OPT_DEFAULT, extensions)
    }
  }

  /// The Markdown written back as CommonMark, with raw HTML made text and unsafe links removed.
  static func sanitized(_ markdown: String) -> String {
    render(markdown) { document, _ in cmark_render_commonmark(document, CMARK_OPT_DEFAULT, 0) }
  }

  private static func render(
    _ markdown: String, neutralizing: Bool = true, _ body: (OpaquePointer?, UnsafeMutablePointer<cmark_llist>?) -> UnsafeMutablePointer<CChar>?
  ) -> String {
    _ = registered
    guard let parser = cmark_parser_new(CMARK_OPT_DEFAULT) else { return "" }
    defer { cmark_parser_free(parser) }
    for name in extensionNames {
      if let syntax = cmark_find_syntax_extension(name) { cmark_parser_attach_syntax_extension(parser, syntax) }
    }
    markdown.withCString { cmark_parser_feed(parser, $0, strlen($0)) }
    guard let document = cmark_parser_finish(parser) else { return "" }
    defer { cmark_node_free(document) }
    if neutralizing { neutralize(document) }
    guard let rendered = body(document, cmark_parser_get_syntax_extensions(parser)) else { return "" }
    defer { free(rendered) }
    return String(cString: rendered)
  }

  /// Turns raw HTML into text and drops dangerous link targets.
  private static func neutralize(_ document: OpaquePointer) {
    var html: [OpaquePointer] = []
    var links: [OpaquePointer] = []
    guard let iterator = cmark_iter_new(document) else { return }
    while true {
      let event = cmark_iter_next(iterator)
      if event == CMARK_EVENT_DONE { break }
      guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
      let type = cmark_node_get_type(node)
      if type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE {
        html.append(node)
      } else if type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE {
        links.append(node)
      }
    }
    cmark_iter_free(iterator)
    for node in html {
      let block = cmark_node_get_type(node) == CMARK_NODE_HTML_BLOCK
      guard let replacement = cmark_node_new(block ? CMARK_NODE_CODE_BLOCK : CMARK_NODE_TEXT) else { continue }
      cmark_node_set_literal(replacement, cmark_node_get_literal(node))
      cmark_node_replace(node, replacement)
      cmark_node_free(node)
    }
    for node in links {
      let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
      if !isSafe(url, image: cmark_node_get_type(node) == CMARK_NODE_IMAGE) { cmark_node_set_url(node, "") }
    }
  }

  /// Whether a link address is harmless: no scheme that runs code or reads local files.
  static func isSafe(_ url: String, image: Bool) -> Bool {
    // Browsers ignore control characters and spaces inside a scheme: strip them to compare.
    let compact = String(url.unicodeScalars.filter { $0.value > 0x20 }.map(Character.init)).lowercased()
    for scheme in ["javascript:", "vbscript:", "file:"] where compact.hasPrefix(scheme) { return false }
    if compact.hasPrefix("data:") {
      return image && ["data:image/png", "data:image/gif", "data:image/jpeg", "data:image/webp"].contains { compact.hasPrefix($0) }
    }
    return true
  }
}
