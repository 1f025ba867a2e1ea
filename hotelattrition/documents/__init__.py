"""Documents: Jinja HTML + CSS -> WeasyPrint -> bytes, from plain data; no database, no Flask.

WeasyPrint is imported by render.py alone, on the first render: code that only reads documents
(a payment, a verification) never loads it.
"""


class RenderError(Exception):
    """The renderer failed; the message says why. The document can be rendered again."""
