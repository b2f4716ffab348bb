"""Docs that stay true: the CLI reference is current, and README's commands are the ones CI runs."""

import re
from pathlib import Path

from ml_intern.cli import reference_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current():
    assert (ROOT / "docs" / "cli.md").read_text() == reference_markdown(), \
        "docs/cli.md is stale: python -m ml_intern.cli_reference > docs/cli.md"


def test_readme_starts_with_install_and_run_then_tests_and_ci_runs_the_latter():
    blocks = re.findall(r"```\n(.*?)\n```", (ROOT / "README.md").read_text(), re.S)
    install_and_run, tests = blocks[0], blocks[1]
    assert install_and_run.startswith("python3 -m venv .venv && .venv/bin/pip install torch==2.13.0 &&")
    assert install_and_run.endswith("ml-intern run examples/digits-cnn.pdf")
    assert (ROOT / "examples" / "digits-cnn.pdf").exists()
    assert "pip install torch==2.13.0 &&" in tests and "pytest" in tests
    assert tests in (ROOT / ".ci" / "run").read_text()


def test_docs_name_modules_that_exist():
    text = (ROOT / "docs" / "architecture.md").read_text()
    for module in set(re.findall(r"`((?:paper|plan|build|run|track)/[\w/]+\.py)`", text)):
        assert (ROOT / "src" / "ml_intern" / module).exists(), module


# ---------------------------------------------------------------- the code blocks of README.md and docs/ run
#
# Every fenced block is found and checked by its language, as pydantic-ai's tests/test_examples.py does with
# pytest-examples (there for Python; here most blocks are shell):
# - ```python blocks are executed;
# - shell blocks (```bash, ```sh or no language) are parsed into commands, and each command is checked against what
#   it names: `ml-intern ...` against the real argument parser (a flag that does not exist fails), the files it names
#   under examples/ must exist, and `ml-intern plan` on an example is run for real (offline, a second); `python -m M`
#   needs M to be importable; `python benchmarks/X.py --flag` needs the script and its flag; `pip install` needs each
#   extra to be in pyproject.toml and torch pinned as .ci/run pins it; a generated project's command must be the
#   builder's. Installing, training for minutes and starting clusters are not run: CI runs the README's test command
#   (checked above to be .ci/run's), and the tests train real tiny models;
# - ```text blocks are pictures or output (docs/cli.md's, checked above against --help) and are not run.
# A command this test does not know fails it: teach the test, rather than leave a command unchecked.

import importlib.util  # noqa: E402
import shlex  # noqa: E402
import tomllib  # noqa: E402

import pytest  # noqa: E402

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SHELL = ("", "bash", "sh", "shell")
EXTERNAL = {"cd", "ray"}  # other tools' commands: named in docs, not ours to check


def code_blocks() -> list[tuple[str, str, str]]:
    """(id "file:line", language, text) of every fenced block."""
    found = []
    for path in DOCS:
        text = path.read_text()
        for m in re.finditer(r"^```([\w-]*)\n(.*?)^```$", text, re.M | re.S):
            line = text[: m.start()].count("\n") + 1
            found.append((f"{path.relative_to(ROOT)}:{line}", m.group(1), m.group(2)))
    return found


def shell_commands(block: str) -> list[list[str]]:
    """The simple commands of a shell block: continuation lines joined, comments dropped, split at && ; & |."""
    commands = []
    for line in block.replace("\\\n", " ").splitlines():
        if " [-" in line:  # a synopsis (`ml-intern bench [--scale smoke|small|paper]`): its | are not pipes
            commands.append(line.split())
            continue
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|")
        lexer.whitespace_split, lexer.commenters = True, "#"
        command: list[str] = []
        for token in lexer:
            if token in ("&&", ";", "&", "|", "||"):
                commands.append(command)
                command = []
            else:
                command.append(token)
        commands.append(command)
    return [[t for i, t in enumerate(c) if not (re.fullmatch(r"[A-Z_]+=\S*", t) and all(
        re.fullmatch(r"[A-Z_]+=\S*", u) for u in c[:i]))] for c in commands if c]


