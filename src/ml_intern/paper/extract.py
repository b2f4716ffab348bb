"""The rule-based extractor: patterns over the paper text find hyperparameters, task, architecture, data
sets and metrics, each with the page and a verbatim quote.

It is always available and needs no LLM. The contract every extractor keeps (this one, and the LLM one a
later issue adds): ``extract_spec(paper) -> PaperSpec``, and every value carries a quote that is found in
the paper text, or it is dropped (``validate_quotes``).
"""

from __future__ import annotations

import re
from pathlib import Path
from collections.abc import Callable, Iterator

import yaml

from ml_intern.paper.models import (
    Architecture,
    DatasetRef,
    Hyperparameter,
    MetricRef,
    Negation,
    Paper,
    PaperSpec,
    Quoted,
    SourceRef,
    normalise_ws,
)
from ml_intern.registry import find_datasets, find_models, get_dataset

# A number as papers print it: 0.001, 1e-3, 1,797, 3 × 10^-4, 370K, and PDF text whose superscripts were lost:
# "10−4" (unicode minus straight after 10) is 1e-4, "5 · 10−4" is 5e-4.
_N = (r"(?<![\w.])(?:(?:\d+(?:\.\d+)?\s*[×x·]\s*)?10\s*\^?\s*[-−]\s*\d+(?!\d|\.\d)"
      r"|\d[\d,]*(?:\.\d+)?(?:\s*[eE][-−+]?\d+)?(?:\s*[×x·]\s*10\s*\^?\s*[-−]?\d+)?[KkM]?(?![\w])"
      r"|\.\d+)")
NUM = "(" + _N + ")"
_CONNECT = r"(?:\s+(?:of|is|was|were|to|at|set to|equal to|with p)|\s*[:=])*\s*"
# between a name and its value: a citation, or a few words that end in a connector ("was initially set to")
_CITE = r"(?:\s*\[[\d,\s–-]+\])?"
# words that end the phrase about one setting: "momentum and a batch size of 256" gives no momentum of 256
_STOP = (r"(?:and|with|by|every|after|first|warm-?up|factor|decay(?:ed|s)?|momentum|batch|dropout|weight|epochs?|"
         r"steps?|iterations?|for|then|multiplied|divided|reduced|increased|decreased|halved|doubled)")
_GAP = r"(?:(?:\s+(?!" + _STOP + r"\b)[\w()'-]+){0,6}?\s*\b(?:of|to|at|is|was|=)\s*|" + _CONNECT + ")"
# "every 30 epochs", "the first 4000 steps", "after 5 epochs", "at 32k iterations" are schedules, not lengths
_NOT_LENGTH = r"(?<!every )(?<!Every )(?<!first )(?<!at )(?<!At )(?<!by )(?<!last )"
_NOT_EPOCHS = _NOT_LENGTH + r"(?<!after )(?<!After )"  # "after 5 epochs we halve the rate": a schedule
_NOT_STEPS = _NOT_LENGTH + r"(?<!warmup of )(?<!warm-up of )(?<!warmup )(?<!warm-up )"  # "stopped after 370K" counts


def parse_number(text: str) -> float | int:
    """Parse a number as printed in a paper; ints stay ints."""
    t = text.replace("−", "-").replace(",", "").replace(" ", "")
    scale = 1
    if t[-1:] in ("K", "k", "M"):
        scale, t = (1000 if t[-1] in "Kk" else 1_000_000), t[:-1]
    m = re.fullmatch(r"(?:([\d.]+(?:[eE][-+]?\d+)?)[×x·])?10\^?(-\d+)", t)
    if m:  # a lost superscript: 10−4, 5·10−4
        return float(m.group(1) or 1) * 10.0 ** int(m.group(2))
    m = re.fullmatch(r"([\d.]+(?:[eE][-+]?\d+)?)(?:[×x·]10\^?(-?\d+))?", t)
    if not m:
        raise ValueError(f"not a number: {text!r}")
    base = float(m.group(1))
    if m.group(2) is not None:
        base *= 10.0 ** int(m.group(2))
    elif re.fullmatch(r"\d+", m.group(1)):
        return int(m.group(1)) * scale
    return base * scale if scale == 1 else int(base * scale) if (base * scale).is_integer() else base * scale


