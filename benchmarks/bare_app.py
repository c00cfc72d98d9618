"""The baseline of benchmarks/pages.py: a bare Flask app that returns a small HTML page.

Served under exactly the same gunicorn settings as the site (`gunicorn ... bare_app:app` with
`--pythonpath benchmarks`), so the ratio site/bare says what the site's own work costs on this machine now.
"""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)

PAGE = """<!doctype html>
<html lang="nl">
<head><meta charset="utf-8"><title>Bare</title></head>
<body><main><h1>Bare Flask</h1><p>A small page without templates, database or extensions.</p></main></body>
</html>
"""


@app.get("/")
def index():
    return PAGE
