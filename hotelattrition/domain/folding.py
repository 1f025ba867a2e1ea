"""Text folded for searching: accents and case ignored, the same for a term and a column."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """The text casefolded, decomposed (NFKD) and stripped of combining marks: "García" -> "garcia".

    Casefolding first: it can itself give letters with marks (İ -> i + dot above), which the
    decomposition then separates and the strip removes.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def search_key(*parts: str | None) -> str:
    """The folded parts joined by a space: what a search column stores."""
    return " ".join(fold(part) for part in parts if part)
