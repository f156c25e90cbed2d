"""Reading a generated PDF as a person looks at it: its words with their positions, its
images and rules, and a PNG of each page for a reviewer (var/screenshots/).

Positions are in PDF points from the page's top-left corner (pdfplumber's ``top``), so
"below" means a larger ``top``.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
MM = 72 / 25.4
# Glyph boxes of neighbouring words may touch; anything more is an overlap.
TOLERANCE = 0.2


@dataclass(frozen=True)
class Box:
    x0: float
    top: float
    x1: float
    bottom: float
    text: str = ""

    def overlaps(self, other: Box, *, tolerance: float = TOLERANCE) -> bool:
        return (
            min(self.x1, other.x1) - max(self.x0, other.x0) > tolerance
            and min(self.bottom, other.bottom) - max(self.top, other.top) > tolerance
        )

    def inside(self, outer: Box, *, tolerance: float = TOLERANCE) -> bool:
        return (
            self.x0 >= outer.x0 - tolerance
            and self.top >= outer.top - tolerance
            and self.x1 <= outer.x1 + tolerance
            and self.bottom <= outer.bottom + tolerance
        )


@dataclass
class Page:
    width: float
    height: float
    words: list[Box]
    images: list[Box]
    rules: list[Box]

    @property
    def box(self) -> Box:
        return Box(0, 0, self.width, self.height)

    def lines(self) -> list[str]:
        """The page's text as lines (words sharing a baseline, left to right)."""
        rows: dict[float, list[Box]] = {}
        for word in self.words:
            key = next((top for top in rows if abs(top - word.top) < 1.5), word.top)
            rows.setdefault(key, []).append(word)
        return [
            " ".join(w.text for w in sorted(row, key=lambda w: w.x0))
            for _, row in sorted(rows.items())
        ]

    def line_index(self, text: str) -> int:
        """The index of the one line that starts with ``text`` (whole words); fails if
        none or several do."""
        found = [
            i for i, line in enumerate(self.lines()) if line == text or line.startswith(text + " ")
        ]
        assert len(found) == 1, f"{text!r} on lines {found} of {self.lines()}"
        return found[0]

    def word(self, text: str) -> Box:
        found = [w for w in self.words if w.text == text]
        assert len(found) == 1, f"{text!r} found {len(found)} times in {self.lines()}"
        return found[0]

    def phrases(self, text: str) -> list[Box]:
        """Every place where the words of ``text`` stand side by side on one line."""
        tokens = text.split()
        ordered = sorted(self.words, key=lambda w: (round(w.top), w.x0))
        found = []
        for start in range(len(ordered) - len(tokens) + 1):
            run = ordered[start : start + len(tokens)]
            if [w.text for w in run] == tokens and all(
                abs(w.top - run[0].top) < 1.5 and w.x0 >= previous.x1 - TOLERANCE
                for previous, w in zip(run, run[1:], strict=False)
            ):
                found.append(
                    Box(
                        run[0].x0,
                        min(w.top for w in run),
                        run[-1].x1,
                        max(w.bottom for w in run),
                        text,
                    )
                )
        return found

    def phrase(self, text: str) -> Box:
        found = self.phrases(text)
        assert len(found) == 1, f"{text!r} found {len(found)} times in {self.lines()}"
        return found[0]

    def overlapping_words(self) -> list[tuple[str, str]]:
        return [
            (a.text, b.text)
            for i, a in enumerate(self.words)
            for b in self.words[i + 1 :]
            if a.overlaps(b)
        ]

    def outside(self, box: Box) -> list[str]:
        return [w.text for w in self.words + self.images if not w.inside(box)]


def read_pdf(pdf: bytes, *, page: int = 0) -> Page:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as document:
        sheet = document.pages[page]
        words = [
            Box(w["x0"], w["top"], w["x1"], w["bottom"], w["text"])
            for w in sheet.extract_words(keep_blank_chars=False, use_text_flow=True)
        ]
        images = [Box(i["x0"], i["top"], i["x1"], i["bottom"], "<image>") for i in sheet.images]
        rules = [
            Box(r["x0"], r["top"], r["x1"], r["bottom"], "<rule>")
            for r in sheet.lines + sheet.rects + sheet.curves
        ]
        return Page(float(sheet.width), float(sheet.height), words, images, rules)


def assert_address_block(page: Page, lines: list[str]) -> None:
    """Each of ``lines`` is on its own line of the page, directly one after the other."""
    indexes = [page.line_index(text) for text in lines]
    assert indexes == list(range(indexes[0], indexes[0] + len(lines))), (
        f"{lines} on lines {indexes}: {page.lines()}"
    )


def assert_stacked(page: Page, phrases: list[str]) -> None:
    """Each phrase on a line of its own directly below the one before, on one left edge
    (one column of an address printed in two columns side by side)."""
    above = page.phrase(phrases[0])
    for text in phrases[1:]:
        under = [
            box
            for box in page.phrases(text)
            if abs(box.x0 - above.x0) < 1 and 0 <= box.top - above.bottom + TOLERANCE < 12
        ]
        assert len(under) == 1, f"{text!r} not on the line under {above.text!r}: {page.lines()}"
        above = under[0]


def assert_clean_layout(page: Page, *, frame: Box | None = None) -> None:
    """No two words overlap, no word runs over an image, all lies inside ``frame``."""
    overlapping = page.overlapping_words()
    assert overlapping == [], f"overlapping words: {overlapping}"
    over_images = [w.text for w in page.words for image in page.images if w.overlaps(image)]
    assert over_images == [], f"words over an image: {over_images}"
    outside = page.outside(frame or page.box)
    assert outside == [], f"outside {frame or page.box}: {outside}"


def save_png(pdf: bytes, name: str, *, scale: float = 2.0) -> Path:
    """Render page one to var/screenshots/<name>.png for a reviewer to look at."""
    import pypdfium2

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    document = pypdfium2.PdfDocument(pdf)
    try:
        document[0].render(scale=scale).to_pil().save(path)
    finally:
        document.close()
    return path