class PageText:
    """A page's text with white space normalised (what quotes are checked against) and the places where a
    quote may start or end: sentence ends, and line breaks after short unpunctuated lines (headings, title
    lines, table cells), so that a quote never runs a heading into the sentence below it."""

    def __init__(self, raw: str):
        lines = [normalise_ws(line) for line in raw.splitlines()]
        lines = [line for line in lines if line]
        # the length of a full prose line; tables and headings make the median useless here
        typical = sorted(len(line) for line in lines)[int(len(lines) * 0.9)] if lines else 0
        self.text = " ".join(lines)
        self.breaks = {0, len(self.text)}
        offset = 0
        for i, line in enumerate(lines):
            if i and (len(lines[i - 1]) < 0.6 * typical and lines[i - 1][-1] not in ".,;:?!"):
                self.breaks.add(offset)
            offset += len(line) + 1
        for m in re.finditer(r"[.?!](?= [A-Z0-9(])", self.text):
            self.breaks.add(m.end() + 1)
        self._sorted = sorted(self.breaks)

    def quote(self, start: int, end: int, limit: int = 240) -> str:
        """The smallest span between breaks that covers text[start:end]; cut to whole words if too long."""
        left = max(b for b in self._sorted if b <= start)
        right = min(b for b in self._sorted if b >= end)
        if right - left > limit:
            left = max(left, self.text.rfind(" ", 0, max(start - 60, 0)) + 1)
            cut = self.text.find(" ", end + 60)
            right = min(right, cut if cut != -1 else len(self.text))
        return self.text[left:right].strip()


# (canonical name, pattern, converter). Group 1 is the value. Negations are handled separately.
_Rule = tuple[str, re.Pattern[str], Callable[[re.Match[str]], object]]


def _num(m: re.Match[str]) -> object:
    return parse_number(m.group(1))


def _list(m: re.Match[str]) -> object:
    parts = [p for p in re.split(r"\s*(?:,|\bor\b|\band\b)\s*", m.group(1)) if p.strip()]
    values = [parse_number(p.strip()) for p in parts]
    if len(values) < 2:
        raise ValueError("not a list")
    return values


def _count(m: re.Match[str]) -> object:
    value = parse_number(m.group(1))
    if float(value) != int(value) or value <= 0:
        raise ValueError("a count is a whole positive number")
    return int(value)


def _pct(m: re.Match[str]) -> object:
    return round(parse_number(m.group(1)) / 100.0, 6)


def _lower(m: re.Match[str]) -> object:
    return m.group(1).lower().replace("-", "")


