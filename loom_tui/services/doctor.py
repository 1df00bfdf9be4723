"""``loom doctor``: what an operator at a jump box needs to know before blaming the console.

Each check gives one line — OK, WARN or FAIL — and, when not OK, the fix.  The network checks
(DNS, TLS, then an unauthenticated HTTP GET of the authority's OpenID document and ARM's metadata
document) run concurrently with a short timeout each, so an air-gapped or offline host gets its
FAIL lines in a few seconds instead of a hang.  DNS runs in a daemon thread: ``getaddrinfo`` cannot
be cancelled, and a stuck resolver must not keep the process alive after the answer is printed.

No Textual import here: the headless command and (later) a TUI screen render the same results.
"""

from __future__ import annotations

import asyncio
import ipaddress
import locale
import os
import socket
import ssl
import stat
import sys
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlsplit

from loom_tui import paths

OK, WARN, FAIL = "OK", "WARN", "FAIL"
MIN_COLS, MIN_ROWS = 80, 24
DEFAULT_TIMEOUT_S = 3.0


@dataclass
class Check:
    area: str
    name: str
    status: str
    detail: str
    fix: str = ""

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    elapsed_s: float = 0.0

    def add(self, area: str, name: str, status: str, detail: str, fix: str = "") -> Check:
        c = Check(area, name, status, detail, fix if status != OK else "")
        self.checks.append(c)
        return c

    @property
    def worst(self) -> str:
        statuses = {c.status for c in self.checks}
        return FAIL if FAIL in statuses else WARN if WARN in statuses else OK

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.worst, "elapsed_s": round(self.elapsed_s, 3), "checks": [c.to_dict() for c in self.checks]}


# ---------------------------------------------------------------- terminal


def check_terminal(report: Report, env: Mapping[str, str], fd: int | None, size: tuple[int, int] | None = None) -> None:
    """``size``: the console's own size when the doctor runs inside it (its stdout is Textual's,
    not a terminal the doctor could ask)."""
    area = "terminal"
    if size is None and fd is not None and os.isatty(fd):
        size = os.get_terminal_size(fd)
    if size is not None:
        cols, rows = size
        if cols < MIN_COLS or rows < MIN_ROWS:
            report.add(area, "size", WARN, f"{cols}x{rows}, smaller than {MIN_COLS}x{MIN_ROWS}",
                       f"enlarge the window to at least {MIN_COLS}x{MIN_ROWS} (the console shows a resize message below that)")
        else:
            report.add(area, "size", OK, f"{cols}x{rows}")
    else:
        report.add(area, "size", WARN, "output is not a terminal (piped or redirected), size unknown",
                   "run `loom doctor` directly in the terminal you will use the console in")

    term = env.get("TERM", "")
    if not term or term == "dumb":
        report.add(area, "TERM", FAIL, f"TERM is {term or 'unset'!r}: no cursor control",
                   "export TERM=xterm-256color (or xterm for 16 colours)")
    else:
        report.add(area, "TERM", OK, term)

    colorterm = env.get("COLORTERM", "").lower()
    forced = env.get("TEXTUAL_COLOR_SYSTEM", "")
    if env.get("NO_COLOR"):
        report.add(area, "colours", OK, "NO_COLOR is set: monochrome (state is shown by text badges, not colour)")
    elif forced:
        report.add(area, "colours", OK, f"TEXTUAL_COLOR_SYSTEM={forced}")
    elif colorterm in ("truecolor", "24bit"):
        report.add(area, "colours", OK, "24-bit colour (COLORTERM)")
    elif term.endswith("256color"):
        report.add(area, "colours", OK, "256 colours")
    elif term and term != "dumb":
        report.add(area, "colours", OK, "16 colours (supported; for more colours export TERM=xterm-256color if your terminal has them)")
    else:
        report.add(area, "colours", WARN, "no colour support detected", "export TERM=xterm-256color")

    encoding = (getattr(sys.stdout, "encoding", None) or locale.getpreferredencoding(False) or "").lower().replace("-", "")
    lang = env.get("LC_ALL") or env.get("LC_CTYPE") or env.get("LANG") or ""
    if encoding == "utf8" or "utf" in lang.lower().replace("-", ""):
        report.add(area, "UTF-8", OK, f"encoding {encoding or '?'}, locale {lang or 'unset'}")
    else:
        report.add(area, "UTF-8", WARN, f"encoding {encoding or 'unknown'}, locale {lang or 'unset'}: box drawing may show as '?'",
                   "export LANG=C.UTF-8 (and set your terminal, e.g. PuTTY: Window > Translation > UTF-8)")

    ssh = env.get("SSH_CONNECTION") or env.get("SSH_CLIENT")
    if ssh:
        src = ssh.split()[0] if ssh.split() else "?"
        report.add(area, "SSH", OK, f"over SSH from {src}")
    else:
        report.add(area, "SSH", OK, "local session (not over SSH)")
    mux = "tmux" if env.get("TMUX") else "screen" if env.get("STY") else None
    if mux:
        report.add(area, "multiplexer", OK, f"inside {mux}")


