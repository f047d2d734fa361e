"""E0: the smallest Flask app, the yardstick the pages are measured against (``make bench``).

Served by gunicorn with the same workers as the app: what a page costs beyond
this is the app's own cost.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"
