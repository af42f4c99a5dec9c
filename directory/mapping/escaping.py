"""Getting text safely into HTML, scripts and folium's templates."""
from __future__ import annotations

import json
import re

from branca.element import Element
from markupsafe import Markup

# --- JSON for HTML -----------------------------------------------------------

_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def json_for_script(obj) -> Markup:
    """JSON safe to put inside ``<script type="application/json">`` in HTML.

    ``<``, ``>`` and ``&`` become ``\\u003c``/``\\u003e``/``\\u0026`` (so no
    ``</script>`` or ``<!--`` can end or confuse the element) and U+2028/2029
    are escaped too. The result is compact and still valid JSON, read back with
    ``JSON.parse(element.textContent)``.
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return Markup(text.translate(_SCRIPT_ESCAPES))


_OPEN_TAG_RE = re.compile(r"<(script|style)\b(?![^>]*\bnonce=)", re.IGNORECASE)


def add_nonce(html: str, nonce: str) -> str:
    """Give every <script> and <style> open tag without one the page's CSP nonce."""
    return _OPEN_TAG_RE.sub(lambda m: f'<{m.group(1)} nonce="{nonce}"', html)


def no_jinja(text: str) -> str:
    """HTML text with braces as character references.

    Text that reaches folium's templates (the map label, the attribution) is
    compiled by Jinja when the figure renders; ``&#123;`` keeps ``{{ }}``
    inert while the browser still shows a brace.
    """
    return str(text).replace("{", "&#123;").replace("}", "&#125;")


class RawElement(Element):
    """Pre-built HTML/JS that is inserted as it is.

    branca wraps what a MacroElement's macros return in ``Element(text)``,
    which compiles that text as a Jinja template: user text containing
    ``{{ ... }}`` would then be evaluated on the server. Our data never goes
    through that path; it is added with this class, which renders verbatim.
    """

    def __init__(self, text: str):
        super().__init__()
        self._name = "RawElement"
        self._text = str(text)

    def render(self, **kwargs) -> str:
        """The text, verbatim."""
        return self._text