_I = re.IGNORECASE
HYPERPARAMETER_RULES: list[_Rule] = [
    ("learning_rate", re.compile(r"\b(?:initial |base |peak )?learning[ -]rate(?: \(lr\))?" + _CITE + _GAP + NUM, _I), _num),
    ("batch_size", re.compile(r"\b(?:mini-?)?batch(?:[ -]size)?" + _CITE + _GAP + r"(?<![\w.])(\d+)(?!\.?\d)", _I), _num),
    ("batch_size", re.compile(r"\b(?:mini-?)?batch(?:es)? of (\d+)(?!\.?\d)", _I), _num),
    # lists: "batch size of 16 or 32", "learning rate in {1e-5, 2e-5, 3e-5}", "learning rates of 1e-4, 3e-4 and 1e-3"
    ("batch_size", re.compile(r"\bbatch[ -]sizes?" + _GAP + r"((?:\d+\s*(?:,|or|and)\s*)+\d+)(?!\.?\d)", _I), _list),
    ("batch_size", re.compile(r"\bbatch[ -]sizes?\s*(?:in|from|of|∈|=)?\s*\{([^}]{1,80})\}", _I), _list),
    ("learning_rate", re.compile(r"\blearning[ -]rates?\s*(?:in|from|of|∈|=)?\s*\{([^}]{1,80})\}", _I), _list),
    ("learning_rate", re.compile(r"\blearning[ -]rates?" + _GAP + "(" + _N + r"(?:\s*(?:,|or|and)\s*" + _N + ")+)", _I),
     _list),
    # lower-case "epochs" only: in a flattened table "Batch size 64 Epochs 30" must not read as 64 epochs.
    ("epochs", re.compile(_NOT_EPOCHS + r"(?<![\w.])(\d+(?:\.\d+)?) (?:training )?epochs\b"), _num),
    ("epochs", re.compile(r"(?<![\w.])(\d+) and (\d+) (?:training )?epochs\b"),
     lambda m: [int(m.group(1)), int(m.group(2))]),
    ("epochs", re.compile(r"\bepochs" + _CONNECT + r"(?<![\w.])(\d+)(?!\.?\d)", _I), _num),
    ("max_steps", re.compile(_NOT_STEPS + NUM + r" (?:training )?(?:steps|iterations|updates)\b", _I), _count),
    ("warmup_steps", re.compile(r"(?<![\w.])(\d[\d,]*) warm-?up steps", _I), _num),
    ("warmup_steps", re.compile(r"\bwarm-?up (?:of |for |over )?(?:the first )?(\d[\d,]*) (?:steps|iterations|updates)",
                                _I), _num),
    ("weight_decay", re.compile(r"\bweight[ -]decay" + _CITE + r"(?: \(the L2 penalty multiplier)?" + _GAP + NUM, _I), _num),
    ("momentum", re.compile(r"\b(?:Nesterov )?momentum" + _CITE + _GAP + NUM, _I), _num),
    ("dropout", re.compile(r"\bdropout(?: rate| ratio| probability)?" + _GAP + NUM, _I), _num),
    ("label_smoothing", re.compile(r"\blabel smoothing" + _CITE + _GAP + NUM, _I), _num),
    ("grad_clip", re.compile(r"\bclip(?:ped|ping)? (?:the )?gradients?(?: norm)?" + _CONNECT + NUM, _I), _num),
    ("grad_clip", re.compile(r"\bgradient clipping" + _CONNECT + NUM, _I), _num),
    ("grad_clip", re.compile(r"\bnorm of the gradient[^.]{0,80}?\bthreshold of " + NUM, _I), _num),
    ("seed", re.compile(r"\b(?:random )?seed" + _CONNECT + r"(\d+)\b", _I), _num),
    ("lr_schedule", re.compile(r"\b(cosine|linear|step|constant|exponential|polynomial|inverse square root)"
                               r"(?: learning[ -]rate)? (?:schedule|decay|annealing)", _I), _lower),
    ("lr_schedule", re.compile(r"\b(?:lr|learning[ -]rate) schedule" + _CONNECT + r"(cosine|linear|step|constant)\b",
                               _I), _lower),
    ("test_fraction", re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*% of (?:the )?(?:\w+ ){0,3}as (?:a |the )?test", _I), _pct),
    ("validation_fraction", re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*% of (?:the )?(?:\w+ ){0,3}as (?:a |the )?"
                                       r"validation", _I), _pct),
]

# Optimizers by preference: "SGD together with Adadelta" trains with Adadelta.
OPTIMIZERS = [("adamw", r"AdamW"), ("adam", r"Adam(?!W|ax)"), ("adadelta", r"Adadelta|ADADELTA"),
              ("adagrad", r"Adagrad|AdaGrad"), ("rmsprop", r"RMSProp|RMSprop"), ("lamb", r"LAMB"),
              ("adafactor", r"Adafactor"), ("sgd", r"SGD|stochastic gradient descent")]

