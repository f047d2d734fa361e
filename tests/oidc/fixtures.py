"""A real OpenID Connect provider on loopback (npm's oidc-provider, tests/oidc/provider.mjs).

``make test`` installs it (``make oidc-provider``: ``npm ci`` in tests/oidc/).
Without Node.js or the installed package the tests that need it are skipped
with a loud notice, except with CI=true, where they fail.
"""

import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests

from tests.conftest import free_port

HERE = Path(__file__).parent
KEY = "test"
CLIENT_ID = "participatie-test"
CLIENT_SECRET = "een geheim van de test-client"
#: The test accounts of provider.mjs: log-in name -> password.
ACCOUNTS = {"jan": "jan-wachtwoord", "kim": "kim-wachtwoord"}


def environment(issuer: str, label="Test-inlogdienst") -> dict[str, str]:
    """The app's variables for the provider at ``issuer``, with the address claims mapped."""
    prefix = f"OIDC_{KEY.upper()}_"
    return {
        "OIDC_PROVIDERS": KEY,
        prefix + "ISSUER": issuer,
        prefix + "CLIENT_ID": CLIENT_ID,
        prefix + "CLIENT_SECRET": CLIENT_SECRET,
        prefix + "SCOPES": "openid profile address email",
        prefix + "LABEL": label,
        prefix + "CLAIM_POSTCODE": "address.postal_code",
        prefix + "CLAIM_HOUSE_NUMBER": "house_number",
    }


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "Node.js is missing: the OpenID Connect tests cannot run (install Node.js 20+)"
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        return "tests/oidc/node_modules is missing: run `make oidc-provider` (npm ci in tests/oidc)"
    return None


def require_node() -> None:
    message = _missing()
    if message is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip("!!! " + message)


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen
    reader: threading.Thread

    def environment(self) -> dict[str, str]:
        return environment(self.issuer)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.reader.join(timeout=10)
        self.process.stdout.close()


def start_provider(redirect_uris: list[str], port: int | None = None) -> Provider:
    """Start provider.mjs on ``port`` (a free one by default); return once it listens."""
    require_node()
    port = port or free_port()
    environment = {
        **os.environ,
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URIS": ",".join(redirect_uris),
        "NODE_ENV": "test",
    }
    process = subprocess.Popen(
        ["node", str(HERE / "provider.mjs")],
        cwd=HERE,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    ready = threading.Event()
    lines = []

    def read():
        for line in process.stdout:
            lines.append(line)
            if line.startswith("ready "):
                ready.set()
        ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    provider = Provider(issuer=f"http://127.0.0.1:{port}", process=process, reader=reader)
    if not ready.wait(timeout=30) or process.poll() is not None:
        provider.stop()
        raise RuntimeError("the OpenID provider did not start:\n" + "".join(lines))
    return provider


def log_in_at_provider(authorize_url: str, login="jan", password=None, abort=False) -> str:
    """Go through the provider's log-in form as a person would; return the URL it sends
    the browser back to (the app's callback, with ``code`` and ``state`` or ``error``)."""
    browser = requests.Session()
    url = authorize_url
    form_url = None
    for _hop in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code in (302, 303) and response.headers["location"]:
            target = urljoin(url, response.headers["location"])
            if not target.startswith(authorize_url.split("/auth")[0]):
                return target
            url = target
            continue
        form = re.search(r'action="(/interaction/[^"]+/login)"', response.text)
        assert form, f"no log-in form at {url}: {response.status_code} {response.text[:300]}"
        form_url = urljoin(url, form.group(1))
        break
    assert form_url, "the provider showed no log-in form"
    if abort:
        response = browser.post(
            form_url.replace("/login", "/abort"), allow_redirects=False, timeout=10
        )
    else:
        response = browser.post(
            form_url,
            data={"login": login, "password": password or ACCOUNTS[login]},
            allow_redirects=False,
            timeout=10,
        )
    url = urljoin(form_url, response.headers["location"])
    issuer = authorize_url.split("/auth")[0]
    for _hop in range(10):
        if not url.startswith(issuer):
            return url
        response = browser.get(url, allow_redirects=False, timeout=10)
        assert response.status_code in (302, 303), response.text[:300]
        url = urljoin(url, response.headers["location"])
    raise AssertionError("the provider did not send the browser back")


@pytest.fixture(scope="module")
def oidc_provider():
    """The provider for the Flask test client, whose address is http://localhost."""
    provider = start_provider([f"http://localhost/inloggen/oidc/{KEY}/terug"])
    yield provider
    provider.stop()
