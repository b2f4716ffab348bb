"""Sources other than a local PDF: arXiv ids and URLs (fetched from a loopback server of recorded responses),
HTML and LaTeX renderings, and one-line task prompts."""

import gzip
import io
import json
import tarfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conftest import SAMPLE_PDF
from ml_intern.errors import InputError
from ml_intern.paper import extract_spec, read_source
from ml_intern.paper.arxiv import parse_arxiv

HTML = b"""<!DOCTYPE html><html><head><title>A Paper Rendered in HTML</title><script>var x = 1;</script></head>
<body><h1>A Paper Rendered in HTML</h1><h2>1 Introduction</h2><p>We classify images.</p>
<h2>4 Experiments</h2><p>We train with a learning rate of 3&#215;10<sup>-4</sup> and a batch size of 32 on
CIFAR-10 for 50 epochs.</p><table><tr><th>Model</th><th>Accuracy</th></tr><tr><td>Ours</td><td>93.1</td></tr></table>
</body></html>"""


class Recorded(BaseHTTPRequestHandler):
    """Serves recorded arXiv responses: ROUTES maps a path to (status, body); anything else is a 404."""

    routes: dict = {}
    seen: list = []

    def do_GET(self):  # noqa: N802
        self.seen.append(self.path)
        status, body = self.routes.get(self.path, (404, b"not found"))
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def arxiv(monkeypatch, tmp_path):
    Recorded.routes, Recorded.seen = {}, []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("ML_INTERN_ARXIV_URL", f"http://127.0.0.1:{server.server_port}")
    monkeypatch.setenv("ML_INTERN_HOME", str(tmp_path / "home"))
    yield Recorded
    server.shutdown()


@pytest.mark.parametrize("text, parsed", [
    ("1810.04805", ("1810.04805", "")), ("arXiv:1810.04805v2", ("1810.04805", "v2")),
    ("https://arxiv.org/abs/1810.04805", ("1810.04805", "")), ("https://arxiv.org/pdf/1810.04805v1.pdf", ("1810.04805", "v1")),
    ("http://arxiv.org/pdf/1409.3215", ("1409.3215", "")), ("hep-th/9901001", ("hep-th/9901001", "")),
    ("paper.pdf", None), ("fine-tune BERT on SST-2", None),
])
def test_arxiv_ids_and_urls(text, parsed):
    assert parse_arxiv(text) == parsed


def test_html_first(arxiv, tmp_path):
    arxiv.routes["/html/2101.00001"] = (200, HTML)
    paper = read_source("arXiv:2101.00001")
    assert paper.kind == "html" and paper.source == "arXiv:2101.00001" and paper.title == "A Paper Rendered in HTML"
    assert arxiv.seen == ["/html/2101.00001"]
    assert "var x" not in paper.pages[0].text and "Model Accuracy" in paper.pages[0].text
    assert [s.title for s in paper.sections] == ["A Paper Rendered in HTML", "Introduction", "Experiments"]
    assert paper.tables[0].rows == [["Model", "Accuracy"], ["Ours", "93.1"]]
    spec = extract_spec(paper)
    assert spec.hyperparameter("learning_rate").value == pytest.approx(3e-4)
    assert spec.hyperparameter("batch_size").value == 32 and spec.datasets[0].resolved == "cifar10"
    # cached: a second read does not fetch again
    read_source("https://arxiv.org/abs/2101.00001")
    assert arxiv.seen == ["/html/2101.00001"]


# arXiv's HTML as LaTeXML renders it: math as MathML whose LaTeX source is the math element's alttext
LATEXML = """<!DOCTYPE html><html><head><title>Attention Rendered</title></head><body>
<h2 class="ltx_title">5 Training</h2><p class="ltx_p">We used the Adam optimizer with <math alttext="\\beta_{1}=0.9"
class="ltx_Math" display="inline" id="S5.p1.m1"><semantics><mrow><msub><mi>β</mi><mn>1</mn></msub><mo>=</mo>
<mn>0.9</mn></mrow><annotation encoding="application/x-tex">\\beta_{1}=0.9</annotation></semantics></math>, <math
alttext="\\beta_{2}=0.98" class="ltx_Math" display="inline"><mn>0.98</mn></math> and <math
alttext="\\epsilon=10^{-9}" class="ltx_Math" display="inline"><mn>10</mn></math>, a peak learning rate of <math
alttext="7\\times 10^{-4}" class="ltx_Math" display="inline"><mn>7</mn></math> and <math
alttext="d_{\\text{model}}=512" class="ltx_Math" display="inline"><mn>512</mn></math> in <math alttext="N=6"
class="ltx_Math" display="inline"><mn>6</mn></math> layers, on WMT 2014 English-German.</p></body></html>"""