# "without momentum", "no warm-up": a stated absence. Not a value (the name gets none), but recorded with its quote
# so the planner can say "none, as the paper says" instead of filling a default.
NEGATION_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("warmup_steps", re.compile(r"\b(?:without|no) (?:learning[ -]rate )?warm-?up\b", _I)),
    ("momentum", re.compile(r"\bwithout momentum\b", _I)),
    ("weight_decay", re.compile(r"\b(?:without|no) weight decay\b", _I)),
    ("dropout", re.compile(r"\b(?:without|no) dropout\b", _I)),
]

TASK_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("causal-lm", re.compile(r"\bpre-?train(?:ing)? (?:a |an |the )?(?:[\w.-]+ ){0,3}(?:language model|LM|GPT[\w.-]*)\b", _I)),
    ("image-classification", re.compile(r"\bimage classif\w*|\bclassif\w* (?:of )?(?:\w+ ){0,2}images\b", _I)),
    ("text-classification", re.compile(r"\b(?:text|sentence|sentiment) classif\w*", _I)),
    ("token-classification", re.compile(r"\b(?:named entity recognition|token classification)\b", _I)),
    ("causal-lm", re.compile(r"\blanguage model(?:ing)? (?:pre-?training|from scratch)\b", _I)),
    ("seq2seq", re.compile(r"\b(?:machine translation|summari[sz]ation)\b", _I)),
    ("tabular-classification", re.compile(r"\btabular classif\w*", _I)),
]

LOSS_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("label_smoothed_cross_entropy", re.compile(r"\blabel[- ]smoothed cross[- ]entropy\b", _I)),
    ("cross_entropy", re.compile(r"\bcross[- ]entropy(?: loss)?\b|\bnegative log[- ]likelihood\b|\bNLL\b", _I)),
    ("mse", re.compile(r"\bmean squared error\b|\bMSE\b|\bL2 loss\b", _I)),
    ("l1", re.compile(r"\bmean absolute error\b|\bL1 loss\b", _I)),
    ("ctc", re.compile(r"\bCTC loss\b|\bconnectionist temporal classification\b", _I)),
    ("contrastive", re.compile(r"\b(?:InfoNCE|contrastive loss|NT-Xent)\b", _I)),
    ("hinge", re.compile(r"\bhinge loss\b", _I)),
]

FAMILY_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("resnet", re.compile(r"\bResNet(?:-\d+)?\b")),
    ("vit", re.compile(r"\b(?:ViT|vision transformer)\b", _I)),
    ("cnn", re.compile(r"\b(?:convolutional (?:neural )?network|CNN|ConvNet)s?\b", _I)),
    ("transformer", re.compile(r"\bTransformer\b")),
    ("lstm", re.compile(r"\bLSTM\b")),
    ("mlp", re.compile(r"\b(?:MLP|multi-?layer perceptron)\b", _I)),
]

SIZE_RULES: list[tuple[str, re.Pattern[str], Callable[[re.Match[str]], object]]] = [
    ("conv_channels", re.compile(r"\b(\d+) and (\d+) (?:output )?(?:channels|filters|feature maps)\b", _I),
     lambda m: [int(m.group(1)), int(m.group(2))]),
    ("kernel_size", re.compile(r"\b(\d+)\s*[x×]\s*\1 convolution", _I), lambda m: int(m.group(1))),
    ("hidden_size", re.compile(r"\b(\d+) hidden units\b", _I), lambda m: int(m.group(1))),
    ("num_layers", re.compile(r"\b(\d+|two|three|four) (?:hidden |convolution(?:al)? )?layers\b", _I),
     lambda m: {"two": 2, "three": 3, "four": 4}.get(m.group(1).lower()) or int(m.group(1))),
]

