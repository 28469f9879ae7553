"""A browserless Streamlit client: the frontend's websocket protocol, for load tests (issue #14).

It speaks what ``frontend/app/src/App.tsx`` and ``connection/WebsocketConnection.tsx`` speak:
open ``/_stcore/stream`` with the sub-protocols ``streamlit, <xsrf token>``, send a
``BackMsg.rerun_script`` (a ``ClientState``: query string, page name, widget states) and read
``ForwardMsg`` frames until ``script_finished``. Widgets are found in the ``delta`` messages
(their id, label and formatted options), so a session can change a selectbox the way a user
does: a rerun carrying every widget's value. A file upload goes as the browser sends it:
``file_urls_request`` over the websocket, a multipart PUT to ``/_stcore/upload_file/…`` with the
XSRF cookie and header, then a rerun with the uploader's state.

Only for loopback benchmarks and tests: every wait has a timeout, nothing is logged.
"""

from __future__ import annotations

import asyncio
import re
import socket
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect
from websockets.typing import Subprotocol

#: Seconds any one script run may take before the client counts it as failed.
RUN_TIMEOUT_S = 120
FINISHED_OK = (
    ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY,
    ForwardMsg.ScriptFinishedStatus.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
)
#: A CommonMark backslash escape of an ASCII punctuation character.
_MARKDOWN_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
#: Element types whose widget state is a ``string_value`` holding the formatted option.
STRING_CHOICE = ("selectbox", "radio")


class RunError(RuntimeError):
    """A script run that ended in an exception, a compile error or a timeout."""


@dataclass
class Widget:
    """A widget as the frontend knows it: its proto type, id, label and formatted options."""

    kind: str
    id: str
    label: str
    options: list[str] = field(default_factory=list)
    value: str | None = None


@dataclass
class Run:
    """What one script run sent: its seconds, bytes, texts and the exceptions it showed."""

    seconds: float
    bytes: int = 0
    texts: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)


def xsrf_cookie(base_url: str, *, timeout: float = 10) -> tuple[str, str, str]:
    """GET ``/_stcore/health``; return (XSRF cookie value, every cookie as a header, upstream).

    Behind nginx with cookie affinity this also returns the affinity cookie, so the upload
    and the websocket reach the same process; ``upstream`` is nginx's ``X-Sbd-Upstream``
    header when scripts/serve-replicas.sh runs with SBD_DEBUG_UPSTREAM=1 (else "").
    """
    with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=timeout) as resp:
        jar = SimpleCookie()
        for header in resp.headers.get_all("Set-Cookie") or []:
            jar.load(header)
        # nginx lists every process it tried ("a, b" when a was down): b answered.
        upstream = resp.headers.get("X-Sbd-Upstream", "").rsplit(", ", 1)[-1]
    token = jar["_streamlit_xsrf"].value if "_streamlit_xsrf" in jar else ""
    return token, "; ".join(f"{k}={m.value}" for k, m in jar.items()), upstream


