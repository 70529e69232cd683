"""HTML: paragraphs, headings, list items and table cells as blocks, bold and heading kept."""
from __future__ import annotations

import re
from html.parser import HTMLParser

from ogp_graph.readers.model import Builder

_HEADING_TAG = re.compile(r"h[1-6]")


class HTMLBlocks(HTMLParser):
    """Split HTML (a page or a fragment) into blocks of ``builder``.

    Breaks at block-level tags; a block is bold when all its visible text is inside
    ``<b>``/``<strong>`` or a heading; ``row``/``cell`` count table rows and cells; the
    page's ``<title>`` becomes the builder's title.
    """

    _BREAKS = {"p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "tr", "table",
               "section", "article", "header", "footer", "blockquote", "dt", "dd", "ul", "ol", "pre"}
    _SKIP = {"script", "style", "head", "noscript", "template", "svg"}

    def __init__(self, builder: Builder, *, row: int | None = None, cell: int | None = None):
        super().__init__(convert_charrefs=True)
        self.builder, self.row, self.cell = builder, row, cell
        self.chunks: list[tuple[str, bool]] = []
        self.bold = 0
        self.heading = 0
        self.skip = 0
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Track titles, skipped elements, table rows and cells, bold and headings; break at block tags."""
        if tag == "title":
            self.in_title = True
        if tag in self._SKIP:
            self.skip += 1
        if tag in self._BREAKS:
            self.flush()
        if tag == "tr" and self.row is not None:
            self.row += 1
            self.cell = -1
        if tag in ("td", "th"):
            self.cell = (self.cell if self.cell is not None else -1) + 1
        if tag in ("b", "strong"):
            self.bold += 1
        if _HEADING_TAG.fullmatch(tag):
            self.heading = int(tag[1])

    def handle_endtag(self, tag: str) -> None:
        """Close what ``handle_starttag`` opened; break at block tags."""
        if tag == "title":
            self.in_title = False
        if tag in self._SKIP:
            self.skip = max(0, self.skip - 1)
        if tag in ("b", "strong"):
            self.bold = max(0, self.bold - 1)
        if tag in self._BREAKS:
            self.flush()
        if _HEADING_TAG.fullmatch(tag):
            self.heading = 0

    def handle_data(self, data: str) -> None:
        """Collect visible text (marking what is bold), and the page title."""
        if self.in_title and not self.builder.title:
            self.builder.title = " ".join(data.split())
        if not self.skip:
            self.chunks.append((data, self.bold > 0 or self.heading > 0))

    def flush(self) -> None:
        """Add the text collected since the last break as one block (nothing when blank)."""
        text = "".join(c for c, _ in self.chunks)
        visible = [b for c, b in self.chunks if c.strip()]
        if text.strip():
            self.builder.add(text, bold=bool(visible) and all(visible), heading=self.heading,
                             row=self.row, cell=self.cell)
        self.chunks = []

    def close(self) -> None:
        """Parse what is left and add the last block."""
        super().close()
        self.flush()


def read_html(raw: str) -> Builder:
    """The blocks of an HTML page."""
    builder = Builder()
    parser = HTMLBlocks(builder, row=-1)
    parser.feed(raw)
    parser.close()
    return builder