METRIC_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[str, str | None, float]]]] = [
    (re.compile(r"\b(test|validation|top-1)? ?(accuracy|error|F1)" + _CONNECT + r"(\d+(?:\.\d+)?)\s*%", _I),
     lambda m: (m.group(2).lower(), (m.group(1) or "").lower() or None, float(m.group(3)) / 100.0)),
    (re.compile(r"(?<!by )(?<!of )(?<!to )(?<!from )(?<![\w.])(\d+(?:\.\d+)?)\s*% (test |validation |top-1 )?"
                r"(accuracy|error)\b", _I),
     lambda m: (m.group(3).lower(), (m.group(2) or "").strip().lower() or None, float(m.group(1)) / 100.0)),
    (re.compile(r"\b(test |validation )?perplexity" + _CONNECT + NUM, _I),
     lambda m: ("perplexity", (m.group(1) or "").strip().lower() or None, float(parse_number(m.group(2))))),
    (re.compile(r"\bBLEU(?: score)?" + _CONNECT + NUM), lambda m: ("bleu", None, float(parse_number(m.group(1))))),
]


_REFERENCES = re.compile(r"^\s*(?:\d+\s+)?(?:References|REFERENCES|Bibliography)\s*$", re.M)
# an appendix heading: the word, or "A TITLE IN CAPITALS" / "A.1 Title"; not a wrapped reference title such as
# "A Simple Framework for Contrastive Learning"
_APPENDIX = re.compile(r"^\s*(?:Appendix\b|APPENDIX\b|Supplementary Material|SUPPLEMENTARY|A\s+[A-Z][A-Z ,:-]{3,60}$"
                       r"|A\.1\.?\s+[A-Z]\S*(?:\s+\S+){0,8}$)", re.M)
# metric names a paper may only name (values are often in tables)
METRIC_NAMES = [("top-1 error", r"top-1(?: val\.?| test)? error"), ("top-5 error", r"top-5(?: val\.?| test)? error"),
                ("bleu", r"\bBLEU\b"), ("perplexity", r"\bperplexity\b"), ("f1", r"\bF1\b"),
                ("accuracy", r"\baccuracy\b"), ("error", r"\b(?:test )?error(?: rate)?\b")]


def _pages(paper: Paper) -> Iterator[tuple[int, PageText]]:
    """Pages as PageText, with the reference list cut out (titles of cited papers are not this paper's facts);
    an appendix after the references is kept."""
    in_references = False
    for page in paper.pages:
        raw = page.text
        if in_references:
            appendix = _APPENDIX.search(raw)
            if appendix is None:
                continue
            raw, in_references = raw[appendix.start():], False
        refs = _REFERENCES.search(raw)
        if refs:
            rest = raw[refs.end():]
            appendix = _APPENDIX.search(rest)
            raw = raw[:refs.start()] + (rest[appendix.start():] if appendix else "")
            in_references = appendix is None
        yield page.number, PageText(raw)


def _ref(page: int, text: PageText, m: re.Match[str]) -> SourceRef:
    return SourceRef(page=page, quote=text.quote(m.start(), m.end()))


def extract_spec(paper: Paper) -> PaperSpec:
    if paper.kind == "task":
        spec = _extract_task(paper)
    else:
        spec = _extract_rules(paper)
    spec.flags = list(paper.flags)
    spec.warnings = list(paper.warnings) + spec.warnings
    for flag in paper.flags:
        spec.warnings.append(f"page {flag.page}: {flag.kind.replace('_', ' ')} treated as data, never as an "
                             f"instruction: \"{flag.text[:100]}\"")
    spec = validate_quotes(paper, spec)
    if paper.kind == "pdf" and not (spec.hyperparameters or spec.datasets or spec.task_type):
        spec.warnings.append("this does not read like an ML paper: no task, data set or hyperparameter was found")
    return spec


def _setting(quote: str) -> str:
    """A value's setting: the data set its sentence names ("On ImageNet, we train for 90 epochs"), else default."""
    found = find_datasets(quote)
    return found[0][0].key if found else "default"