def free_ports(count: int) -> int:
    """Return a first port such that ``count`` consecutive loopback ports are free."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        if first + count > 65000:
            continue
        socks = []
        try:
            for port in range(first, first + count):
                sock = socket.socket()
                socks.append(sock)
                sock.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for sock in socks:
                sock.close()
    raise RuntimeError("no free loopback ports")


class Session:
    """One browser tab's connection: ``async with Session(url) as s: await s.run(...)``."""

    def __init__(self, base_url: str, *, page: str = "", query: str = "") -> None:
        self.base_url = base_url.rstrip("/")
        self.page = page
        self.query = query
        self.session_id = ""
        self.page_hash = ""
        self.widgets: dict[str, Widget] = {}
        self.bytes_in = 0
        self.upstream = ""
        self._conn: ClientConnection | None = None
        self._xsrf = ""
        self._cookies = ""

    async def __aenter__(self) -> Session:
        self._xsrf, self._cookies, self.upstream = await asyncio.to_thread(
            xsrf_cookie, self.base_url
        )
        ws_url = "ws" + self.base_url.removeprefix("http") + "/_stcore/stream"
        headers = {"Cookie": self._cookies} if self._cookies else {}
        self._conn = await connect(
            ws_url,
            subprotocols=[Subprotocol("streamlit"), Subprotocol(self._xsrf or "PLACEHOLDER")],
            additional_headers=headers,
            max_size=None,
            open_timeout=30,
            ping_interval=None,
        )
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._conn is not None:
            await self._conn.close()

    @property
    def _ws(self) -> ClientConnection:
        if self._conn is None:
            raise RuntimeError("not connected: use 'async with Session(...)'")
        return self._conn

    async def _send(self, msg: BackMsg) -> None:
        await self._ws.send(msg.SerializeToString())

    async def run(
        self, changes: dict[str, str] | None = None, *, timeout: float = RUN_TIMEOUT_S
    ) -> Run:
        """Request a rerun with the widgets labelled in ``changes`` set; wait until it ends.

        The first call is the page load (the query string and page name of the URL). Returns
        the seconds from sending the request to ``script_finished``.
        """
        states = []
        for widget in self.widgets.values():
            wanted = (changes or {}).get(widget.label, widget.value)
            if widget.kind in STRING_CHOICE and wanted is not None:
                if wanted not in widget.options:
                    raise KeyError(f"{widget.label!r} has no option {wanted!r}")
                states.append(WidgetState(id=widget.id, string_value=wanted))
        return await self._rerun(states, timeout)

    async def _rerun(self, states: list[WidgetState], timeout: float) -> Run:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        state.page_name = "" if self.page_hash else self.page
        state.widget_states.widgets.extend(states)
        start = time.perf_counter()
        await self._send(msg)
        return await asyncio.wait_for(self._until_finished(start), timeout)

    async def _until_finished(self, start: float) -> Run:
        run = Run(0.0)
        seen: set[str] = set()
        while True:
            data = await self._ws.recv()
            run.bytes += len(data)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.session_id = fwd.new_session.initialize.session_id
            elif kind == "navigation":
                self.page_hash = fwd.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._element(fwd.delta.new_element, run, seen)
            elif kind == "script_finished":
                status = fwd.script_finished
                if status in FINISHED_OK:
                    run.seconds = time.perf_counter() - start
                    self.bytes_in += run.bytes
                    # Widgets not drawn in this run are gone (another page, an st.stop).
                    self.widgets = {k: w for k, w in self.widgets.items() if k in seen}
                    if run.exceptions:
                        raise RunError("; ".join(run.exceptions))
                    return run
                if status != ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN:
                    raise RunError(ForwardMsg.ScriptFinishedStatus.Name(status))

    def _element(self, element, run: Run, seen: set[str]) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
            return
        if kind in ("markdown", "heading", "alert"):
            # As shown: the app escapes user text for Markdown (analysis.user_text).
            run.texts.append(_MARKDOWN_ESCAPE.sub(r"\1", getattr(element, kind).body))
            return
        proto: Any = getattr(element, kind)
        widget_id = getattr(proto, "id", "")
        if not widget_id or not hasattr(proto, "label"):
            return
        seen.add(widget_id)
        options = list(getattr(proto, "options", []))
        value = None
        if kind in STRING_CHOICE:
            if proto.HasField("raw_value"):
                value = proto.raw_value
            elif proto.HasField("default") and proto.default < len(options):
                value = options[proto.default]
            old = self.widgets.get(widget_id)
            if old is not None and old.value in options and not proto.set_value:
                value = old.value  # what the user chose stays, as in the frontend
        self.widgets[widget_id] = Widget(kind, widget_id, proto.label, options, value)

    def set_value(self, label: str, value: str) -> None:
        """Remember a value the user chose (called after a successful rerun with it)."""
        for widget in self.widgets.values():
            if widget.label == label:
                widget.value = value

    def widget(self, label: str) -> Widget:
        """Return the widget with this label (KeyError if the page did not draw one)."""
        for widget in self.widgets.values():
            if widget.label == label:
                return widget
        raise KeyError(label)

    async def upload(self, label: str, name: str, content: bytes, *, mime: str = "text/csv") -> Run:
        """Upload one file into the file uploader labelled ``label``, as the browser does."""
        uploader = self.widget(label)
        request_id = uuid.uuid4().hex
        msg = BackMsg()
        msg.file_urls_request.request_id = request_id
        msg.file_urls_request.session_id = self.session_id
        msg.file_urls_request.file_names.append(name)
        await self._send(msg)
        urls = await asyncio.wait_for(self._file_urls(request_id), RUN_TIMEOUT_S)
        await asyncio.to_thread(self._put, urls.upload_url, name, content, mime)
        state = WidgetState(id=uploader.id)
        info = state.file_uploader_state_value.uploaded_file_info.add()
        info.file_id = urls.file_id
        info.name = name
        info.size = len(content)
        info.file_urls.CopyFrom(urls)
        return await self._rerun([state], RUN_TIMEOUT_S)

    async def _file_urls(self, request_id: str):
        while True:
            fwd = ForwardMsg()
            fwd.ParseFromString(await self._ws.recv())
            if fwd.WhichOneof("type") == "file_urls_response":
                resp = fwd.file_urls_response
                if resp.response_id == request_id:
                    if resp.error_msg:
                        raise RunError(resp.error_msg)
                    return resp.file_urls[0]

    def _put(self, upload_url: str, name: str, content: bytes, mime: str) -> None:
        boundary = uuid.uuid4().hex
        body = (
            (
                f"--{boundary}\r\n"
                f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
                f"Content-Type: {mime}\r\n\r\n"
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        url = upload_url if upload_url.startswith("http") else self.base_url + upload_url
        req = urllib.request.Request(url, data=body, method="PUT")
        req.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        req.add_header("X-Xsrftoken", self._xsrf)
        if self._cookies:
            req.add_header("Cookie", self._cookies)
        with urllib.request.urlopen(req, timeout=30) as resp:
            if resp.status not in (200, 204):
                raise RunError(f"upload answered HTTP {resp.status}")