# ---------------------------------------------------------------- config, profile, cloud


def check_config(report: Report, profile_name: str | None) -> Any:
    """Returns the chosen Profile (None when the config is unusable)."""
    from loom_tui.config import ConfigError, load_config

    area = "config"
    file = paths.config_file()
    try:
        cfg = load_config(file)
    except ConfigError as exc:
        report.add(area, "config file", FAIL, str(exc), f"edit {exc.file}: fix {exc.key}")
        return None
    if file.exists():
        report.add(area, "config file", OK, f"{file} ({len(_declared(file))} profile(s) declared)")
        _check_private(report, area, "config file permissions", file, secret="a Cosmos key" if _has_key(cfg) else None)
    else:
        report.add(area, "config file", OK, f"{file} not found: the built-in 'local' profile is used")
    if cfg.keys:
        from loom_tui.services.binding_ids import describe_unknown, unknown_binding_ids

        unknown = unknown_binding_ids(cfg.keys)
        if unknown:
            report.add(area, "keys", WARN, describe_unknown(unknown),
                       f"edit [keys] in {file}: use ids shown by `?` in the console, or remove these lines")
        else:
            report.add(area, "keys", OK, f"{len(cfg.keys)} key(s) remapped in [keys]")
    chosen = profile_name or cfg.default_profile
    if chosen not in cfg.profiles:
        report.add(area, "profile", FAIL, f"no profile named {chosen!r} (have: {', '.join(sorted(cfg.profiles))})",
                   f"add [profiles.{chosen}] to {file} or pass --profile with one of those names")
        return None
    prof = cfg.profiles[chosen]
    what = "embedded store (local)" if prof.is_local else f"Cosmos DB {prof.cosmos_endpoint} database {prof.cosmos_database}"
    report.add(area, "profile", OK, f"{prof.name}: {what}, cloud {prof.cloud}{', read-only' if prof.read_only else ''}")
    if not prof.is_local and not prof.tenant_id:
        report.add(area, "tenant", WARN, "tenant_id is not set: sign-in uses the 'organizations' authority",
                   f"set tenant_id in [profiles.{prof.name}]")
    if prof.cosmos_key:
        from loom_tui.logs import register_secret

        register_secret(prof.cosmos_key)
    return prof


def _declared(file: Path) -> set[str]:
    import tomllib

    try:
        return set((tomllib.loads(file.read_text(encoding="utf-8")).get("profiles") or {}).keys())
    except (OSError, ValueError):
        return set()


def _has_key(cfg: Any) -> bool:
    return any(p.cosmos_key for p in cfg.profiles.values())


def check_cloud(report: Report, prof: Any) -> Any:
    from loom_tui.azure.clouds import CloudError, get_cloud

    try:
        cloud = get_cloud(prof.cloud)
    except CloudError as exc:
        report.add("config", "cloud", FAIL, str(exc), "register the cloud: loom cloud register NAME --metadata URL|FILE")
        return None
    report.add("config", "cloud", OK, f"{cloud.name}: authority {cloud.authority_host}, ARM {cloud.arm_endpoint} ({cloud.source})")
    return cloud


# ---------------------------------------------------------------- files and permissions