def check_ml_intern(args: list[str], tmp_path: Path) -> None:
    from ml_intern.cli import build_parser, main

    parser = build_parser()
    if any(a.startswith("[") for a in args):  # a synopsis: `ml-intern bench [--suite classic] ...`
        sub = next(a for a in parser._actions if a.dest == "command").choices[args[0]]
        known = {o for a in sub._actions for o in a.option_strings}
        flags = {m for a in args for m in re.findall(r"(--[\w-]+)", a)}
        assert flags <= known, f"ml-intern {args[0]} has no {sorted(flags - known)}"
        return
    try:
        parser.parse_args(args)
    except SystemExit as exc:
        raise AssertionError(f"`ml-intern {shlex.join(args)}` does not parse (exit {exc.code})") from None
    for a in args:
        if a.startswith("examples/"):
            assert (ROOT / a).exists(), f"{a} does not exist"
    if args[0] == "plan" and args[1].startswith("examples/"):  # offline and fast: run it
        assert main(["--home", str(tmp_path / "home"), *[str(ROOT / a) if a.startswith("examples/") else a
                                                         for a in args], "--json"]) == 0


def check_python(args: list[str]) -> None:
    if args[0] == "-m":
        module = args[1]
        assert module in ("venv", "pytest") or importlib.util.find_spec(module) is not None, f"no module {module}"
        return
    script = args[0]
    if script == "train.py":  # a generated project's command
        from ml_intern.codegen.builder import COMMAND

        assert shlex.join(["python", *args]) == COMMAND, f"the project's command is `{COMMAND}`"
        return
    assert (ROOT / script).exists(), f"no script {script}"
    text = (ROOT / script).read_text()
    for flag in (a for a in args[1:] if a.startswith("--")):
        assert f'"{flag}"' in text, f"{script} has no {flag}"


def check_pip(args: list[str]) -> None:
    assert args[0] == "install", args
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    torch_pin = re.search(r"torch==[\w.]+", (ROOT / ".ci" / "run").read_text()).group(0)
    for a in args[1:]:
        if m := re.fullmatch(r"(?:ml-intern|\.)\[([\w,-]+)\]", a):
            missing = [e for e in m.group(1).split(",") if e not in extras]
            assert not missing, f"pyproject.toml has no extra {missing}"
        elif a.startswith("torch"):
            assert a == torch_pin, f"{a}: .ci/run installs {torch_pin}"
        else:
            assert a in ("-e", ".", "-r", "-U") or a.endswith("requirements.txt"), f"pip install {a}: unknown"


@pytest.mark.parametrize("where, language, block", code_blocks(), ids=[b[0] for b in code_blocks()])
def test_code_blocks_in_the_docs_run(where, language, block, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    if language == "python":
        exec(compile(block, where, "exec"), {"__name__": "__docs__"})
        return
    if language == "text":
        return
    assert language in SHELL, f"{where}: a ```{language} block: this test knows python, text and shell"
    for command in shell_commands(block):
        program, args = command[0], command[1:]
        name = program.rsplit("/", 1)[-1]
        if name == "ml-intern":
            check_ml_intern(args, tmp_path)
        elif name in ("python", "python3"):
            check_python(args)
        elif name == "pip":
            check_pip(args)
        elif name == "accelerate":
            from ml_intern.codegen.builder import LAUNCH

            assert shlex.join(command) == LAUNCH, f"{where}: the project's launch command is `{LAUNCH}`"
        else:
            assert name in EXTERNAL, f"{where}: `{shlex.join(command)}`: a command this test does not know"


def test_every_block_is_found_and_the_readme_commands_are_among_them():
    blocks = code_blocks()
    readme = [b for w, _, b in blocks if w.startswith("README.md")]
    assert readme[0].startswith("python3 -m venv .venv") and "ml-intern run examples/digits-cnn.pdf" in readme[0]
    assert any(language == "python" for _, language, _ in blocks)
