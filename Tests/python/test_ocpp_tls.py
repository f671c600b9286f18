"""Security profiles 2 and 3 over wss://: `ocpp809 ocpp serve` with the test PKI (Tests/Fixtures/tls), and the
`ocpp` package's chargers on `websockets` with Python's own TLS (OpenSSL) as the client side."""
import asyncio
import ssl
import subprocess

import pytest
import websockets
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v201 import call as call201

from conftest import BIN, ROOT
from ocpp_central import TLS, CentralSystemProcess, basic, handshake_status, run
from test_ocpp_interop import Charger201

SECRET = "s3cret:with-colon"


@pytest.fixture
def tls_site(monkeypatch):
    monkeypatch.setenv("OCPP809_TEST_BASIC1_KEY", SECRET)
    process = CentralSystemProcess(str(ROOT / "Tests" / "python" / "fixtures" / "chargers.yaml"), tls=True)
    yield process
    process.stop()


def client_tls(certificate=None):
    """A client context that trusts the test authority and checks the server's name, presenting `certificate`."""
    context = ssl.create_default_context(cafile=str(TLS / "ca.pem"))
    if certificate:
        context.load_cert_chain(str(TLS / f"{certificate}.pem"), str(TLS / f"{certificate}.key"))
    return context


def test_profile_two_charger_boots_over_wss_and_accepts_our_charging_profile(tls_site):
    async def charger():
        async with websockets.connect(f"wss://127.0.0.1:{tls_site.tls_port}/ocpp/TLS1", subprotocols=["ocpp2.0.1"],
                                      additional_headers=basic("TLS1", SECRET), ssl=client_tls()) as ws:
            cp = Charger201("TLS1", ws)
            task = asyncio.create_task(cp.start())
            boot = await cp.call(call201.BootNotification(charging_station={"model": "M", "vendor_name": "V"},
                                                          reason="PowerUp"))
            await asyncio.to_thread(tls_site.next_event, lambda e: e["event"] == "connected" and e["charger"] == "TLS1")
            tls_site.send({"to": "TLS1", "request": {"SetChargingProfile": {"evse": 1, "limit": 7400, "unit": "W",
                                                                            "purpose": "TxDefaultProfile"}}})
            outcome = await asyncio.to_thread(tls_site.next_event, lambda e: e["event"] == "outcome")
            task.cancel()
            return boot, outcome

    Charger201.received = []
    boot, outcome = run(charger())
    assert boot.status == "Accepted"
    assert outcome["charger"] == "TLS1" and outcome["accepted"], outcome
    name, evse, profile = Charger201.received[0]
    assert (name, evse) == ("SetChargingProfile", 1)
    assert profile["charging_schedule"][0]["charging_schedule_period"][0]["limit"] == 7400


def test_profile_two_needs_tls_and_the_password(tls_site):
    assert run(handshake_status(tls_site.port, "ocpp/TLS1", basic("TLS1", SECRET))) == 403
    assert run(handshake_status(tls_site.tls_port, "ocpp/TLS1", tls=client_tls())) == 401
    assert run(handshake_status(tls_site.tls_port, "ocpp/TLS1", basic("TLS1", "wrong"), tls=client_tls())) == 401
    assert run(handshake_status(tls_site.tls_port, "ocpp/TLS1", basic("TLS1", SECRET), tls=client_tls())) == 101
    # Profile 1 may use TLS too, and profile 0 is unaffected by it.
    assert run(handshake_status(tls_site.tls_port, "ocpp/BASIC1", basic("BASIC1", SECRET), tls=client_tls())) == 101
    assert run(handshake_status(tls_site.tls_port, "ocpp/OPEN1", tls=client_tls())) == 101


def test_profile_three_charger_proves_its_identity_with_its_certificate(tls_site):
    async def charger():
        async with websockets.connect(f"wss://127.0.0.1:{tls_site.tls_port}/ocpp/CERT1", subprotocols=["ocpp1.6"],
                                      ssl=client_tls("CERT1")) as ws:
            cp = ChargePoint16("CERT1", ws)
            task = asyncio.create_task(cp.start())
            boot = await cp.call(call16.BootNotification(charge_point_model="M", charge_point_vendor="V"))
            task.cancel()
            return boot

    assert run(charger()).status == "Accepted"
    assert tls_site.next_event(lambda e: e["event"] == "connected")["charger"] == "CERT1"
    # No certificate, a password instead, plain ws, or a valid certificate that names another charger: 403.
    assert run(handshake_status(tls_site.tls_port, "ocpp/CERT1", tls=client_tls())) == 403
    assert run(handshake_status(tls_site.tls_port, "ocpp/CERT1", basic("CERT1", SECRET), tls=client_tls())) == 403
    assert run(handshake_status(tls_site.port, "ocpp/CERT1")) == 403
    assert run(handshake_status(tls_site.tls_port, "ocpp/CERT2", tls=client_tls("TLS1"))) == 403
    assert run(handshake_status(tls_site.tls_port, "ocpp/CERT2", tls=client_tls("CERT1"))) == 403