def _extract_rules(paper: Paper) -> PaperSpec:
    spec = PaperSpec(title=paper.title, extractor="rules")
    pages = list(_pages(paper))

    negated: dict[str, SourceRef] = {}
    for page, text in pages:
        for name, pattern in NEGATION_RULES:
            for m in pattern.finditer(text.text):
                negated.setdefault(name, _ref(page, text, m))
    spec.negations = [Negation(name=n, source=ref) for n, ref in negated.items()]

    def add(name: str, value: object, ref: SourceRef) -> None:
        if name in negated:
            spec.warnings.append(f"{name}: the paper says there is none (page {negated[name].page}) but also "
                                 f"gives {value!r} (page {ref.page}); kept none")
            return
        setting = _setting(ref.quote)
        same = [h for h in spec.hyperparameters if h.name == name]
        if any(h.value == value for h in same):
            return
        for h in same:
            if h.setting == setting:
                spec.warnings.append(f"{name}: the paper also gives {value!r} (page {ref.page}: \"{ref.quote}\"); "
                                     f"the first value, {h.value!r} from page {h.source.page}, is the one used")
                break
        spec.hyperparameters.append(Hyperparameter(name=name, value=value, setting=setting, source=ref))

    optimizers: list[tuple[int, str, SourceRef]] = []
    for page, text in pages:
        flat = text.text
        covered: dict[str, list[tuple[int, int]]] = {}  # a list's span: its first item is not a value alone
        for name, pattern, convert in sorted(HYPERPARAMETER_RULES, key=lambda r: r[2] is not _list):
            for m in pattern.finditer(flat):
                if any(a <= m.start(1) < b for a, b in covered.get(name, [])):
                    continue
                try:
                    add(name, convert(m), _ref(page, text, m))
                except ValueError:
                    continue
                if convert is _list:
                    covered.setdefault(name, []).append((m.start(), m.end()))
        for rank, (name, pattern) in enumerate(OPTIMIZERS):
            if (m := re.search(rf"\b(?:{pattern})\b", flat)) and all(o[1] != name for o in optimizers):
                optimizers.append((rank, name, _ref(page, text, m)))
        if spec.task_type is None:
            hits = [(m.start(), task, m) for task, p in TASK_RULES if (m := p.search(flat))]
            if hits:
                _, task, m = min(hits, key=lambda h: h[0])
                spec.task_type = Quoted(value=task, source=_ref(page, text, m))
        if spec.loss is None:
            hits = [(m.start(), loss, m) for loss, p in LOSS_RULES if (m := p.search(flat))]
            if hits:
                _, loss, m = min(hits, key=lambda h: h[0])
                spec.loss = Quoted(value=loss, source=_ref(page, text, m))
        if spec.architecture.family is None:
            hits = [(m.start(), fam, m) for fam, p in FAMILY_RULES if (m := p.search(flat))]
            if hits:
                _, fam, m = min(hits, key=lambda h: h[0])
                spec.architecture.family = Quoted(value=fam, source=_ref(page, text, m))
        if spec.architecture.model is None and (models := find_models(flat)):
            info, m = models[0]
            spec.architecture.model = Quoted(value=info.hub_id, source=_ref(page, text, m))
            if spec.architecture.family is None:
                spec.architecture.family = Quoted(value=info.family, source=_ref(page, text, m))
        for name, pattern, convert in SIZE_RULES:
            if name not in spec.architecture.sizes and (m := pattern.search(flat)):
                spec.architecture.sizes[name] = Quoted(value=convert(m), source=_ref(page, text, m))
        for info, m in find_datasets(flat):
            if all(d.resolved != info.key for d in spec.datasets):
                spec.datasets.append(DatasetRef(name=m.group(0), resolved=info.key, license=info.license,
                                                source=_ref(page, text, m)))
        for pattern, convert in METRIC_RULES:
            for m in pattern.finditer(flat):
                name, split, value = convert(m)
                if not any(x.name == name and x.split == split and x.value == value for x in spec.metrics):
                    spec.metrics.append(MetricRef(name=name, value=value, split=split, source=_ref(page, text, m)))
        for name, pattern in METRIC_NAMES:
            if not any(x.name == name for x in spec.metrics) and (m := re.search(pattern, flat, _I)):
                spec.metrics.append(MetricRef(name=name, source=_ref(page, text, m)))
    if optimizers:
        _, name, ref = min(optimizers, key=lambda o: o[0])
        add("optimizer", name, ref)
    settings = [h.setting for h in spec.hyperparameters]
    spec.settings = list(dict.fromkeys(["default", *settings]))
    # the setting to reproduce by default: the first data set the paper names that has values of its own
    spec.default_setting = next((d.resolved for d in spec.datasets if d.resolved in spec.settings), "default")
    return spec


