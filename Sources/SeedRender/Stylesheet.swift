/// The report's CSS, inlined in every HTML report: one readable column, badges by status,
/// code colours, tables and code that scroll sideways on a phone, and a print layout.
enum Stylesheet {
  static let css = """
    :root { --fg: #1f2328; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa; --accent: #0969da; }
    * { box-sizing: border-box; }
    html { -webkit-text-size-adjust: 100%; }
    body { margin: 0; color: var(--fg); background: #fff; font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
    main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem 4rem; }
    h1 { font-size: 1.8rem; line-height: 1.25; margin: 0 0 1rem; }
    h2, h3, h4 { line-height: 1.3; }
    a { color: var(--accent); }
    code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.875rem; }
    :not(pre) > code { background: var(--soft); padding: 0.1em 0.3em; border-radius: 4px; overflow-wrap: anywhere; }
    pre { margin: 0.5rem 0; padding: 0.75rem 1rem; overflow-x: auto; background: var(--soft); border-radius: 6px; line-height: 1.45; }
    .provenance { border-bottom: 1px solid var(--line); padding-bottom: 1rem; margin-bottom: 1.5rem; }
    .provenance dl { display: grid; grid-template-columns: repeat(auto-fill, minmax(16rem, 1fr)); gap: 0.25rem 1.5rem; margin: 0; }
    .provenance dl > div { display: flex; gap: 0.5rem; min-width: 0; }
    .provenance dt { color: var(--muted); flex: 0 0 6.5rem; }
    .provenance dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
    .none { color: var(--muted); font-style: italic; }
    .prose table, .output table { border-collapse: collapse; margin: 0.5rem 0; }
    .prose th, .prose td, .output th, .output td { border: 1px solid var(--line); padding: 0.3rem 0.6rem; text-align: left; vertical-align: top; }
    .prose th, .output th { background: var(--soft); }
    .output.table { overflow-x: auto; }
    .output.table td { white-space: pre-wrap; min-width: 6rem; }
    .cell { margin: 1.25rem 0; border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 6px; padding: 0.5rem 0.75rem; break-inside: avoid-page; }
    .cell.live { border-left-color: #1a7f37; } .cell.cached { border-left-color: #0969da; }
    .cell.changed { border-left-color: #8250df; } .cell.drift { border-left-color: #bf8700; }
    .cell.error { border-left-color: #cf222e; } .cell.not-run { border-left-color: #8c959f; border-style: dashed; }
    .cell-head { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; font-size: 0.875rem; color: var(--muted); }
    .cell-label { font-weight: 600; color: var(--fg); }
    .badge { display: inline-block; padding: 0 0.5rem; border-radius: 999px; font-size: 0.75rem; font-weight: 600; line-height: 1.5rem; color: #fff; background: #8c959f; white-space: nowrap; }
    .badge.live { background: #1a7f37; } .badge.cached { background: #0969da; } .badge.changed { background: #8250df; }
    .badge.drift { background: #9a6700; } .badge.error { background: #cf222e; } .badge.not-run { background: #6e7781; }
    .note { color: #9a6700; }
    .outputs { border-top: 1px dashed var(--line); margin-top: 0.5rem; padding-top: 0.25rem; }
    .output.text, .output.json { background: #fff; border: 1px solid var(--soft); white-space: pre-wrap; overflow-wrap: anywhere; }
    .output.error { background: #ffebe9; color: #82071e; white-space: pre-wrap; }
    .output.chart { margin: 0.5rem 0; }
    .output.chart svg { width: 100%; max-width: 40rem; height: auto; display: block; }
    .code .k { color: #cf222e; } .code .c, .code .m { color: #0550ae; } .code .s { color: #0a3069; }
    .code .f { color: #8250df; } .code .x { color: #6e7781; font-style: italic; } .code .o { color: #953800; }
    .code .e { color: #82071e; background: #ffebe9; }
    @media (max-width: 40rem) {
      body { font-size: 15px; }
      main { padding: 1rem 0.6rem 3rem; }
      h1 { font-size: 1.4rem; }
      .cell { padding: 0.4rem 0.5rem; }
      pre { padding: 0.5rem 0.6rem; }
    }
    @media print {
      body { font-size: 11pt; }
      main { max-width: none; padding: 0; }
      pre, .output.text, .output.json { white-space: pre-wrap; overflow-wrap: anywhere; overflow: visible; }
      .output.table { overflow: visible; }
      .badge { color: #000; background: none !important; border: 1px solid #000; }
      .cell { break-inside: avoid; }
      a { color: inherit; }
    }

    """
}
