"""Documents: Jinja HTML + CSS -> WeasyPrint -> bytes, from plain data; no database, no Flask."""
