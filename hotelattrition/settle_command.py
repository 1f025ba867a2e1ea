"""Where `hotelattrition settle` lived before the cli/ package; kept for existing imports."""

from __future__ import annotations

from .cli.settle import answer_chunk, answer_line, answer_lines, run, settle_text

__all__ = ["answer_chunk", "answer_line", "answer_lines", "run", "settle_text"]
