"""A table that never holds more than a few pages: rows come from the store, page by page.

Textual's built-in DataTable measures every cell up front (100,000 rows took 12.4 s to show on
this machine).  This widget uses the line API instead: it knows only the row count, renders the
visible lines, and asks its ``fetch(offset, limit)`` coroutine for pages it has not got yet (a few
pages are cached, least recently used dropped).  Cell text is always rendered as plain
``rich.text.Text`` — never parsed as markup — and control characters are made visible.
The cursor row is drawn in reverse video and marked with ``›`` so it is visible without colour.
Columns share the width by need (``column_widths``): the widest of each column's title and the
cells of the pages read so far — measured per page as it arrives, never by scanning every row —
and a need only grows until the next data set, so scrolling never makes the columns jump.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from loom_tui.domain.text import visible

from .column_widths import share

Fetch = Callable[[int, int], Awaitable[list[dict]]]

# pages read, at most, to find the cursor's row again after a refresh (outward from where it was)
SEEK_PAGES = 30


def row_key(row: Any) -> str | None:
    """What identifies a row across refreshes: its ``id`` (a member binding: its ``upn``); a row
    that is an object (the operations panel's ``Operation``) by its ``id`` attribute."""
    if not row:
        return None
    key = row.get("id") or row.get("upn") if isinstance(row, dict) else getattr(row, "id", None)
    return str(key) if key is not None else None




@dataclass
class Column:
    key: str
    title: str
    # at most this many cells (fewer when its title and values need fewer); 0: a free column, which
    # shares what is left by need (names first get the spare, and are cut when there is too little)
    width: int = 0
    render: Callable[[dict], Any] | None = None
    align: str = "left"
    min_width: int = 6
    # a URL for the cell: drawn as an OSC 8 hyperlink (terminals without them show the text alone)
    link: Callable[[dict], str | None] | None = None
    # the sort key this column sorts by (the sort picker's key); None: the column's key
    sort: str | None = None
    # "end": cut with … at the end; "middle": keep the head and the distinguishing tail
    # ("Claims Ana…tics 12"), and rows of a page whose cut text would look the same show
    # where they differ
    cut: str = "end"

    @property
    def sort_key(self) -> str:
        return self.sort or self.key

    def cell(self, row: dict) -> str:
        value = self.render(row) if self.render else row.get(self.key)
        return visible(value)


def _head(text: str, width: int) -> str:
    """The first characters of ``text`` that fit in ``width`` cells."""
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out)


def _tail(text: str, width: int) -> str:
    """The last characters of ``text`` that fit in ``width`` cells."""
    return _head(text[::-1], width)[::-1]


