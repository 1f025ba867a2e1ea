"""Where the checkout lies: the one module every layer may import for a path."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