@pytest.mark.filterwarnings("ignore:ssl.TLSVersion.TLSv1_1 is deprecated:DeprecationWarning")
def test_untrusted_certificate_plain_http_and_old_tls_are_refused_and_the_server_serves_on(tls_site):
    async def rogue():
        try:
            await handshake_status(tls_site.tls_port, "ocpp/CERT1", tls=client_tls("rogue-CERT1"))
        except (ssl.SSLError, ConnectionError, websockets.exceptions.WebSocketException, EOFError) as error:
            return type(error).__name__
        return "connected"

    assert run(rogue()) != "connected"

    async def plain_on_tls_port():
        reader, writer = await asyncio.open_connection("127.0.0.1", tls_site.tls_port)
        writer.write(b"GET /ocpp/OPEN1 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), 5)
        writer.close()
        return answer

    assert not run(plain_on_tls_port()).startswith(b"HTTP/")

    async def old_tls():
        context = client_tls()
        context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
        context.maximum_version = ssl.TLSVersion.TLSv1_1
        try:
            await handshake_status(tls_site.tls_port, "ocpp/OPEN1", tls=context)
        except (ssl.SSLError, ConnectionError, EOFError) as error:
            return type(error).__name__
        return "connected"

    assert run(old_tls()) != "connected"
    tls_site.send({"status": True})
    assert tls_site.next_event(lambda e: e["event"] == "status")["connected"] == []
    assert run(handshake_status(tls_site.tls_port, "ocpp/CERT1", tls=client_tls("CERT1"))) == 101


def test_tls_setup_problems_stop_the_command_naming_the_file():
    missing = str(TLS / "absent.pem")
    result = subprocess.run([str(BIN), "ocpp", "serve", "--tls-listen", "127.0.0.1:0", "--tls-certificate", missing,
                             "--tls-key", str(TLS / "server.key")], capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and missing in result.stderr, result.stderr
    result = subprocess.run([str(BIN), "ocpp", "serve", "--tls-listen", "127.0.0.1:0", "--tls-certificate",
                             str(TLS / "server.pem"), "--tls-key", str(TLS / "unrelated.key")],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1 and "refused" in result.stderr, result.stderr
    result = subprocess.run([str(BIN), "ocpp", "serve", "--tls-listen", "127.0.0.1:0"],
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "--tls-certificate" in result.stderr, result.stderr


def test_site_without_tls_listener_says_which_chargers_cannot_connect(monkeypatch):
    monkeypatch.setenv("OCPP809_TEST_BASIC1_KEY", SECRET)
    process = CentralSystemProcess(str(ROOT / "Tests" / "python" / "fixtures" / "chargers.yaml"))
    try:
        problems = [process.next_event(lambda e: e["event"] == "error")["message"] for _ in range(3)]
    finally:
        process.stop()
    assert any("TLS1" in p and "needs TLS" in p for p in problems), problems
    assert any("CERT1" in p and "needs TLS" in p for p in problems), problems


def test_site_file_configures_tls_with_paths_relative_to_itself(tmp_path, monkeypatch):
    import shutil
    import socket
    monkeypatch.setenv("OCPP809_TEST_BASIC1_KEY", SECRET)
    (tmp_path / "keys").mkdir()
    for name in ("server.pem", "server.key", "ca.pem"):
        shutil.copy(TLS / name, tmp_path / "keys" / name)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    site = (ROOT / "Tests" / "python" / "fixtures" / "chargers.yaml").read_text()
    site = site.replace('ocpp:\n  listen: "127.0.0.1:9000"\n', f"""ocpp:
  listen: "127.0.0.1:9000"
  unknown_chargers: accept
  tls:
    listen: "127.0.0.1:{port}"
    certificate: keys/server.pem
    private_key: keys/server.key
    client_ca: keys/ca.pem
""")
    assert "tls:" in site
    (tmp_path / "site.yaml").write_text(site)
    process = CentralSystemProcess(str(tmp_path / "site.yaml"), listeners=2)
    try:
        assert process.tls_port == port
        assert run(handshake_status(port, "ocpp/CERT1", tls=client_tls("CERT1"))) == 101
        assert run(handshake_status(port, "ocpp/TLS1", basic("TLS1", SECRET), tls=client_tls())) == 101
        # unknown_chargers: accept lets identities the site does not list in, on either listener.
        assert run(handshake_status(process.port, "ocpp/VISITOR")) == 101
    finally:
        process.stop()
