"""The language a screen reader speaks a piece of a page in: the `lang` of the nearest element that
sets one (WCAG 3.1.2), for the texts and image descriptions (alt) that contain a given string. The
<head> is left out: the page's <title> is spoken in the page's language, whatever it holds."""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Reader(HTMLParser):
    def __init__(self, wanted: str):
        super().__init__()
        self.wanted, self.stack, self.found = wanted, [("", "")], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang") or self.stack[-1][1]
        if self.wanted in (attrs.get("alt") or ""):
            self.found.append(lang)
        if tag not in VOID:
            self.stack.append((tag, lang))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        if self.wanted in data and not any(tag == "head" for tag, _ in self.stack):
            self.found.append(self.stack[-1][1])


def languages_of(html: str, text: str) -> list[str]:
    """The language of each text node or alt text of `html` that contains `text`, in page order."""
    reader = _Reader(text)
    reader.feed(html)
    reader.close()
    return reader.found