def test_arxiv_html_math_is_read_from_its_latex_source(arxiv):
    """Values an arXiv paper writes in math ($\\beta_1=0.9$, $7\\times10^{-4}$) are in the HTML only as math: read
    from its LaTeX source, as a PDF's text would show them, not from the MathML's scattered numbers."""
    arxiv.routes["/html/2101.00004"] = (200, LATEXML.encode())
    paper = read_source("2101.00004")
    assert "β1=0.9" in paper.pages[0].text and "semantics" not in paper.pages[0].text
    spec = extract_spec(paper)
    values = {h.name: h.value for h in spec.hyperparameters if h.name != "optimizer"}
    assert values == {"adam_beta1": 0.9, "adam_beta2": 0.98, "adam_epsilon": 1e-9, "learning_rate": 7e-4}
    assert {k: q.value for k, q in spec.architecture.sizes.items()} == {"hidden_size": 512, "num_layers": 6}


def test_pdf_when_there_is_no_html(arxiv):
    arxiv.routes["/pdf/2101.00002"] = (200, SAMPLE_PDF.read_bytes())
    paper = read_source("2101.00002")
    assert paper.kind == "pdf" and arxiv.seen == ["/html/2101.00002", "/pdf/2101.00002"]
    assert paper.file.endswith("paper.pdf")
    assert extract_spec(paper).hyperparameter("learning_rate").value == 0.001


def test_latex_source_as_last_resort(arxiv):
    tex = (b"\\title{Sourced}\\begin{document}\\section{Training}We use a learning rate of $10^{-3}$ "
           b"% a comment: learning rate of 9\n and a batch size of 16~\\cite{x}, with Adam's $\\beta_{2}=0.98$."
           b"\\end{document}")
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        info = tarfile.TarInfo("main.tex")
        info.size = len(tex)
        tar.addfile(info, io.BytesIO(tex))
    arxiv.routes["/e-print/2101.00003"] = (200, gzip.compress(buf.getvalue()))
    paper = read_source("2101.00003")
    assert paper.kind == "latex" and paper.title == "Sourced"
    values = {h.name: h.value for h in extract_spec(paper).hyperparameters}
    assert values == {"learning_rate": 0.001, "batch_size": 16, "adam_beta2": 0.98, "optimizer": "adam"}


def test_offline_fetch_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("ML_INTERN_ARXIV_URL", "http://127.0.0.1:9")  # nothing listens on the discard port
    monkeypatch.setenv("ML_INTERN_HOME", str(tmp_path))
    with pytest.raises(InputError, match="cannot reach arXiv") as info:
        read_source("1810.04805")
    assert "give its path" in info.value.message()


def test_unknown_id(arxiv):
    with pytest.raises(InputError, match="no HTML, PDF or source"):
        read_source("2101.09999")


def test_run_keeps_the_fetched_file_in_the_run_folder(arxiv, cli, home):
    arxiv.routes["/pdf/2101.00002"] = (200, SAMPLE_PDF.read_bytes())
    code, out, err = cli("read", "2101.00002", "--json")
    assert code == 0, err
    code, out, err = cli("plan", "2101.00002", "--json")
    assert code == 0 and json.loads(out)["hyperparameters"]["learning_rate"]["value"] == 0.001


def test_one_line_prompt():
    paper = read_source("pre-train GPT-2 on WikiText-103 with a learning rate of 6e-4")
    spec = extract_spec(paper)
    assert paper.kind == "prompt"
    assert spec.architecture.model.value == "openai-community/gpt2"
    assert spec.task_type.value == "causal-lm" and spec.datasets[0].resolved == "wikitext103"
    assert spec.hyperparameter("learning_rate").value == 6e-4


def test_prompt_for_a_task_without_a_recipe_is_a_clear_error(cli):
    code, _, err = cli("run", "train a speech recognition model on LibriSpeech")
    assert code == 2 and "the paper's task is speech recognition" in err and "no recipe trains it" in err
    assert "word error rate" in err  # what training it needs that no recipe has


def test_prompt_plans_a_known_recipe(cli):
    code, out, err = cli("plan", "fine-tune BERT on SST-2", "--json")
    assert code == 0, err
    plan = json.loads(out)
    assert plan["recipe"] == "text-classification" and plan["dataset"]["loader"] == "hub:stanfordnlp/sst2"
    assert plan["model"]["model"]["value"] == "google-bert/bert-base-uncased"
    assert plan["model"]["model"]["source"]["quote"] == "fine-tune BERT on SST-2"


@pytest.mark.e2e
def test_prompt_runs_end_to_end(cli, home):
    code, out, err = cli("run", "train a small CNN on the scikit-learn digits", "--scale", "smoke", "--json")
    assert code == 0, err
    run = json.loads(out)
    assert (home / run["id"] / "source" / "prompt.txt").read_text().startswith("train a small CNN")
    plan = json.loads((home / run["id"] / "plan.json").read_text())
    assert plan["recipe"] == "image-classification" and any("inferred from the data set" in w for w in plan["warnings"])