def _line_quote(text: str, key: str, value: object) -> SourceRef:
    """Quote the task file's own line for ``key`` (page 1 is the whole file)."""
    for line in text.splitlines():
        stripped = line.strip()
        if re.match(rf"{re.escape(key)}\s*:", stripped):
            return SourceRef(page=1, quote=stripped)
    return SourceRef(page=1, quote=f"{key}: {value}")  # rejected by validate_quotes if not in the file


def _extract_task(paper: Paper) -> PaperSpec:
    text = paper.pages[0].text
    task = yaml.safe_load(text)
    spec = PaperSpec(title=paper.title, extractor="task-file")
    spec.task_type = Quoted(value=str(task["task"]), source=_line_quote(text, "task", task["task"]))
    if model := task.get("model"):
        spec.architecture.family = Quoted(value=str(model), source=_line_quote(text, "model", model))
    for key, value in (task.get("architecture") or {}).items():
        spec.architecture.sizes[key] = Quoted(value=value, source=_line_quote(text, key, value))
    if dataset := task.get("dataset"):
        info = get_dataset(str(dataset))
        kind, _, where = str(dataset).partition(":")
        name = str(dataset)
        if kind in ("csv", "json", "text") and where and not where.startswith(("pkg:", "/")) and paper.file:
            name = f"{kind}:{(Path(paper.file).parent / where).resolve()}"  # relative to the task file
        spec.datasets.append(DatasetRef(name=name, resolved=info.key if info else None,
                                        license=info.license if info else None,
                                        source=_line_quote(text, "dataset", dataset)))
    if metric := task.get("metric"):
        spec.metrics.append(MetricRef(name=str(metric), source=_line_quote(text, "metric", metric)))
    for key, value in (task.get("hyperparameters") or {}).items():
        spec.hyperparameters.append(Hyperparameter(name=str(key), value=value, source=_line_quote(text, key, value)))
    return spec


def validate_quotes(paper: Paper, spec: PaperSpec) -> PaperSpec:
    """Drop every value whose quote is not found verbatim on its page; say so in the warnings."""

    instructions = [(f.page, normalise_ws(f.text)) for f in paper.flags if f.kind == "instruction"]

    def ok(what: str, ref: SourceRef) -> bool:
        if not paper.contains_quote(ref.page, ref.quote):
            spec.warnings.append(f"dropped {what}: its quote is not on page {ref.page} (\"{ref.quote[:80]}\")")
            return False
        quote = normalise_ws(ref.quote)
        if any(page == ref.page and (text in quote or quote in text) for page, text in instructions):
            spec.warnings.append(f"dropped {what}: its quote is text addressed to an AI (page {ref.page})")
            return False
        return True

    spec.hyperparameters = [h for h in spec.hyperparameters if ok(h.name, h.source)]
    spec.datasets = [d for d in spec.datasets if ok(f"dataset {d.name}", d.source)]
    spec.metrics = [m for m in spec.metrics if ok(f"metric {m.name}", m.source)]
    if spec.task_type and not ok("task_type", spec.task_type.source):
        spec.task_type = None
    if spec.architecture.family and not ok("architecture family", spec.architecture.family.source):
        spec.architecture.family = None
    if spec.architecture.model and not ok("model", spec.architecture.model.source):
        spec.architecture.model = None
    if spec.loss and not ok("loss", spec.loss.source):
        spec.loss = None
    spec.architecture.sizes = {k: v for k, v in spec.architecture.sizes.items() if ok(k, v.source)}
    return spec