def fit(text: str, width: int, align: str = "left", cut: str = "end") -> str:
    """Cut or pad ``text`` to exactly ``width`` cells (wide CJK and emoji counted right).
    ``cut="middle"`` keeps the head and the tail around the …, where names differ most often
    ("Claims Analytics 12" → "Claims Ana…tics 12")."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        if cut == "middle" and width >= 5:
            tail_w = (width - 1) // 2
            text = _head(text, width - 1 - tail_w) + "…" + _tail(text, tail_w)
        else:
            text = _head(text, width - 1) + "…"
    pad = width - cell_len(text)
    return (" " * pad + text) if align == "right" else (text + " " * pad)


def distinct_cuts(texts: list[str], width: int) -> list[str]:
    """``texts`` cut in the middle to ``width``; where two different texts would show the same,
    each shows its head, "…", and itself from the first character it differs at, so two rows
    never look identical because both were cut (unless the texts are the same)."""
    shown = [fit(t, width, cut="middle") for t in texts]
    groups: dict[str, list[int]] = {}
    for i, s in enumerate(shown):
        groups.setdefault(s, []).append(i)
    for members in groups.values():
        distinct = sorted({texts[i] for i in members})
        if len(distinct) < 2:
            continue
        # the longest prefix a text shares with any other is shared with a neighbour in sorted order
        differs_at = {}
        for k, text in enumerate(distinct):
            near = [distinct[j] for j in (k - 1, k + 1) if 0 <= j < len(distinct)]
            differs_at[text] = max(_common_prefix(text, o) for o in near)
        for i in members:
            text = texts[i]
            d = differs_at[text]  # the first character no other shares
            rest = text[d:]
            if cell_len(rest) + 1 >= width:  # a third of the head, …, then from where it differs
                head_w = min(cell_len(text[:d]), (width - 1) // 3)
                head = _head(text[:d], head_w)
                shown[i] = fit(head + "…" + fit(rest, width - 1 - cell_len(head)), width)
            else:
                shown[i] = fit(_head(text[:d], width - 1 - cell_len(rest)) + "…" + rest, width)
    return shown


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


class VirtualTable(ScrollView, can_focus=True):
    """Rows ``0..row_count-1``, fetched on demand in pages of ``page_size``."""

    DEFAULT_CSS = """
    VirtualTable { height: 1fr; scrollbar-size-vertical: 1; }
    """
    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="table.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="table.down"),
        Binding("pageup,ctrl+b", "page(-1)", "Page up", show=False, id="table.page_up"),
        Binding("pagedown,ctrl+f", "page(1)", "Page down", show=False, id="table.page_down"),
        Binding("home,g", "jump(0)", "First", show=False, id="table.first"),
        Binding("end,G", "jump(-1)", "Last", show=False, id="table.last"),
        Binding("enter", "select", "Open", show=False, id="table.select"),
    ]

    cursor_row: reactive[int] = reactive(0)

    class RowSelected(Message):
        def __init__(self, table: "VirtualTable", row: dict) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> "VirtualTable":  # for @on(VirtualTable.RowSelected, "#id")
            return self.table

    class CursorMoved(Message):
        def __init__(self, table: "VirtualTable", index: int, row: dict | None) -> None:
            super().__init__()
            self.table = table
            self.index = index
            self.row = row

    class ColumnsChanged(Message):
        """Column widths changed (resize, scrollbar): a header above the table re-renders."""

        def __init__(self, table: "VirtualTable") -> None:
            super().__init__()
            self.table = table

    class FetchFailed(Message):
        def __init__(self, table: "VirtualTable", error: BaseException) -> None:
            super().__init__()
            self.table = table
            self.error = error

    def __init__(self, columns: list[Column], fetch: Fetch | None = None, *, page_size: int = 100,
                 max_pages: int = 20, empty_text: str = "Nothing to show.", id: str | None = None,
                 failure: str = "could not read the rows") -> None:
        super().__init__(id=id)
        self.failure = failure  # the headline of a page that could not be read (FetchFailed)
        self.columns = columns
        self.fetch = fetch
        self.page_size = page_size
        self.max_pages = max_pages
        self.empty_text = empty_text
        self.row_count = 0
        self._pages: OrderedDict[int, list[dict]] = OrderedDict()
        self._pending: set[int] = set()
        # a refresh that keeps the cursor shows (and acts on) the rows it had until the new ones
        # arrive: a key that lands mid-refresh ("p" right after a save) finds its row
        self._stale: dict[int, list[dict]] = {}
        self._generation = 0
        self._widths: list[int] = []
        self._widths_for = -1
        # each column's widest cell seen in this data set (only grows: no jitter while scrolling)
        self._needs: list[int] = []
        self._needs_of: list[Column] | None = None  # the columns ``_needs`` measured
        self._remeasure = False  # a new data set: its first page measures afresh
        self.pages_fetched = 0  # for tests and benchmarks
        # (sort key, descending) of the rows shown: the header marks that column with ▲ / ▼
        self.sorted_by: tuple[str, bool] | None = None
        # (page, column, width) -> the page's cells of a middle-cut column, told apart (distinct_cuts)
        self._cuts: dict[tuple[int, int, int], list[str]] = {}

    def on_mount(self) -> None:
        super().on_mount()
        self.yield_area_keys()

    def yield_area_keys(self) -> None:
        """An area's keys win over the table's: a letter the screen (or the app) binds is dropped
        from the table's own bindings (Cost's ``g`` "by tag" over the table's ``g`` "first row",
        which ``home`` still does), so it reaches the area while the table has focus."""
        screen, app = self.screen, self.app
        taken = {k for node in (screen, app) for k in node._bindings.key_to_bindings if len(k) == 1}  # noqa: SLF001
        for key in taken & set(self._bindings.key_to_bindings):
            del self._bindings.key_to_bindings[key]

    # -- data ------------------------------------------------------------------------------
    def reset(self, row_count: int, fetch: Fetch | None = None, *, keep_cursor: bool = False, follow: str | None = None) -> None:
        """New data (after a search, sort or filter): forget cached pages.  ``keep_cursor``: the
        cursor stays on the same row *by id* (after a rename or a refresh the row may have moved),
        else where it was when that row is gone.  ``follow``: the cursor goes to the row with that
        id (a row just created), wherever the sort put it."""
        if fetch is not None:
            self.fetch = fetch
        if follow is None:
            follow = row_key(self.current) if keep_cursor else None
        self._generation += 1
        self._stale = dict(self._pages) if keep_cursor else {}
        self._pages.clear()
        self._cuts.clear()
        self._pending.clear()
        self._widths_for = -1  # the sort column's title may have changed
        self._remeasure = self._remeasure or not keep_cursor
        self.row_count = max(0, row_count)
        self.virtual_size = Size(self.content_width, self.row_count)
        if not keep_cursor:
            self.cursor_row = 0
            self.scroll_to(y=0, animate=False)
        else:
            self.cursor_row = min(self.cursor_row, max(0, self.row_count - 1))
        self.refresh()
        if follow is not None and self.row_count:
            self.run_worker(self._seek(follow, self._generation, self.cursor_row), group=f"vt-seek-{id(self)}",
                            exclusive=True, exit_on_error=False)

    async def _seek(self, key: str, generation: int, start: int) -> None:
        """Move the cursor to the row ``key`` of the new data: the page where the cursor was
        first, then outward (at most ``SEEK_PAGES`` pages); left where it is when not found or
        when the operator moved it meanwhile."""
        last = (self.row_count - 1) // self.page_size
        home = start // self.page_size
        order = [home]
        for step in range(1, last + 1):
            order += [p for p in (home - step, home + step) if 0 <= p <= last]
        for page_no in order[:SEEK_PAGES]:
            if generation != self._generation or self.cursor_row != start:
                return
            rows = self._pages.get(page_no)
            if rows is None:
                if self.fetch is None:
                    return
                try:
                    rows = await self.fetch(page_no * self.page_size, self.page_size)
                except Exception:  # the page's own fetch reports failures
                    return
                if generation != self._generation:
                    return
                self._store(page_no, rows)
            for offset, row in enumerate(rows):
                if row_key(row) == key:
                    if self.cursor_row == start:
                        self.cursor_row = page_no * self.page_size + offset
                        self.refresh()
                    return

    def row(self, index: int) -> dict | None:
        page = self._pages.get(index // self.page_size)
        if page is None:
            page = self._stale.get(index // self.page_size)
        if page is None or index >= self.row_count:
            return None
        offset = index % self.page_size
        return page[offset] if offset < len(page) else None

    @property
    def current(self) -> dict | None:
        return self.row(self.cursor_row) if self.row_count else None

    def _want(self, page_no: int) -> None:
        if page_no in self._pages:
            self._pages.move_to_end(page_no)
            return
        if page_no in self._pending or self.fetch is None:
            return
        self._pending.add(page_no)
        self.run_worker(self._load(page_no, self._generation), group=f"vt-{id(self)}", exit_on_error=False)

    async def _load(self, page_no: int, generation: int) -> None:
        assert self.fetch is not None
        try:
            rows = await self.fetch(page_no * self.page_size, self.page_size)
        except Exception as exc:  # the screen shows it (AreaScreen, the one error path), never a crash
            self._pending.discard(page_no)
            self.post_message(self.FetchFailed(self, exc))
            return
        if generation != self._generation:
            return
        self._pending.discard(page_no)
        self._store(page_no, rows)
        self.refresh()
        if page_no == self.cursor_row // self.page_size:
            self.post_message(self.CursorMoved(self, self.cursor_row, self.current))

    def _store(self, page_no: int, rows: list[dict]) -> None:
        self._pages[page_no] = rows
        self._stale.pop(page_no, None)
        self.pages_fetched += 1
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        self._measure(rows)

    # -- layout ----------------------------------------------------------------------------
    def _measure(self, rows: list[dict]) -> None:
        """Grow the columns' needs to the widest of ``rows``' cells (the first page of a new data
        set starts again); a need that grows lays the columns out again on the next paint."""
        if self._remeasure:
            self._remeasure, self._needs_of = False, None
        if self._needs_of is not self.columns:
            self._column_needs()  # measures every cached page, this one included
            grown = True
        else:
            grown = self._grow(rows)
        if grown:
            self._widths_for = -1
            self.refresh()

    def _column_needs(self) -> list[int]:
        """The widest cell of each column in the cached pages (new columns: measured now)."""
        if self._needs_of is not self.columns:
            self._needs_of, self._needs = self.columns, [0] * len(self.columns)
            for rows in [*self._stale.values(), *self._pages.values()]:
                self._grow(rows)
        return self._needs

    def _grow(self, rows: list[dict]) -> bool:
        grown = False
        for i, column in enumerate(self.columns):
            widest = max((cell_len(column.cell(row)) for row in rows), default=0)
            if widest > self._needs[i]:
                self._needs[i], grown = widest, True
        return grown

    def _layout(self, width: int) -> list[int]:
        room = max(0, width - 2) - (len(self.columns) - 1)  # less the cursor marker and the gaps
        needs = [max(n, self._title_need(c)) for c, n in zip(self.columns, self._column_needs())]
        return share(self.columns, needs, room)

    def _title_need(self, column: Column) -> int:
        """The title's cells, and the sort mark's (" ▲") when the rows are sorted by it."""
        sorted_here = self.sorted_by is not None and self.sorted_by[0] == column.sort_key
        return cell_len(column.title) + (2 if sorted_here else 0)

    @property
    def content_width(self) -> int:
        """Cells available for a row (the widget less its vertical scrollbar)."""
        return self.scrollable_content_region.width or self.size.width

    def on_resize(self, event: events.Resize) -> None:
        self._widths_for = -1
        self.virtual_size = Size(self.content_width, self.row_count)

    def header_text(self, width: int) -> Text:
        widths = self._layout(self.content_width or width)
        line = "  " + " ".join(self._title(c, w) for c, w in zip(self.columns, widths))
        return Text(line[:width].ljust(width), style="bold")

    def _title(self, column: Column, width: int) -> str:
        """The column's title; the sort column's ends in ▲ (ascending) or ▼ (descending), kept
        even when the title has to be cut."""
        if self.sorted_by is None or self.sorted_by[0] != column.sort_key or width < 3:
            return fit(column.title, width, column.align)
        mark = " ▼" if self.sorted_by[1] else " ▲"
        title = column.title
        if cell_len(title) > width - 2:  # its first word, else cut
            first = title.split()[0] if title.split() else title
            title = first if cell_len(first) <= width - 2 else fit(title, width - 2)
        return fit(title + mark, width, column.align)

    # -- rendering -------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.content_width
        index = self.scroll_offset.y + y
        if self._widths_for != width:  # the scrollbar can come and go without a resize event
            self._widths, self._widths_for = self._layout(width), width
            self.post_message(self.ColumnsChanged(self))
        if self.row_count == 0:
            text = self.empty_text if y == 0 else ""
            return Strip([Segment(fit(text, width), self.rich_style)])
        if index >= self.row_count:
            return Strip.blank(width, self.rich_style)
        self._want(index // self.page_size)
        row = self.row(index)
        selected = index == self.cursor_row
        marker = "› " if selected else "  "
        style = self.rich_style + (Style(reverse=True, bold=self.has_focus) if selected else Style())
        if row is not None and any(c.link for c in self.columns):
            return self._linked_line(index, marker, row, style, width)
        if row is None:
            body = fit("…", sum(self._widths) + len(self._widths) - 1)
        else:
            body = " ".join(self._cell(index, i, c, w, row) for i, (c, w) in enumerate(zip(self.columns, self._widths)))
        line = fit(marker + body, width)
        return Strip([Segment(line, style)], width)

    def _cell(self, index: int, column_no: int, column: Column, width: int, row: dict) -> str:
        """One cell, cut to ``width``; a middle-cut column is told apart across its page."""
        if column.cut != "middle":
            return fit(column.cell(row), width, column.align)
        page_no = index // self.page_size
        page = self._pages.get(page_no)
        if page is None:
            return fit(column.cell(row), width, column.align, cut="middle")
        key = (page_no, column_no, width)
        cuts = self._cuts.get(key)
        if cuts is None or len(cuts) != len(page):
            cuts = self._cuts[key] = distinct_cuts([column.cell(r) for r in page], width)
        return cuts[index % self.page_size]

    def _linked_line(self, index: int, marker: str, row: dict, style: Style, width: int) -> Strip:
        segments = [Segment(marker, style)]
        for i, (c, w) in enumerate(zip(self.columns, self._widths)):
            if i:
                segments.append(Segment(" ", style))
            url = c.link(row) if c.link else None
            segments.append(Segment(self._cell(index, i, c, w, row), style + Style(link=url) if url else style))
        return Strip(segments).adjust_cell_length(width, style)

    # -- movement --------------------------------------------------------------------------
    def watch_cursor_row(self, old: int, new: int) -> None:
        self.refresh()
        if new < self.scroll_offset.y:
            self.scroll_to(y=new, animate=False)
        elif new >= self.scroll_offset.y + self.size.height:
            self.scroll_to(y=new - self.size.height + 1, animate=False)
        self.post_message(self.CursorMoved(self, new, self.current))

    def _move_to(self, index: int) -> None:
        if self.row_count:
            target = max(0, min(self.row_count - 1, index))
            # ask for the target's page now, not when the next frame renders it
            self._want(target // self.page_size)
            self.cursor_row = target

    def action_cursor(self, delta: int) -> None:
        self._move_to(self.cursor_row + delta)

    def action_page(self, direction: int) -> None:
        self._move_to(self.cursor_row + direction * max(1, self.size.height - 1))

    def action_jump(self, where: int) -> None:
        self._move_to(self.row_count - 1 if where < 0 else where)

    def action_select(self) -> None:
        row = self.current
        if row is not None:
            self.post_message(self.RowSelected(self, row))

    def on_click(self, event: events.Click) -> None:
        self._move_to(self.scroll_offset.y + event.y)
        self.focus()

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self.refresh()

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self.refresh()
