"""Small charts for the overview, laid out here and drawn by templates as inline SVG.

Geometry only (numbers in, rectangles out): the template writes them as presentation
attributes (x, y, width, height) and classes, never a style attribute, so the charts pass
the Content-Security-Policy; colours come from the stylesheets (a label's own colour from
labels.css through its .label-<value> class). Each chart carries a title and description
for assistive technology, and every page that shows one shows the same numbers as a table.
"""

from dataclasses import dataclass, field

WIDTH = 600


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str  # what a pointer's tooltip and a screen reader's "title" say


@dataclass
class Text:
    x: float
    y: float
    text: str
    anchor: str = "start"


@dataclass
class Chart:
    width: int
    height: int
    title: str
    desc: str
    bars: list = field(default_factory=list)
    texts: list = field(default_factory=list)
    lines: list = field(default_factory=list)  # (x1, y1, x2, y2): axes and gridlines


def day_columns(days, *, title, unit="answers", height=150) -> Chart:
    """Columns per day: `days` is [(date, count)], oldest first."""
    top, bottom, left = 16, 22, 34
    chart = Chart(WIDTH, height, title, "")
    peak = max((n for _, n in days), default=0)
    scale_max = max(peak, 1)
    plot_h = height - top - bottom
    step = (WIDTH - left) / max(len(days), 1)
    chart.lines.append((left, top + plot_h, WIDTH, top + plot_h))
    chart.texts.append(Text(left - 4, top + 4, str(scale_max), "end"))
    chart.texts.append(Text(left - 4, top + plot_h, "0", "end"))
    for i, (day, n) in enumerate(days):
        h = plot_h * n / scale_max
        chart.bars.append(Bar(left + i * step + 1, top + plot_h - h, max(step - 2, 1), h,
                              "bar-day", f"{day:%a %-d %b}: {n} {unit}"))
    if days:
        chart.texts.append(Text(left, height - 6, f"{days[0][0]:%-d %b}"))
        chart.texts.append(Text(WIDTH, height - 6, f"{days[-1][0]:%-d %b}", "end"))
    total = sum(n for _, n in days)
    busiest = max(days, key=lambda d: d[1]) if peak else None
    chart.desc = (
        f"{total} {unit} over {len(days)} days"
        + (f"; the busiest day was {busiest[0]:%-d %B} with {busiest[1]}." if busiest else ".")
    )
    return chart


def share_rows(rows, *, title, row_height=26) -> Chart:
    """One 100% bar per row, split into parts: rows are (name, [(css, count, part name)])."""
    left = 110
    height = row_height * len(rows) + 8
    chart = Chart(WIDTH, height, title, "")
    descs = []
    for i, (name, parts) in enumerate(rows):
        y = 4 + i * row_height
        total = sum(n for _, n, _ in parts)
        chart.texts.append(Text(left - 6, y + row_height / 2 + 4, name, "end"))
        x = left
        said = []
        for css, n, part in parts:
            if not total or not n:
                continue
            w = (WIDTH - left) * n / total
            chart.bars.append(Bar(x, y, w, row_height - 6, css,
                                  f"{name}: {part} {n} ({round(100 * n / total)}%)"))
            said.append(f"{part} {round(100 * n / total)}%")
            x += w
        descs.append(f"{name}: {', '.join(said) if said else 'nothing yet'}")
    chart.desc = "; ".join(descs) + "."
    return chart


def percent_rows(rows, *, title, row_height=26) -> Chart:
    """One bar per row on a 0–100% scale: rows are (name, css, share 0..1 or None)."""
    left = 150
    height = row_height * len(rows) + 8
    chart = Chart(WIDTH, height, title, "")
    chart.lines.append((left, 2, left, height - 2))
    descs = []
    for i, (name, css, share) in enumerate(rows):
        y = 4 + i * row_height
        chart.texts.append(Text(left - 6, y + row_height / 2 + 4, name, "end"))
        if share is None:
            chart.texts.append(Text(left + 4, y + row_height / 2 + 4, "undefined"))
            descs.append(f"{name}: undefined")
            continue
        w = (WIDTH - left - 40) * share
        chart.bars.append(Bar(left, y, max(w, 1), row_height - 6, css,
                              f"{name}: {round(100 * share)}%"))
        chart.texts.append(Text(left + w + 4, y + row_height / 2 + 4, f"{round(100 * share)}%"))
        descs.append(f"{name}: {round(100 * share)}%")
    chart.desc = "; ".join(descs) + "."
    return chart
