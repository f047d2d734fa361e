"""`make screenshots`: the README's pictures of the main screens, made from the demo.

Serves the app on a throw-away SQLite database with `flask demo load`, opens the
process page, an idea, the ballot, the summary and the area page in Debian's
Chromium at 1280 and 360 px wide (Dutch, the default interface) and writes them to
docs/screenshots/. Run it after changing one of those screens; the images are in git.
"""

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.conftest import free_port

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
PROCESS = "voorbeeld-groenere-woonstraat"
BUDGET = "voorbeeld-wijkbudget"

#: name -> (path, account to log in with or None)
SCREENS = {
    "process": (f"/processen/{PROCESS}", None),
    "idea": (None, None),  # the process's most supported idea, found on its list
    "summary": (f"/processen/{BUDGET}/samenvatting", None),
    "area": ("/gebieden/WK015306", None),
    "ballot": (f"/processen/{BUDGET}-stemcode/begroting", "bewoner@example.org"),
}
WIDTHS = {"wide": (1280, 1000), "phone": (360, 780)}


def _serve(database: Path, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "FLASK_APP": "participatie",
        "DATABASE_URL": f"sqlite:///{database}",
        "RATELIMIT_ENABLED": "false",
        "DEMO_PASSWORD": "wijk-en-buurt-samen-2026",
    }
    flask = [sys.executable, "-m", "flask"]
    subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([*flask, "demo", "load"], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [*flask, "run", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/huisregels", timeout=1).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the app did not start")


def _log_in(page, email):
    page.goto("/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill("wijk-en-buurt-samen-2026")
    page.get_by_role("button", name="Inloggen", exact=True).click()
    page.wait_for_load_state()


def main() -> None:
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        raise SystemExit(f"{CHROMIUM} is missing: install Debian's chromium (make browser)")
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        server = _serve(Path(folder) / "screenshots.sqlite3", port)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                )
                for width_name, (width, height) in WIDTHS.items():
                    context = browser.new_context(
                        base_url=f"http://127.0.0.1:{port}",
                        viewport={"width": width, "height": height},
                        locale="nl-NL",
                    )
                    page = context.new_page()
                    logged_in = None
                    for name, (path, account) in SCREENS.items():
                        # Logged-out screens come first: logging out is a form.
                        if account and account != logged_in:
                            _log_in(page, account)
                            logged_in = account
                        if path is None:
                            page.goto(f"/processen/{PROCESS}/ideeen?sort=supports")
                            path = page.locator(".idea-card a").first.get_attribute("href")
                        page.goto(path)
                        target = OUT / f"{name}-{width_name}.jpg"
                        page.screenshot(path=str(target), type="jpeg", quality=80)
                        print(f"{target.relative_to(ROOT)}  {path}")
                    context.close()
                browser.close()
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
