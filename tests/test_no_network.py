"""No network: every page renders with every non-loopback connection refused and recorded.

The pages are globbed, so a new page is covered the day it is added. The guard records each
attempt as well as raising, so a caller that swallows the error still fails the test.
"""

import ipaddress
import json
import socket
import tomllib
import urllib.request

import pytest

from data.survey import MAX_UPLOAD_MB
from paths import PAGES, ROOT
from tests.apptest import app, no_exception
from tests.bad_inputs.corpus import GOOD, csv_text

PAGE_FILES = sorted(p.name for p in PAGES.glob("*.py"))
DEFAULT_PAGE = "kaart.py"  # st.Page(..., default=True) in app.py
CBSODATA_CALLS = ("get_data", "get_meta", "get_table_list", "get_info")


def is_local(host: object) -> bool:
    """Tell whether a host is this machine (loopback address, 'localhost', no host)."""
    if host is None or host in ("localhost", b"localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.decode() if isinstance(host, bytes) else host).is_loopback
    except ValueError:
        return False


@pytest.fixture
def no_network(monkeypatch):
    """Refuse and record any connection, datagram or name lookup beyond loopback, and cbsodata."""
    import cbsodata

    attempts: list[str] = []

    def refuse(what: str, target: object) -> None:
        attempts.append(f"{what} {target!r}")
        raise AssertionError(f"network access attempted: {what} {target!r}")

    def inet(sock: socket.socket, address: object) -> bool:
        return sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple)

    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_sendto, real_getaddrinfo = socket.socket.sendto, socket.getaddrinfo

    def connect(sock, address):
        if inet(sock, address) and not is_local(address[0]):
            refuse("connect", address)
        return real_connect(sock, address)

    def connect_ex(sock, address):
        if inet(sock, address) and not is_local(address[0]):
            refuse("connect_ex", address)
        return real_connect_ex(sock, address)

    def sendto(sock, data, *args):
        address = args[-1]
        if inet(sock, address) and not is_local(address[0]):
            refuse("sendto", address)
        return real_sendto(sock, data, *args)

    def getaddrinfo(host, *args, **kwargs):
        if not is_local(host):
            refuse("getaddrinfo", host)
        return real_getaddrinfo(host, *args, **kwargs)

    def create_connection(address, *args, **kwargs):
        if not is_local(address[0]):
            refuse("create_connection", address)
        return real_create_connection(address, *args, **kwargs)

    real_create_connection = socket.create_connection
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket.socket, "sendto", sendto)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    for name in CBSODATA_CALLS:
        monkeypatch.setattr(
            cbsodata, name, lambda *a, _name=name, **k: refuse(f"cbsodata.{_name}", a)
        )
    return attempts


def open_page(name: str):
    at = app().run()
    if name != DEFAULT_PAGE:
        at.switch_page(f"ui/pages/{name}").run()
    return at


def test_pages_are_found():
    assert {"kaart.py", "enquete.py", "bronnen.py"} <= set(PAGE_FILES)


@pytest.mark.parametrize("page_file", PAGE_FILES)
def test_page_renders_without_network(no_network, page_file):
    at = open_page(page_file)
    no_exception(at)
    assert no_network == []
    assert at.title, f"{page_file} rendered no title"


def test_survey_upload_and_results_without_network(no_network):
    at = open_page("enquete.py")
    upload = csv_text(GOOD * 10).encode("utf-8-sig")
    at.file_uploader(key="enquete_bestand").upload("enquete.csv", upload, "text/csv").run()
    at.button(key="enquete_bereken").click().run()
    no_exception(at)
    assert no_network == []
    assert {m.label: m.value for m in at.metric}["Respondenten"] == "60"


def test_the_map_figure_asks_the_browser_for_nothing():
    """The browser fetches what the figure names: no tile, style, font or topojson URL."""
    at = open_page(DEFAULT_PAGE)
    specs = [el.proto.spec for el in at.get("plotly_chart")]
    assert specs
    for spec in specs:
        figure = json.loads(spec)
        assert figure["layout"]["map"]["style"] == "white-bg"
        assert "http://" not in spec and "https://" not in spec


# --- the guard itself ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "attempt",
    [
        lambda: socket.create_connection(("192.0.2.1", 80), timeout=0.1),
        lambda: socket.socket().connect(("192.0.2.1", 80)),
        lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", ("192.0.2.1", 53)),
        lambda: urllib.request.urlopen("http://opendata.cbs.nl/", timeout=0.1),
    ],
    ids=["create_connection", "connect", "sendto", "urlopen"],
)
def test_the_guard_refuses_and_records_the_internet(no_network, attempt):
    with pytest.raises(AssertionError, match="network access attempted"):
        attempt()
    assert len(no_network) == 1


def test_the_guard_refuses_cbsodata(no_network):
    import cbsodata

    with pytest.raises(AssertionError, match="cbsodata.get_data"):
        cbsodata.get_data("86165NED")


def test_the_guard_lets_loopback_through(no_network):
    with socket.create_server(("127.0.0.1", 0)) as server:
        with socket.create_connection(server.getsockname(), timeout=5):
            pass
    assert no_network == []


# --- the shipped Streamlit config --------------------------------------------------------------


def test_shipped_config_sends_no_usage_statistics_and_limits_uploads():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB
