"""The review desk (`ml-intern ui`), started for real (its own process, a free loopback port) over a home with a
finished run (the digits task at smoke scale) and a run that needs review whose title and paper text hold markup.

The security cases use plain HTTP (urllib); the pages are checked in headless Chromium (playwright driving the
system's Chromium, as tests/test_report.py does), which also takes docs/ui.png for the README."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE_PDF, SAMPLE_TASK, subprocess_env

pytest.importorskip("starlette", reason="the review desk needs the ui extra")
pytest.importorskip("sse_starlette", reason="the review desk needs the ui extra")

TOKEN = "desk-test-token-" + "x" * 16
MARKUP = "<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\">"
CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


class Desk:
    def __init__(self, home: Path, *args: str):
        self.home = home
        home.mkdir(parents=True, exist_ok=True)
        self.output = home.parent / f"desk-{time.time_ns()}.log"  # (a file: a pipe nobody reads could fill)
        with open(self.output, "w") as out:
            self.process = subprocess.Popen([sys.executable, "-m", "ml_intern", "--home", str(home), "ui", "--port",
                                             "0", *args], env={**subprocess_env(home), "ML_INTERN_UI_TOKEN": TOKEN},
                                            stdout=out, stderr=subprocess.STDOUT)
        deadline = time.time() + 180
        while not (found := re.search(r"http://127\.0\.0\.1:(\d+)/\?token=(\S+)", self.output.read_text())):
            assert self.process.poll() is None and time.time() < deadline, \
                f"the desk did not start: {self.output.read_text()}"
            time.sleep(0.2)
        self.port, printed = int(found.group(1)), found.group(2)
        assert printed == TOKEN
        self.url = f"http://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
                cookie: bool = True) -> tuple[int, dict, str]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=180)
        headers = dict(headers or {})
        if cookie:
            headers.setdefault("Cookie", f"ml_intern_desk={TOKEN}")
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode()
        finally:
            conn.close()

    def csrf(self) -> str:
        status, _, body = self.request("GET", "/review")
        assert status == 200
        return re.search(r'name="csrf" value="([0-9a-f]+)"', body).group(1)

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _needs_review(home: Path, title: str, why: str) -> str:
    """A run stopped for review, made through the library (no training): its paper and spec read from a task whose
    title is ``title``."""
    from ml_intern.paper import read_source, spec_for
    from ml_intern.run.attempts import Outcome, Review
    from ml_intern.runfolder import RunOptions
    from ml_intern.workspace import Workspace

    task = home.parent / f"task-{time.time_ns()}.yaml"
    task.write_text(SAMPLE_TASK.read_text().replace("title: Small CNN on the scikit-learn digits",
                                                    f"title: {json.dumps(title)}"))
    paper = read_source(str(task))
    ws = Workspace(home)
    folder = ws.create_run(str(task), "source/task.yaml", RunOptions(scale="smoke"), paper.title, "smoke")
    folder.write("paper", paper)
    folder.write("spec", spec_for(paper, None))
    outcome = Outcome(status="needs_review", attempts=[], summary=f"stopped: {why}",
                      review=Review(why=why, suggestion=f"`ml-intern resume {folder.id} --allow-scope-changes`"))
    folder.write("outcome", outcome)
    ws.store.set_run_status(folder.id, "needs_review", summary={"status": "needs_review", "summary": outcome.summary})
    ws.store.close()
    return folder.id


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A finished run (the digits task at smoke scale, about a minute) and a hostile run that needs review."""
    from ml_intern.cli import main

    home = tmp_path_factory.mktemp("desk") / "home"
    assert main(["--home", str(home), "run", str(SAMPLE_TASK), "--scale", "smoke", "--json"]) == 0
    return home


@pytest.fixture(scope="module")
def runs(home):
    from ml_intern.track.store import Store

    store = Store(home / "store.sqlite")
    [finished] = [r["id"] for r in store.list_runs() if r["status"] == "succeeded"]
    store.close()
    hostile = _needs_review(home, f"{MARKUP} digits", f"the fix changes the scope {MARKUP}")
    return {"finished": finished, "hostile": hostile}


@pytest.fixture(scope="module")
def desk(home, runs):
    desk = Desk(home, "--max-upload-mb", "1")
    yield desk
    desk.close()


def test_every_request_needs_the_token(desk, runs):
    assert desk.request("GET", "/", cookie=False)[0] == 403
    assert desk.request("GET", f"/runs/{runs['finished']}", cookie=False)[0] == 403
    assert desk.request("GET", "/static/desk.js", cookie=False)[0] == 403
    wrong = {"Cookie": "ml_intern_desk=wrong-token-of-some-length"}
    assert desk.request("GET", "/", headers=wrong, cookie=False)[0] == 403
    assert desk.request("GET", "/?token=wrong", cookie=False)[0] == 403
    # the first visit with ?token= sets an HttpOnly, SameSite=Strict cookie and drops the token from the address
    status, headers, _ = desk.request("GET", f"/?status=succeeded&token={TOKEN}", cookie=False)
    assert status == 303 and headers["location"] == "/?status=succeeded"
    cookie = headers["set-cookie"].lower()
    assert f"ml_intern_desk={TOKEN}".lower() in cookie and "httponly" in cookie and "samesite=strict" in cookie
    status, headers, body = desk.request("GET", "/")
    assert status == 200 and runs["finished"] in body
    assert "script-src 'self'" in headers["content-security-policy"]
    assert desk.request("GET", "/", headers={"Authorization": f"Bearer {TOKEN}"}, cookie=False)[0] == 200
    # a name that is not loopback (DNS rebinding) is refused even with the token
    assert desk.request("GET", "/", headers={"Host": f"evil.example:{desk.port}"})[0] == 400


def test_state_changes_are_posts_with_a_csrf_token(desk, home):
    from ml_intern.cli import main
    from ml_intern.track.store import Store

    victim = _needs_review(home, "a run to stop", "no rule fixes it")
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert desk.request("POST", f"/runs/{victim}/stop", b"", form)[0] == 403  # no CSRF token
    assert desk.request("POST", f"/runs/{victim}/stop", b"csrf=0123abcd", form)[0] == 403  # a wrong one
    csrf = desk.csrf()
    cross = {**form, "Origin": "http://evil.example"}
    assert desk.request("POST", f"/runs/{victim}/stop", f"csrf={csrf}".encode(), cross)[0] == 403
    assert desk.request("GET", f"/runs/{victim}/stop")[0] in (404, 405)  # no state change by GET
    store = Store(home / "store.sqlite")
    assert store.get_run(victim)["status"] == "needs_review"
    # with the session's token the action is taken, and recorded as `ml-intern stop` records it
    status, headers, _ = desk.request("POST", f"/runs/{victim}/stop", f"csrf={csrf}".encode(), form)
    assert status == 303 and headers["location"] == f"/runs/{victim}"
    run = store.get_run(victim)
    assert run["status"] == "failed" and run["error"].startswith("stopped for good by a person")
    assert main(["--home", str(home), "resume", victim]) == 2  # stopped for good: resume refuses it
    store.close()


def test_approving_a_scope_change_resumes_the_run_as_the_cli_would_and_stop_ends_it(desk, home):
    """Approve queues `ml-intern resume RUN --allow-scope-changes` (recorded in run.json as the CLI records it);
    once that run is going, stop for good interrupts its process and ends the run."""
    from ml_intern.track.store import Store

    run_id = _needs_review(home, "a run whose fix changes the scope", "the fix changes the scope")
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    csrf = desk.csrf()
    status, headers, _ = desk.request("POST", f"/runs/{run_id}/resume",
                                      f"csrf={csrf}&allow_scope_changes=1".encode(), form)
    assert status == 303 and headers["location"] == f"/runs/{run_id}"
    [job] = [json.loads(p.read_text()) for p in (home / "desk" / "jobs").glob("*.json")
             if run_id in p.read_text()]
    assert job["argv"] == ["resume", run_id, "--allow-scope-changes"]
    store = Store(home / "store.sqlite")
    deadline = time.time() + 120
    while store.get_run(run_id)["status"] != "running" and time.time() < deadline:
        time.sleep(0.5)
    assert store.get_run(run_id)["status"] == "running"  # the resume claimed it, in a process of its own
    record = json.loads((home / run_id / "run.json").read_text())
    assert record["options"]["allow_scope_changes"] is True
    assert f"ml-intern resume {run_id} --allow-scope-changes" in desk.request("GET", f"/runs/{run_id}")[2]
    status, _, _ = desk.request("POST", f"/runs/{run_id}/stop", f"csrf={csrf}".encode(), form)
    assert status == 303
    run = store.get_run(run_id)
    assert run["status"] == "failed" and "status before: running" in run["error"]
    store.close()


def test_an_upload_over_the_limit_is_refused_with_413(desk, home):
    before = sorted(p.name for p in (home / "desk" / "uploads").iterdir())
    boundary = "deskboundary"
    big = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10)
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{desk.csrf()}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"source_kind\"\r\n\r\npdf\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"pdf\"; filename=\"../../etc/evil.pdf\"\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode() + big + f"\r\n--{boundary}--\r\n".encode()
    status, _, _ = desk.request("POST", "/new", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert status == 413
    assert sorted(p.name for p in (home / "desk" / "uploads").iterdir()) == before  # nothing written
    # a body that does not say its length is cut off at the limit too
    conn = http.client.HTTPConnection("127.0.0.1", desk.port, timeout=60)
    conn.putrequest("POST", "/new")
    for k, v in {"Cookie": f"ml_intern_desk={TOKEN}", "Transfer-Encoding": "chunked",
                 "Content-Type": f"multipart/form-data; boundary={boundary}"}.items():
        conn.putheader(k, v)
    conn.endheaders()
    for start in range(0, len(body), 256 * 1024):
        chunk = body[start:start + 256 * 1024]
        conn.send(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
    conn.send(b"0\r\n\r\n")
    assert conn.getresponse().status == 413
    conn.close()


def test_paper_text_and_titles_are_escaped_everywhere(desk, runs):
    for path in ("/", f"/runs/{runs['hostile']}", "/review"):
        status, _, body = desk.request("GET", path)
        assert status == 200
        assert "<script>window.pwned" not in body and "<img src=x" not in body, path
        assert "&lt;script&gt;window.pwned = 1&lt;/script&gt;" in body, path


def test_runs_compared_side_by_side_and_a_sweep(desk, home, runs):
    from ml_intern.sweep import Sweep, SweepRun

    finished, hostile = runs["finished"], runs["hostile"]
    status, _, body = desk.request("GET", f"/compare?run={finished}&run={hostile}")
    assert status == 200 and body.count(f'href="/runs/{finished}"') == 1 and f'href="/runs/{hostile}"' in body
    assert re.search(r"<b>test_accuracy</b></td><td>0\.\d{4}</td><td>—</td>", body)  # one has it, one does not
    assert desk.request("GET", f"/compare?run={finished}")[0] == 400  # one run is no comparison
    (home / "sweeps").mkdir(exist_ok=True)
    sweep = Sweep(id="sweep-20261130-000000-abcd", base=finished, params={"learning_rate": ["0.001", "0.01"]},
                  runs=[SweepRun(params={"learning_rate": "0.001"}, run_id=finished),
                        SweepRun(params={"learning_rate": "0.01"}, run_id=hostile)])
    (home / "sweeps" / f"{sweep.id}.json").write_text(sweep.model_dump_json())
    assert f'href="/compare?sweep={sweep.id}"' in desk.request("GET", "/")[2]
    status, _, body = desk.request("GET", f"/compare?sweep={sweep.id}")
    assert status == 200 and "Compare 2 runs" in body


def test_listening_beyond_loopback_needs_a_token_of_the_users(home):
    from ml_intern.desk import serve
    from ml_intern.errors import InputError

    with pytest.raises(InputError, match="not a loopback address"):
        serve(home, host="0.0.0.0", port=0)
    with pytest.raises(InputError, match="at least 16"):
        serve(home, host="0.0.0.0", port=0, token="short")


# ---------------------------------------------------------------- in the browser

needs_browser = pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install "
                                                            "chromium; .ci/run installs it)")

# pixels of a colour on a uPlot chart's canvas: the loss curve's stroke (#1f77b4) by default, the evaluation's
# accuracy (#2ca02c) when asked
CURVE = """(id, rgb = [31, 119, 180]) => {
  const canvas = document.querySelector('#' + id + ' canvas');
  if (!canvas) return -1;
  const px = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 0; i < px.length; i += 4)
    if (Math.abs(px[i] - rgb[0]) < 30 && Math.abs(px[i + 1] - rgb[1]) < 30 && Math.abs(px[i + 2] - rgb[2]) < 30) n++;
  return n;
}"""


def wait_until(page, script: str, arg=None, timeout: float = 180) -> None:
    """Poll ``script`` (a function) in the page until it returns a true value. (Playwright's own waiting evaluates
    its predicate with eval, which the desk's Content-Security-Policy forbids, as it should.)"""
    deadline = time.time() + timeout
    while not page.evaluate(script, arg):
        if time.time() > deadline:
            raise AssertionError(f"the page never satisfied {script[:200]}")
        page.wait_for_timeout(250)


def browser_page(pw, desk, requests: list):
    browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(180_000)  # a loaded machine (CI, shared cores) answers slowly; the checks stay exact
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{desk.url}/?token={TOKEN}")
    return browser, page


@needs_browser
def test_runs_list_and_a_finished_run_with_its_curves_in_chromium(desk, runs, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")
    requests: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser, page = browser_page(pw, desk, requests)
        try:
            assert page.url == f"{desk.url}/"  # the token left the address
            rows = page.locator("#runs tr").all_inner_texts()
            assert any(runs["finished"] in r and "succeeded" in r and "smoke" in r and "test_accuracy" in r
                       and "not comparable" in r for r in rows), rows  # (a smoke run reproduces nothing)
            page.goto(f"{desk.url}/runs/{runs['finished']}")
            wait_until(page, f"() => ({CURVE})('loss-chart') > 100")  # the loss curve drawn
            wait_until(page, f"() => ({CURVE})('metric-chart', [44, 160, 44]) > 10")  # and the accuracy
            assert page.locator("#verdict").inner_text().startswith("Did it reproduce? not comparable")
            assert page.locator("#live-stage").inner_text() == "exec (succeeded)"
            assert page.locator("#live-steps").inner_text().startswith("step ")
            assert page.locator("#log").inner_text().strip()  # the full attempt's log, its tail
            plan = page.locator("#plan tr").all_inner_texts()
            assert any(r.startswith("learning_rate") and "paper" in r for r in plan), plan
            assert [r.split("\t")[1] for r in page.locator("#attempts tr").all_inner_texts()[1:]] == ["smoke", "full"]
            # the README's picture: written into docs/ only when asked (ML_INTERN_SCREENSHOTS=1), never as a side effect
            shot = ROOT / "docs" / "ui.png" if os.environ.get("ML_INTERN_SCREENSHOTS") == "1" else tmp_path / "ui.png"
            page.screenshot(path=str(shot), full_page=False)
            assert shot.stat().st_size > 10_000
            # the page that holds markup in its title and quotes: shown as text, never run
            page.goto(f"{desk.url}/runs/{runs['hostile']}")
            page.goto(f"{desk.url}/review")
            assert page.evaluate("window.pwned === undefined")
            assert MARKUP in page.locator(f"section#{_css(runs['hostile'])} h2").inner_text()
        finally:
            browser.close()
    assert all(u.startswith(desk.url + "/") for u in requests), [u for u in requests if not u.startswith(desk.url)]


def _css(run_id: str) -> str:
    return "\\3" + run_id[0] + " " + run_id[1:]  # an id that starts with a digit, as a CSS selector


# ---------------------------------------------------------------- end to end: a run started and a run resumed


def _wait(desk: Desk, path: str, pattern: str, timeout: float = 600) -> str:
    deadline = time.time() + timeout
    while time.time() < deadline:
        status, _, body = desk.request("GET", path)
        if status == 200 and re.search(pattern, body):
            return body
        time.sleep(2)
    raise AssertionError(f"{path} never showed {pattern!r}")


@pytest.mark.e2e
@needs_browser
def test_upload_a_paper_see_the_plan_confirm_and_watch_it_finish(tmp_path):
    """The sample paper uploaded, its plan seen and confirmed; the desk is closed as soon as the run has started
    and opened again: the run went on without it, and the page shows it finish with its curve."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")
    desk = Desk(tmp_path / "home")
    try:
        with sync_api.sync_playwright() as pw:
            browser, page = browser_page(pw, desk, [])
            try:
                page.goto(f"{desk.url}/new")
                page.set_input_files("input[name=pdf]", str(SAMPLE_PDF))
                page.select_option("select[name=scale]", "smoke")
                page.click("#see-plan")
                page.wait_for_selector("#confirm")  # (the first preview imports the reader: slow)
                assert "ml-intern run --scale smoke" in page.locator("#command").inner_text()
                assert page.locator("#estimate").inner_text()  # the hardware estimate, before anything trains
                assert any(r.startswith("learning_rate") for r in page.locator("#plan tr").all_inner_texts())
                assert "No runs yet" in desk.request("GET", "/")[2]  # nothing runs before it is confirmed
                page.click("#confirm")
                page.wait_for_selector("#queue")
                body = _wait(desk, "/", r'href="/runs/(\d{8}-\d{6}-[0-9a-f]{4})"', 300)
                run_id = re.search(r'href="/runs/(\d{8}-\d{6}-[0-9a-f]{4})"', body).group(1)
            finally:
                browser.close()
        desk.close()  # the run goes on in its own process
        desk = Desk(tmp_path / "home")
        with sync_api.sync_playwright() as pw:
            browser, page = browser_page(pw, desk, [])
            try:
                page.goto(f"{desk.url}/runs/{run_id}")
                wait_until(page, "() => document.getElementById('status').textContent === 'succeeded'",
                           timeout=600)
                wait_until(page, f"() => ({CURVE})('loss-chart') > 100")
            finally:
                browser.close()
        # the upload was kept under a name of the desk's own, not the file's
        [upload] = list((desk.home / "desk" / "uploads").iterdir())
        assert re.fullmatch(r"[0-9a-f]{16}\.pdf", upload.name)
    finally:
        desk.close()


@pytest.mark.e2e
@needs_browser
def test_a_run_that_needs_review_is_resumed_after_editing_a_setting(tmp_path):
    """A built project whose config holds a batch size of 0 fails its smoke attempt and stops for review (two
    attempts: a resume after review has the same budget, smoke and full); the person sets it to 32 on the review
    page and resumes; the run succeeds with the edit in its record."""
    from ml_intern.cli import main
    from ml_intern.track.store import Store

    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the test extra")
    home = tmp_path / "home"
    assert main(["plan", str(SAMPLE_TASK), "--scale", "smoke", "--out", str(tmp_path / "plan.json")]) == 0
    assert main(["build", str(tmp_path / "plan.json"), "--out", str(tmp_path / "project")]) == 0
    config = tmp_path / "project" / "config.yaml"
    config.write_text(re.sub(r"(?m)^batch_size: \d+", "batch_size: 0", config.read_text()))
    assert main(["--home", str(home), "exec", str(tmp_path / "project"), "--max-attempts", "2", "--json"]) == 1
    store = Store(home / "store.sqlite")
    [run] = store.list_runs()
    assert run["status"] == "needs_review"
    desk = Desk(home)
    try:
        with sync_api.sync_playwright() as pw:
            browser, page = browser_page(pw, desk, [])
            try:
                page.goto(f"{desk.url}/review")
                card = page.locator(f"section#{_css(run['id'])}")
                card.locator("form.edit summary").click()
                card.locator("input[name='set.batch_size']").fill("32")
                card.locator("form.edit button").click()
                page.wait_for_url(f"{desk.url}/runs/{run['id']}")
                wait_until(page, "() => document.getElementById('status').textContent === 'succeeded'",
                           timeout=600)
            finally:
                browser.close()
    finally:
        desk.close()
    record = json.loads((Path(run["run_dir"]) / "run.json").read_text())
    assert record["options"]["overrides"] == {"batch_size": 32}  # recorded as `resume --set` records it
    assert "batch_size: 32" in (Path(run["run_dir"]) / "project" / "config.yaml").read_text()
    assert store.get_run(run["id"])["status"] == "succeeded"
    store.close()


def test_resume_set_refuses_a_setting_the_project_does_not_have(tmp_path):
    from ml_intern.cli import main

    home = tmp_path / "home"
    run_id = _needs_review(home, "no project", "stopped before any attempt")
    assert main(["--home", str(home), "resume", run_id, "--set", "batch_size=8"]) == 2  # no project yet


def test_the_queue_lets_one_job_go_at_a_time_and_keeps_its_jobs_in_files(tmp_path):
    """Two jobs (a quick CLI command each) on a queue of one: the second starts only once the first has ended; a
    queue made again over the same folder (the desk restarted) sees them."""
    from ml_intern.desk.jobs import Queue, job_env

    home = tmp_path / "home"
    home.mkdir()
    queue = Queue(home, parallel=1)
    first, second = queue.add(["runs", "--json"], "first"), queue.add(["runs", "--json"], "second")
    deadline = time.time() + 120
    while any(j.state != "finished" for j in queue.jobs()) and time.time() < deadline:
        queue.tick()
        time.sleep(0.2)
    jobs = {j.id: j for j in Queue(home).jobs()}
    a, b = jobs[first.id], jobs[second.id]
    assert a.state == b.state == "finished" and a.exit_code == b.exit_code == 0
    assert b.started_at >= a.finished_at - 0.5  # one at a time (the tick that saw the end started the next)
    assert json.loads(queue.log(a).read_text()) == []  # the command's own output, in the job's log
    assert "ML_INTERN_UI_TOKEN" not in job_env()  # the desk's token stays with the desk


def test_a_job_an_earlier_desk_started_ends_with_no_exit_status_made_up(tmp_path):
    """The desk restarted while its job ran: the job is not this desk's child, so its exit status is unknown (the
    run's record holds how it ended); the job is finished once its process is gone, with no invented exit code."""
    import subprocess

    from ml_intern.desk.jobs import Queue

    home = tmp_path / "home"
    home.mkdir()
    earlier = Queue(home, parallel=0)  # (nothing starts: the job is started by hand below, as an earlier desk did)
    job = earlier.add(["runs"], "runs")
    process = subprocess.Popen(["sleep", "0.3"])
    job.state, job.pid, job.started_at = "started", process.pid, time.time()
    earlier._save(job)
    process.wait()
    queue = Queue(home, parallel=0)  # the desk again, over the same folder
    queue.tick()
    ended = queue.get(job.id)
    assert ended.state == "finished" and ended.exit_code is None and ended.finished_at >= job.started_at


def test_a_long_runs_first_event_is_thinned_per_series_and_keeps_sparse_ones_whole():
    from ml_intern.desk.state import MAX_POINTS, _thinned

    loss = [{"attempt": 2, "step": i, "name": "loss", "value": 1.0 / (i + 1)} for i in range(4 * MAX_POINTS)]
    evals = [{"attempt": 2, "step": i, "name": "eval_accuracy", "value": 0.5} for i in range(0, 4 * MAX_POINTS, 500)]
    kept = _thinned(loss + evals)
    assert len([r for r in kept if r["name"] == "loss"]) <= MAX_POINTS + 1
    assert [r for r in kept if r["name"] == "eval_accuracy"] == evals  # every evaluation stays
    assert kept[-1]["step"] == 4 * MAX_POINTS - 1  # the last step is always there
    short = loss[:100]
    assert _thinned(short) == short


def test_the_bench_page_shows_the_latest_bench_its_table_and_its_page(desk, home):
    """The newest `ml-intern bench` output under the home (written by the bench's own writer): its totals, one row per
    task with the fault named, a link to its bench.html (served with no script allowed); an older bench is not shown;
    a task name holding markup stays text; a folder name that is not a bench's is refused."""
    from ml_intern.bench.suite import BenchReport, TaskResult, totals, write_outputs

    def bench(folder: str, names: list[str]) -> None:
        results = [TaskResult(task=name, family="image-classification", seed=0, fault="oom" if i else None,
                              status="succeeded" if not i else "needs_review", metric="test_accuracy",
                              value=0.9 if not i else None, criterion="test_accuracy >= 0.85",
                              first_attempt_success=not i, success=not i, attempts=2 + i, seconds=40.0 + i)
                   for i, name in enumerate(names)]
        write_outputs(BenchReport(suite="classic", scale="smoke", seeds=[0], started_at=time.time(), seconds=81.0,
                                  machine="test machine", results=results, totals=totals(results)),
                      home / "bench" / folder)

    bench("20261101-000000", ["an-older-bench"])
    time.sleep(0.05)  # (the newest by modification time)
    bench("20261130-120000", ["digits-cnn", f"{MARKUP}-task"])
    status, _, body = desk.request("GET", "/bench")
    assert status == 200
    assert "digits-cnn" in body and "an-older-bench" not in body
    assert "first-attempt success 50%" in body and "success after iteration 50%" in body
    assert MARKUP not in body and "&lt;script&gt;" in body  # escaped
    assert 'href="/bench/20261130-120000/bench.html"' in body
    status, headers, page = desk.request("GET", "/bench/20261130-120000/bench.html")
    csp = headers["content-security-policy"]
    assert status == 200 and "digits-cnn" in page and "default-src 'none'" in csp and "script-src" not in csp
    assert desk.request("GET", "/bench/..%2Fstore.sqlite/bench.html")[0] == 404
