"""Screenshots of the catalogue and an enterprise page for the README: docs/img/*.png.

Usage (from the repository root):

    .venv/bin/python scripts/screenshots.py
        Starts its own server on a random loopback port with a throwaway SQLite database
        holding the demo data (manage.py demo_data), takes the screenshots, stops the server.

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000
        Uses a site that is already running with the demo data loaded (e.g. ``make run``).

Options: ``--out DIR`` (default docs/img). Chromium is Debian's /usr/bin/chromium unless
CHROMIUM_PATH says otherwise. Pages are taken at desktop size, 1280×800, in Russian.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ENTERPRISE = "Московский комбинат игрушек"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
        time.sleep(0.2)


@contextmanager
def own_server() -> Iterator[str]:
    """A dev server on a fresh demo database in a temporary directory; yields its base URL."""
    with tempfile.TemporaryDirectory(prefix="mosprom-screens-") as tmp:
        env = {
            **os.environ,
            "MOSPROM_VAR_DIR": tmp,
            "DATABASE_URL": f"sqlite:///{tmp}/db.sqlite3",
            "MOSPROM_MODE": "embedded",
            "DEBUG": "0",
        }
        manage = [sys.executable, str(ROOT / "manage.py")]
        for command in (["migrate", "--noinput", "-v0"], ["demo_data", "-v0"]):
            subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True)  # noqa: S603
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603
            [*manage, "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(url)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)


def take(base_url: str, out: Path) -> list[Path]:
    """Screenshot the catalogue and the toy factory's page into ``out``."""
    from playwright.sync_api import expect, sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    catalogue, enterprise = out / "catalogue.png", out / "enterprise.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context(
                locale="ru-RU", viewport={"width": 1280, "height": 800}, timezone_id="Europe/Moscow"
            )
            page = context.new_page()
            page.goto(f"{base_url}/enterprises/")
            expect(page.locator("#results")).to_be_visible()
            page.screenshot(path=str(catalogue))

            page.goto(f"{base_url}/enterprises/?q=игрушки")
            page.locator("#results").get_by_role("link", name=ENTERPRISE).click()
            expect(page.get_by_role("heading", level=1)).to_have_text(ENTERPRISE)
            page.screenshot(path=str(enterprise), full_page=True)
        finally:
            browser.close()
    return [catalogue, enterprise]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", nargs="?", help="a running site with demo data")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    if args.base_url:
        paths = take(args.base_url.rstrip("/"), args.out)
    else:
        with own_server() as url:
            paths = take(url, args.out)
    for path in paths:
        sys.stdout.write(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}\n")


if __name__ == "__main__":
    main()
