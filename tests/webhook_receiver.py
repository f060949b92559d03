"""A webhook receiver on loopback, as another tool would run one: a real HTTP server in a thread that keeps what
it was sent and answers as told. And the README's verification snippet, taken from the README itself."""

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


class Receiver:
    def __init__(self, port: int = 0, status: int = 204, location: str = ""):
        self.got: list[tuple[dict, bytes]] = []
        self.status, self.location = status, location
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.got.append((dict(self.headers), body))
                self.send_response(receiver.status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                answer = b"Receiver says no" if receiver.status >= 400 else b""
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/workbench"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def readme_verify():
    """`verify(secret, headers, body)` as the README's Webhooks section gives it to receivers."""
    section = README.split("\n### Verifying a delivery\n", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)[1]
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - our own README's snippet
    return namespace["verify"]


def readme_cms_script():
    """`verified_claims(workbench, token, claim_set)`, the CMS's script in the README's Webhooks section."""
    section = README.split("\n### A CMS, end to end\n", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)[1]
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - our own README's snippet
    return namespace["verified_claims"]
