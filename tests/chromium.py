"""A small headless-Chromium driver over the DevTools protocol (websockets), for browser tests:
open a page, evaluate JavaScript, click, take a screenshot, and collect console errors and every
URL the page requested. No network beyond loopback: other hosts do not resolve."""
from __future__ import annotations

import base64
import json
import shutil
import subprocess
import time
from pathlib import Path

import httpx
from websockets.sync.client import connect

EXECUTABLE = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--window-size=1280,1400", "--remote-debugging-port=0",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


class Chromium:
    """One headless Chromium with one page; ``errors`` and ``requests`` fill as pages load."""

    def __init__(self, profile: Path, *, timeout: float = 60.0):
        self.timeout = timeout
        self.proc = subprocess.Popen([EXECUTABLE, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = profile / "DevToolsActivePort"
        deadline = time.time() + timeout
        while not (port_file.exists() and port_file.read_text().strip()):
            if time.time() > deadline or self.proc.poll() is not None:
                self.close()
                raise RuntimeError("chromium did not start")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        pages = [t for t in httpx.get(f"http://127.0.0.1:{port}/json/list").json() if t["type"] == "page"]
        self.ws = connect(pages[0]["webSocketDebuggerUrl"], max_size=None, open_timeout=timeout)
        self._id = 0
        self.events: list[dict] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")

    def send(self, method: str, **params) -> dict:
        """Call a DevTools method and return its result (events met meanwhile are recorded)."""
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            message = self._receive()
            if message.get("id") == self._id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']['message']}")
                return message.get("result", {})

    def _receive(self, timeout: float | None = None) -> dict:
        message = json.loads(self.ws.recv(timeout=timeout or self.timeout))
        method = message.get("method")
        if method:
            self.events.append(message)
            p = message["params"]
            if method == "Runtime.exceptionThrown":
                self.errors.append(p["exceptionDetails"].get("exception", {}).get("description")
                                   or p["exceptionDetails"]["text"])
            elif method == "Runtime.consoleAPICalled" and p["type"] in ("error", "assert"):
                self.errors.append(" ".join(str(a.get("value", a.get("description"))) for a in p["args"]))
            elif method == "Log.entryAdded" and p["entry"]["level"] == "error":
                self.errors.append(f"{p['entry']['text']} {p['entry'].get('url', '')}".strip())
            elif method == "Network.requestWillBeSent":
                self.requests.append(p["request"]["url"])
        return message

    def wait_for(self, event: str, timeout: float | None = None) -> dict:
        deadline = time.time() + (timeout or self.timeout)
        seen = len(self.events)
        while True:
            for message in self.events[seen:]:
                if message["method"] == event:
                    return message["params"]
            seen = len(self.events)
            left = deadline - time.time()
            if left <= 0:
                raise TimeoutError(f"no {event}")
            self._receive(timeout=left)

    def open(self, url: str) -> None:
        """Navigate to ``url`` and wait for its load event (and a moment for scripts)."""
        self.events.clear()
        self.send("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        self.settle()

    def settle(self, seconds: float = 0.3) -> None:
        end = time.time() + seconds
        while time.time() < end:
            try:
                self._receive(timeout=max(0.01, end - time.time()))
            except TimeoutError:
                break

    def eval(self, expression: str):
        """The value of a JavaScript expression (promises awaited).

        :raises RuntimeError: the expression threw.
        """
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(result["exceptionDetails"].get("exception", {}).get("description", "JS error"))
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """Click the first element matching ``selector`` and wait for the page it opens."""
        self.events.clear()
        self.eval(f"document.querySelector({json.dumps(selector)}).click()")
        self.wait_for("Page.loadEventFired")
        self.settle()

    def screenshot(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", format="png")["data"]))
        return path

    def close(self) -> None:
        if getattr(self, "ws", None):
            self.ws.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
