"""The read stage: text with page numbers out of a real PDF, and a typed error for every kind of bad input."""

import pytest
from pypdf import PdfWriter

from conftest import SAMPLE_PDF, SAMPLE_TASK
from ml_intern.errors import InputError
from ml_intern.paper import read_source


def test_sample_paper_has_two_pages_of_text():
    paper = read_source(SAMPLE_PDF)
    assert paper.kind == "pdf"
    assert [p.number for p in paper.pages] == [1, 2]
    assert "hold out 20% of the images" in paper.page_text(1)
    assert "learning rate of 0.001" in paper.page_text(2)
    assert paper.title == "A Small Convolutional Network for 8x8 Handwritten Digits"
    assert len(paper.sha256) == 64


def test_quote_lookup_normalises_white_space():
    paper = read_source(SAMPLE_PDF)
    assert paper.contains_quote(2, "a  learning rate\nof 0.001")
    assert not paper.contains_quote(1, "a learning rate of 0.001")  # it is on page 2
    assert not paper.contains_quote(3, "anything")


def test_task_file_is_one_page_of_yaml():
    paper = read_source(SAMPLE_TASK)
    assert paper.kind == "task"
    assert paper.title == "Small CNN on the scikit-learn digits"
    assert "learning_rate: 0.001" in paper.pages[0].text


def _write(path, data):
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def _blank_pdf(path):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    with open(path, "wb") as f:
        writer.write(f)
    return path


def _image_only_pdf(path):
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    for i in range(20):  # strokes, like a scanned page: marks but no text layer
        c.line(50, 100 + 30 * i, 500, 110 + 30 * i)
    c.showPage()
    c.save()
    return path


@pytest.mark.parametrize("make, problem", [
    (lambda d: d / "missing.pdf", "no such file"),
    (lambda d: d, "is a folder"),
    (lambda d: _write(d / "empty.pdf", b""), "the file is empty"),
    (lambda d: _write(d / "notes.pdf", "just some text"), "not a PDF"),
    (lambda d: _write(d / "cut.pdf", SAMPLE_PDF.read_bytes()[:700]), "corrupt or unreadable PDF"),
    (lambda d: _blank_pdf(d / "blank.pdf"), "no text layer"),
    (lambda d: _image_only_pdf(d / "scan.pdf"), "no text layer"),
    (lambda d: _write(d / "t.yaml", "task: [unclosed"), "not valid YAML"),
    (lambda d: _write(d / "t.yaml", "- a list\n"), "needs a mapping"),
])
def test_bad_input_is_a_typed_error_naming_the_file(tmp_path, make, problem):
    path = make(tmp_path)
    with pytest.raises(InputError) as info:
        read_source(path)
    message = info.value.message()
    assert problem in message
    assert str(path) in message
    assert "\n" not in message
    assert info.value.exit_code == 2


def test_a_setting_is_chosen_with_one_flag_and_an_unknown_one_is_a_clear_error(cli):
    from ml_intern.paper.models import Hyperparameter, PaperSpec, SourceRef

    ref = SourceRef(page=1, quote="q")
    spec = PaperSpec(hyperparameters=[Hyperparameter(name="learning_rate", value=2.5e-4, setting="pretraining", source=ref),
                                      Hyperparameter(name="learning_rate", value=6.25e-5, setting="finetuning", source=ref),
                                      Hyperparameter(name="epochs", value=3, source=ref)],
                     settings=["default", "pretraining", "finetuning"], default_setting="finetuning")
    assert spec.hyperparameter("learning_rate").value == 6.25e-5  # the main result's setting
    chosen = spec.with_setting("pretraining")
    assert chosen.hyperparameter("learning_rate").value == 2.5e-4 and chosen.hyperparameter("epochs").value == 3
    code, _, err = cli("plan", SAMPLE_PDF, "--setting", "pretraining")
    assert code == 2 and "no setting 'pretraining'" in err and "choose one of: default" in err
    code, out, err = cli("plan", SAMPLE_PDF, "--setting", "default")
    assert code == 0, err


def test_the_plan_names_the_setting_it_reproduces_and_each_value_s(cli):
    """`--setting` on `run` reaches the planner (an unknown name is the same clear error as on `plan`), and the plan
    says which of the paper's settings it reproduces and which setting each paper value was stated for."""
    from ml_intern.paper import extract_spec, read_source
    from ml_intern.paper.models import Hyperparameter, SourceRef
    from ml_intern.plan import make_plan

    spec = extract_spec(read_source(SAMPLE_PDF))
    quote = spec.hyperparameter("learning_rate").source.quote
    spec.hyperparameters.append(Hyperparameter(name="learning_rate", value=0.01, setting="pretraining",
                                               source=SourceRef(page=2, quote=quote)))
    spec.settings.append("pretraining")
    main, other = make_plan(spec, "smoke"), make_plan(spec.with_setting("pretraining"), "smoke")
    assert (main.setting, main.hyperparameters["learning_rate"].value) == ("default", 0.001)
    assert main.hyperparameters["learning_rate"].setting == "default"
    assert (other.setting, other.hyperparameters["learning_rate"].value) == ("pretraining", 0.01)
    assert other.hyperparameters["learning_rate"].setting == "pretraining"
    assert other.hyperparameters["batch_size"].setting == "default"  # paper-wide, kept
    code, _, err = cli("run", SAMPLE_PDF, "--scale", "smoke", "--setting", "pretraining")
    assert code == 2 and "no setting 'pretraining'" in err and "choose one of: default" in err
