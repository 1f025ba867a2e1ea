"""The settlement calculator: pure (standard library and Babel's data only), exact, no I/O."""

from .codec import InvalidDocument, parse_document, parse_json, settlement_to_json
from .settlement import Line, Settlement, settle
from .terms import Terms

__all__ = [
    "InvalidDocument",
    "Line",
    "Settlement",
    "Terms",
    "parse_document",
    "parse_json",
    "settle",
    "settlement_to_json",
]
