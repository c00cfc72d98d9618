"""Server-rendered SVG charts: horizontal bars and monthly columns, without JavaScript or inline styles.

Every chart is an <svg role="img"> named by its <title> and described by its <desc> (a text summary of
all the numbers), so screen readers announce one image with its content; the page shows the same
numbers in a table next to it. Colours are SVG presentation attributes (the Content-Security-Policy
forbids style attributes) and have at least 3:1 contrast on white; the text is 15.8:1. Numbers are written
in the page's language (formatting.py).
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from wsp_site import formatting

BAR_COLOUR = "#154c8a"  # WSP primary: 8.6:1 on white
TEXT_COLOUR = "#1b2330"  # 15.8:1 on white
AXIS_COLOUR = "#6a7383"  # 4.8:1 on white
FONT_SIZE = 14
WIDTH = 720

Value = int | float


def _number(value: Value, percent: bool = False) -> str:
    """One decimal at most, and none for a whole number: "5,7", "3" ("5,7%" for a percentage)."""
    return formatting.percent(value / 100) if percent else formatting.number(value, "0.#")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _open(chart_id: str, title: str, description: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" focusable="false" width="{WIDTH}" height="{height}"'
        f' viewBox="0 0 {WIDTH} {height}" aria-labelledby="{escape(chart_id)}-titel {escape(chart_id)}-beschrijving"'
        f' font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">',
        f'<title id="{escape(chart_id)}-titel">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-beschrijving">{escape(description)}</desc>',
    ]


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    rows: Sequence[tuple[str, Value]],
    percent: bool = False,
) -> Markup:
    """Horizontal bars, one per (label, value), longest bar = the largest value; `percent`: values in %."""
    label_width, row_height, bar_height, top = 230, 30, 20, 8
    bar_space = WIDTH - label_width - 70
    height = top * 2 + row_height * max(len(rows), 1)
    largest = max((value for _, value in rows), default=0) or 1
    parts = _open(chart_id, title, description, height)
    parts.append(
        f'<line x1="{label_width}" y1="{top}" x2="{label_width}" y2="{height - top}"'
        f' stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    for index, (label, value) in enumerate(rows):
        y = top + index * row_height
        length = round(bar_space * max(value, 0) / largest, 1)
        middle = y + row_height / 2 + FONT_SIZE / 3
        parts.append(
            f'<text x="{label_width - 8}" y="{middle:g}" text-anchor="end">{escape(_short(str(label), 30))}</text>'
        )
        if length > 0:
            parts.append(
                f'<rect x="{label_width}" y="{y + (row_height - bar_height) / 2:g}" width="{length:g}"'
                f' height="{bar_height}" fill="{BAR_COLOUR}"/>'
            )
        parts.append(f'<text x="{label_width + length + 6:g}" y="{middle:g}">{escape(_number(value, percent))}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text is escaped above


def column_chart(
    chart_id: str,
    title: str,
    description: str,
    columns: Sequence[tuple[str, Value]],
) -> Markup:
    """Vertical columns in order (e.g. months), the value above each column, the label below."""
    height, top, bottom, left, right = 280, 28, 40, 12, 12
    plot_height = height - top - bottom
    count = max(len(columns), 1)
    slot = (WIDTH - left - right) / count
    column_width = max(min(slot * 0.7, 48), 2)
    largest = max((value for _, value in columns), default=0) or 1
    every = -(-count // 12)  # label at most 12 columns so the labels never overlap
    baseline = top + plot_height
    parts = _open(chart_id, title, description, height)
    for index, (label, value) in enumerate(columns):
        x = left + index * slot + (slot - column_width) / 2
        bar = round(plot_height * max(value, 0) / largest, 1)
        centre = x + column_width / 2
        if bar > 0:
            parts.append(
                f'<rect x="{x:.1f}" y="{baseline - bar:.1f}" width="{column_width:.1f}" height="{bar:g}"'
                f' fill="{BAR_COLOUR}"/>'
            )
        if count <= 24 or index % every == 0:
            parts.append(
                f'<text x="{centre:.1f}" y="{baseline - bar - 6:.1f}" text-anchor="middle">{escape(_number(value))}</text>'
            )
        if index % every == 0:
            parts.append(
                f'<text x="{centre:.1f}" y="{baseline + 20}" text-anchor="middle">{escape(_short(str(label), 9))}</text>'
            )
    parts.append(
        f'<line x1="{left}" y1="{baseline}" x2="{WIDTH - right}" y2="{baseline}" stroke="{AXIS_COLOUR}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text is escaped above
