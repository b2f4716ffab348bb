"""The review desk (``ml-intern ui``): a local web app over the same store and run folders as the CLI, to start
runs, watch them live and act on the ones that need a person (docs/ui.md).

``app.py`` the routes, ``state.py`` what the pages read, ``jobs.py`` the queue of CLI commands each run in a process
of its own, ``security.py`` the token, CSRF and body-size guard. Needs the ``ui`` extra (Starlette, uvicorn,
sse-starlette, python-multipart).
"""

from __future__ import annotations

from pathlib import Path

from ml_intern.errors import InputError

MISSING = "the review desk needs the ui extra: pip install 'ml-intern[ui]'"


def create_app(home: Path, token: str, **options):
    try:
        from ml_intern.desk.app import create_app as make
    except ImportError as exc:
        raise InputError(f"{MISSING} ({exc.name} is not installed)") from None
    return make(home, token, **options)


def serve(home: Path, host: str = "127.0.0.1", port: int = 8765, token: str | None = None, parallel: int = 1,
          max_upload_mb: float = 50, open_browser: bool = False, ready=None) -> None:
    """Listen until Ctrl-C. Runs started here keep going after it (each in its own process). ``ready(url)`` is
    called once the server listens (tests; the browser)."""
    try:
        import uvicorn

        from ml_intern.desk.security import MIN_TOKEN_CHARS, is_loopback, new_token
    except ImportError as exc:
        raise InputError(f"{MISSING} ({exc.name} is not installed)") from None
    if not is_loopback(host) and not token:
        raise InputError(f"--host {host} is not a loopback address: anyone who reaches it could start runs",
                         fix="set a token of your own (--token, or $ML_INTERN_UI_TOKEN), at least "
                             f"{MIN_TOKEN_CHARS} characters, and put TLS in front (docs/ui.md)")
    if token is not None and len(token) < MIN_TOKEN_CHARS:
        raise InputError(f"the token is {len(token)} characters", fix=f"give at least {MIN_TOKEN_CHARS}")
    if parallel < 1:
        raise InputError(f"--parallel must be at least 1, got {parallel}")
    if max_upload_mb <= 0:
        raise InputError(f"--max-upload-mb must be above 0, got {max_upload_mb:g}")
    app = create_app(home, token or new_token(), parallel=parallel, max_upload_mb=max_upload_mb,
                     loopback_only=is_loopback(host))
    token = app.token
    import socket

    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        raise InputError(f"cannot listen on {host}:{port} ({exc.strerror})", fix="choose another --port") from None
    sock.listen(128)  # connections wait in the backlog from now on, while the app starts
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{bound}/?token={token}"
    print(f"ml-intern review desk on {url}\n  runs in {home}; Ctrl-C stops the desk, never a run", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on"))
    if ready is not None or open_browser:
        import threading
        import time

        def announce() -> None:
            while not server.started:
                time.sleep(0.05)
            if open_browser:
                import webbrowser

                webbrowser.open(url)
            if ready is not None:
                ready(url, server)

        threading.Thread(target=announce, daemon=True).start()
    server.run(sockets=[sock])


__all__ = ["create_app", "serve"]