def _check_private(report: Report, area: str, name: str, path: Path, *, secret: str | None = None) -> None:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError as exc:
        report.add(area, name, FAIL, f"{path}: {exc.strerror}", "check the path and its permissions")
        return
    loose = mode & 0o077
    if loose and secret:
        report.add(area, name, FAIL, f"{path} holds {secret} and is readable by others (mode {mode:o})", f"chmod 600 {path}")
    elif mode & 0o007:
        report.add(area, name, WARN, f"{path} is accessible to every user (mode {mode:o})",
                   f"chmod {'700' if path.is_dir() else '600'} {path}")
    else:
        report.add(area, name, OK, f"{path} (mode {mode:o})")


def check_dir(report: Report, area: str, name: str, path: Path) -> None:
    if path.exists():
        if not path.is_dir():
            report.add(area, name, FAIL, f"{path} exists but is not a directory", "move the file away or point to another folder")
            return
        if not os.access(path, os.W_OK | os.X_OK):
            report.add(area, name, FAIL, f"{path} is not writable by you", f"fix ownership: chown -R $USER {path}")
            return
        _check_private(report, area, name, path)
        return
    parent = path.parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if os.access(parent, os.W_OK | os.X_OK):
        report.add(area, name, OK, f"{path} does not exist yet; it will be created (owner-only) on first use")
    else:
        report.add(area, name, FAIL, f"{path} does not exist and {parent} is not writable",
                   "point LOOM_DATA_DIR / LOOM_STATE_DIR (or --data-dir) to a writable folder")


def check_storage(report: Report, prof: Any, data_dir: str | None) -> None:
    if prof is None or prof.is_local:
        check_dir(report, "files", "data dir", paths.data_dir(data_dir or (prof.data_dir if prof else None)))
    else:
        report.add("files", "data dir", OK, "not used by this profile (Cosmos DB store)")
    check_dir(report, "files", "state dir", paths.state_dir())
    from loom_tui.logs import log_file

    log = log_file()
    if log.exists():
        _check_private(report, "files", "log file", log)
    check_owner_only(report, prof, data_dir)


def check_owner_only(report: Report, prof: Any, data_dir: str | None) -> None:
    """Every file loom writes (config and its backup, logs and rotated logs, token caches, the
    resume file, the local store) must be 0600 and every folder 0700."""
    from loom_tui.private_files import loose

    config = paths.config_file()
    places = [config, config.with_name(config.name + ".bak"), paths.state_dir()]
    if prof is None or prof.is_local:
        places.append(paths.data_dir(data_dir or (prof.data_dir if prof else None)))
    found: list[str] = []
    for place in places:
        found += loose(place)
    if found:
        shown = "; ".join(found[:6]) + (f"; and {len(found) - 6} more" if len(found) > 6 else "")
        report.add("files", "owner-only files", FAIL, f"readable or enterable by others: {shown}",
                   "chmod 600 on the files and 700 on the folders named (chmod -R go-rwx <folder>)")
    else:
        report.add("files", "owner-only files", OK, "config, its backup, logs (rotated too), token cache and store are owner-only")


def check_token_cache(report: Report, prof: Any) -> None:
    """Which token cache sign-in will use and whether its file is private.  Inspects the files the
    sign-in module (``loom_tui.azure.token_cache``) keeps, without opening the keyring: probing
    libsecret can block on D-Bus, and doctor must not hang."""
    import importlib.util

    from loom_tui.azure.token_cache import ENCRYPTED_NAME, PLAIN_NAME

    area = "sign-in"
    if prof is not None and prof.is_local:
        report.add(area, "token cache", OK, "not used by the local profile (no sign-in)")
        return
    state = paths.state_dir()
    enc, plain = state / ENCRYPTED_NAME, state / PLAIN_NAME
    keyring = importlib.util.find_spec("gi") is not None and bool(os.environ.get("DBUS_SESSION_BUS_ADDRESS"))
    allowed = bool(getattr(prof, "allow_unencrypted_token_cache", False))
    if enc.exists():
        _check_private(report, area, "token cache (encrypted)", enc, secret="encrypted sign-in tokens")
    if plain.exists():
        _check_private(report, area, "token cache (unencrypted file)", plain, secret="sign-in tokens")
    if enc.exists() or plain.exists():
        return
    if keyring:
        report.add(area, "token cache", OK, f"no cache yet; sign-in will keep an encrypted cache (OS keyring) at {enc}")
    elif allowed:
        report.add(area, "token cache", OK, f"no cache yet; no OS keyring here, so sign-in will keep a 0600 file at {plain} (profile allows it)")
    else:
        report.add(area, "token cache", WARN, "no OS keyring here (libsecret/D-Bus): sign-in lasts for one run only",
                   "set allow_unencrypted_token_cache = true in the profile (a 0600 file), or run with a keyring (gnome-keyring, D-Bus session)")


