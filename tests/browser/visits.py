"""Helpers for the visitor tests (keyboard, layout, words, print, accessibility): open a page in a
language and a viewport, wait until Streamlit has settled, and measure what a visitor sees."""

from __future__ import annotations

import shutil
import subprocess
from contextlib import contextmanager

import pytest

from tests.browser.support import ARTIFACTS

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1024, "height": 768}
DESKTOP = {"width": 1400, "height": 900}
PROFILE = "section.sa-profile"
# Streamlit has run the script and drawn the page (no skeletons left).
SETTLED = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return app && app.dataset.testScriptState === "notRunning"
    && document.querySelector("[data-testid='stMainBlockContainer'] [data-testid='stElementContainer']")
    && !document.querySelector("[data-testid='stSkeleton']");
}"""
# Words that a line break cut in two without a hyphen ("Einwohne|r"): each word of the text inside `root`
# should lie on one line (one client rectangle). Links, e-mail addresses and paths may break anywhere.
BROKEN_WORDS = """(root) => {
  const broken = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement || !node.parentElement.getClientRects().length) { continue; }
    for (const match of node.textContent.matchAll(/[^\\s\\u00a0]+/g)) {
      const word = match[0];
      if (word.length < 3 || /[-\\u00ad\\u2010\\u2013/.@:_·]/.test(word)) { continue; }
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + word.length);
      const lines = new Set([...range.getClientRects()].filter(rect => rect.width > 0)
                                                       .map(rect => Math.round(rect.top)));
      if (lines.size > 1) { broken.push(word); }
    }
  }
  return broken;
}"""


def address(base_url: str, path: str, lang: str = "de") -> str:
    """The URL of `path` in `lang` (German needs no parameter)."""
    if lang == "de":
        return f"{base_url}{path}"
    return f"{base_url}{path}{'&' if '?' in path else '?'}lang={lang}"


def visit(page, base_url: str, path: str, lang: str = "de", timeout: float = 90_000) -> None:
    """Open `path` in `lang` and wait until Streamlit has settled."""
    page.goto(address(base_url, path, lang))
    settle(page, timeout)


def settle(page, timeout: float = 60_000) -> None:
    page.wait_for_function(SETTLED, timeout=timeout)


@contextmanager
def visitor(browser, viewport: dict, lang: str = "de", touch: bool = False):
    """A fresh page of its own size (and a touch screen for a phone); closed afterwards."""
    context = browser.new_context(
        viewport=viewport, locale="de-DE" if lang == "de" else "en-GB", is_mobile=touch, has_touch=touch
    )
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()


def snapshot(page, name: str) -> None:
    """A screenshot for a person to look at: test-artifacts/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def box(locator) -> dict:
    value = locator.bounding_box()
    assert value is not None, f"{locator} is not shown"
    return value


def overlaps(first: dict, second: dict) -> bool:
    return (
        first["x"] < second["x"] + second["width"]
        and second["x"] < first["x"] + first["width"]
        and first["y"] < second["y"] + second["height"]
        and second["y"] < first["y"] + first["height"]
    )


def broken_words(locator) -> list[str]:
    """Words inside `locator`'s element that a line break cut without a hyphen."""
    return locator.evaluate(BROKEN_WORDS)


def focused_description(page) -> str:
    """What has the keyboard focus: the accessible name or text of the focused element (in the page or,
    through a frame of the same origin, in the frame: the measurement variant of the map, an embed)."""
    return page.evaluate("""() => {
      let element = document.activeElement;
      while (element && element.tagName === 'IFRAME' && element.contentDocument) {
        element = element.contentDocument.activeElement;
      }
      if (!element) { return ''; }
      const labelled = element.getAttribute('aria-labelledby');
      const label = labelled && element.ownerDocument.getElementById(labelled);
      return (element.getAttribute('aria-label') || (label && label.innerText) || element.innerText
              || element.getAttribute('placeholder') || element.tagName).trim();
    }""")


def pdf_text(pdf_path) -> str:
    """The text of a PDF (poppler's pdftotext, which `make test` installs)."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf_path), "-"], check=True, capture_output=True, text=True
    ).stdout
