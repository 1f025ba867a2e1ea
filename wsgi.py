"""WSGI entry point: `gunicorn wsgi:app` or any WSGI server."""

from hotelattrition import create_app

app = create_app()