# ---------------------------------------------------------------- proxy and CA


def _mask_userinfo(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return "(unparseable)"
    if parts.username or parts.password:
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
        return parts._replace(netloc=f"***@{host}").geturl()
    return url


def check_proxy_ca(report: Report, env: Mapping[str, str]) -> None:
    area = "network"
    any_proxy = False
    for var in ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY"):
        value = env.get(var) or env.get(var.lower())
        if not value:
            continue
        any_proxy = True
        parts = urlsplit(value if "://" in value else f"http://{value}")
        if not parts.hostname:
            report.add(area, var, FAIL, f"{var} is not a URL: {_mask_userinfo(value)!r}", f"export {var}=http://proxy.example:3128")
        else:
            report.add(area, var, OK, _mask_userinfo(value))
    no_proxy = env.get("NO_PROXY") or env.get("no_proxy")
    if no_proxy:
        report.add(area, "NO_PROXY", OK, no_proxy)
    if not any_proxy:
        report.add(area, "proxy", OK, "none configured (direct connections)")

    from loom_tui.azure.network import CA_VARS

    bundle_set = False
    for var in CA_VARS:
        value = env.get(var)
        if not value:
            continue
        bundle_set = True
        path = Path(value)
        if not path.is_file():
            report.add(area, var, FAIL, f"{value} does not exist or is not a file", f"point {var} at your organisation's CA bundle (PEM)")
            continue
        try:
            ssl.create_default_context().load_verify_locations(cafile=str(path))
        except (ssl.SSLError, OSError) as exc:
            report.add(area, var, FAIL, f"{value} is not a usable PEM bundle: {exc}", f"point {var} at a PEM file of CA certificates")
            continue
        report.add(area, var, OK, f"{value} (used by every loom client: MSAL, SDK clients, aiohttp)")
    cert_dir = env.get("SSL_CERT_DIR")
    if cert_dir and not Path(cert_dir).is_dir():
        report.add(area, "SSL_CERT_DIR", FAIL, f"{cert_dir} is not a directory", "unset SSL_CERT_DIR or point it at a hashed CA folder")
    if not bundle_set:
        report.add(area, "CA bundle", OK, "system trust store (set REQUESTS_CA_BUNDLE for a private root CA)")


# ---------------------------------------------------------------- endpoints


async def _resolve(host: str, port: int, timeout: float) -> list[str]:
    loop = asyncio.get_running_loop()
    fut: asyncio.Future[list[str]] = loop.create_future()

    def settle(result: list[str] | None, error: BaseException | None) -> None:
        if fut.done():
            return
        if error is not None:
            fut.set_exception(error)
        else:
            fut.set_result(result or [])

    def work() -> None:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            result, error = [str(i[4][0]) for i in infos], None
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting coroutine
            result, error = None, exc
        try:
            loop.call_soon_threadsafe(settle, result, error)
        except RuntimeError:  # the loop is gone: nobody is waiting any more
            pass

    threading.Thread(target=work, name=f"doctor-dns-{host}", daemon=True).start()
    return await asyncio.wait_for(fut, timeout)


def _via_proxy(url: str, env: Mapping[str, str]) -> str | None:
    scheme = urlsplit(url).scheme
    proxies = {k.lower()[:-6]: v for k, v in env.items() if k.lower().endswith("_proxy") and v and k.lower() != "no_proxy"}
    proxy = proxies.get(scheme) or proxies.get("all")
    if not proxy:
        return None
    host = urlsplit(url).hostname or ""
    no_proxy = env.get("NO_PROXY") or env.get("no_proxy") or ""
    if no_proxy and _bypassed(host, no_proxy):
        return None
    return proxy


def _bypassed(host: str, no_proxy: str) -> bool:
    saved = os.environ.get("no_proxy")
    os.environ["no_proxy"] = no_proxy
    try:
        # typeshed's urllib.request stub leaves out this undocumented function (CPython has had it since 2.x)
        return bool(urllib.request.proxy_bypass_environment(host))  # type: ignore[attr-defined]
    finally:
        if saved is None:
            os.environ.pop("no_proxy", None)
        else:
            os.environ["no_proxy"] = saved


@dataclass
class Target:
    label: str  # "authority", "ARM", "Cosmos DB"
    url: str
    expect: tuple[int, ...] = (200,)  # statuses that mean "answers as it should"


async def probe(target: Target, env: Mapping[str, str], timeout: float) -> list[Check]:
    """DNS, TLS and HTTP for one endpoint; each stage bounded by ``timeout``."""
    out: list[Check] = []
    parts = urlsplit(target.url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    where = f"{host}:{port}"

    def add(stage: str, status: str, detail: str, fix: str = "") -> None:
        out.append(Check("endpoints", f"{target.label} {stage}", status, detail, fix if status != OK else ""))

    proxy = _via_proxy(target.url, env)
    addrs: list[str] = []
    if proxy:
        add("DNS", OK, f"{host}: resolved by the proxy {_mask_userinfo(proxy)}")
    else:
        try:
            ipaddress.ip_address(host)
            addrs = [host]
            add("DNS", OK, f"{host} is an IP address")
        except ValueError:
            t0 = time.perf_counter()
            try:
                addrs = await _resolve(host, port, timeout)
                add("DNS", OK, f"{host} -> {', '.join(sorted(set(addrs))[:3])} ({(time.perf_counter() - t0) * 1000:.0f} ms)")
            except asyncio.TimeoutError:
                add("DNS", FAIL, f"{host}: no answer within {timeout:g} s",
                    "check /etc/resolv.conf, the private DNS zones of the cloud, or set HTTPS_PROXY")
                return out
            except OSError as exc:
                add("DNS", FAIL, f"{host}: {exc.strerror or exc}",
                    "this host cannot resolve the endpoint: offline, wrong cloud, or DNS needs HTTPS_PROXY / a private zone")
                return out

        if parts.scheme == "https":
            ok = await _tls(addrs[0], port, host, timeout, add)
            if not ok:
                return out
        else:
            if not await _tcp(addrs[0], port, where, timeout, add):
                return out
    await _http(target, timeout, add)
    return out


async def _tcp(addr: str, port: int, where: str, timeout: float, add: Any) -> bool:
    try:
        _, writer = await asyncio.wait_for(asyncio.open_connection(addr, port), timeout)
    except asyncio.TimeoutError:
        add("TCP", FAIL, f"{where}: no connection within {timeout:g} s", "a firewall drops the traffic: open the port or use the proxy")
        return False
    except OSError as exc:
        add("TCP", FAIL, f"{where}: {exc.strerror or exc}", "nothing listens there: check the endpoint URL, or the firewall")
        return False
    writer.close()
    add("TCP", OK, f"{where}: connected (plain http, no TLS)")
    return True


async def _tls(addr: str, port: int, host: str, timeout: float, add: Any) -> bool:
    from loom_tui.azure.network import ssl_context

    where = f"{host}:{port}"
    t0 = time.perf_counter()
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(addr, port, ssl=ssl_context(), server_hostname=host, ssl_handshake_timeout=timeout), timeout
        )
    except asyncio.TimeoutError:
        add("TLS", FAIL, f"{where}: no TLS handshake within {timeout:g} s", "a firewall drops the traffic: open port 443 or set HTTPS_PROXY")
        return False
    except ssl.SSLCertVerificationError as exc:
        add("TLS", FAIL, f"{where}: certificate not trusted: {exc.verify_message}",
            "export REQUESTS_CA_BUNDLE=/path/to/your-root-ca.pem (a TLS-inspecting proxy or private CA)")
        return False
    except (ssl.SSLError, OSError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        add("TLS", FAIL, f"{where}: {reason}", "nothing answers there: check the endpoint URL, the firewall or the proxy")
        return False
    sslobj = writer.get_extra_info("ssl_object")
    version = sslobj.version() if sslobj else "?"
    writer.close()
    add("TLS", OK, f"{where}: {version}, certificate trusted ({(time.perf_counter() - t0) * 1000:.0f} ms)")
    return True


async def _http(target: Target, timeout: float, add: Any) -> None:
    import aiohttp

    from loom_tui.azure.network import aiohttp_session
    from loom_tui.logs import safe_path

    shown = safe_path(target.url)
    t0 = time.perf_counter()
    try:
        async with aiohttp_session(timeout=aiohttp.ClientTimeout(total=timeout)) as s:
            async with s.get(target.url, headers={"Accept": "application/json"}, allow_redirects=False) as resp:
                status = resp.status
    except asyncio.TimeoutError:
        add("HTTP", FAIL, f"{shown}: no answer within {timeout:g} s", "the endpoint or the proxy is not answering; check HTTPS_PROXY")
        return
    except (aiohttp.ClientError, OSError) as exc:
        add("HTTP", FAIL, f"{shown}: {type(exc).__name__}: {exc}", "check the endpoint URL, the proxy and the CA bundle")
        return
    ms = (time.perf_counter() - t0) * 1000
    if status in target.expect:
        add("HTTP", OK, f"{shown}: {status} ({ms:.0f} ms)")
    elif status < 500:
        add("HTTP", WARN, f"{shown}: answered {status} ({ms:.0f} ms), expected {'/'.join(map(str, target.expect))}",
            "it is reachable but answers unexpectedly: check the cloud's endpoints (loom cloud show)")
    else:
        add("HTTP", FAIL, f"{shown}: {status} ({ms:.0f} ms)", "the service or a proxy in between is failing; retry later")


def endpoint_targets(prof: Any, cloud: Any) -> list[Target]:
    from loom_tui.azure.clouds import metadata_url

    targets: list[Target] = []
    if cloud is not None:
        tenant = prof.tenant_id or "organizations"
        targets.append(Target("authority", f"{cloud.authority_host}/{tenant}/v2.0/.well-known/openid-configuration"))
        targets.append(Target("ARM", metadata_url(cloud.arm_endpoint)))
    if prof.store == "cosmos" and prof.cosmos_endpoint:
        # the account root answers 401 without credentials: that still proves DNS, TLS and routing
        targets.append(Target("Cosmos DB", prof.cosmos_endpoint, expect=(200, 401, 403)))
    return targets


async def check_endpoints(report: Report, prof: Any, cloud: Any, env: Mapping[str, str], timeout: float) -> None:
    if prof is None:
        report.add("endpoints", "cloud endpoints", WARN, "skipped: the configuration has errors", "fix the config lines above first")
        return
    if prof.is_local:
        report.add("endpoints", "cloud endpoints", OK,
                   "not needed: the local profile works offline (pass --profile NAME to check a cloud profile)")
        return
    if prof.store == "cosmos":
        from loom_tui.store.cosmos import tls_mode

        mode = tls_mode(prof.cosmos_endpoint or "", prof.cosmos_verify_tls, getattr(prof, "cosmos_emulator", False))
        report.add("endpoints", "Cosmos DB TLS", OK if mode.startswith("verified") else WARN, f"certificate {mode}",
                   "" if mode.startswith("verified") else "only for the local emulator; a real account must be verified")
    targets = endpoint_targets(prof, cloud)
    results = await asyncio.gather(*(probe(t, env, timeout) for t in targets))
    for checks in results:
        report.checks.extend(checks)


# ---------------------------------------------------------------- all together


async def run_doctor(
    *, profile: str | None = None, data_dir: str | None = None, env: Mapping[str, str] | None = None,
    terminal_fd: int | None = None, timeout: float = DEFAULT_TIMEOUT_S, terminal_size: tuple[int, int] | None = None,
) -> Report:
    env = os.environ if env is None else env
    t0 = time.perf_counter()
    report = Report()
    check_terminal(report, env, terminal_fd, terminal_size)
    prof = check_config(report, profile)
    cloud = check_cloud(report, prof) if prof is not None and not prof.is_local else None
    check_storage(report, prof, data_dir)
    check_token_cache(report, prof)
    check_proxy_ca(report, env)
    await check_endpoints(report, prof, cloud, env, timeout)
    report.elapsed_s = time.perf_counter() - t0
    return report
