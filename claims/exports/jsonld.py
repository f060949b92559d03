"""JSON-LD text that a page can embed as it is: inside <script type="application/ld+json">, a "</script>"
in any string would end the element, so <, > and & are written as the JSON escapes \\u003c, \\u003e and
\\u0026 (as Django's json_script does). The text still parses to the same strings."""

import json

# Outside its strings, JSON text never holds these characters: escaping them throughout is enough.
_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False).translate(_ESCAPES)
