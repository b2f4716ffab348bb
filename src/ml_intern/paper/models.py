"""Typed outputs of the read stage: ``Paper`` (text with pages) and ``PaperSpec`` (what the experiment needs)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field

from ml_intern.paper.text import Section
from ml_intern.paper.values import size_rank

SourceKind = Literal["pdf", "task", "prompt", "html", "latex"]
STAGES = ("pretraining", "finetuning")  # settings that are a training stage rather than a data set
_WS = re.compile(r"\s+")


def normalise_ws(text: str) -> str:
    """Collapse runs of white space to one space: how quotes are compared with the paper text."""
    return _WS.sub(" ", text).strip()


class Page(BaseModel):
    number: int = Field(ge=1, description="1-based page number as printed by the PDF's page order")
    text: str


class Table(BaseModel):
    page: int
    rows: list[list[str]]


class Flag(BaseModel):
    """Text that tries to act on the reader (hidden text, instructions to an AI): data, never instructions."""

    kind: Literal["hidden_text", "instruction"]
    page: int
    text: str


class Paper(BaseModel):
    """The source as text: what every extractor reads and every quote is checked against."""

    source: str = Field(description="the path or id the user gave")
    kind: SourceKind
    sha256: str = Field(description="fingerprint of the source bytes")
    file: str | None = Field(default=None, description="the local file read (a fetched arXiv file is cached)")
    title: str | None = None
    pages: list[Page]
    sections: list[Section] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def section_text(self, *kinds: str) -> list[tuple[int, str]]:
        """(page, text) of the pages that hold sections of these kinds: what an LLM extractor is fed."""
        wanted = sorted({s.page for s in self.sections if s.kind in kinds})
        return [(p.number, p.text) for p in self.pages if p.number in wanted] or [(p.number, p.text) for p in self.pages]

    def page_text(self, number: int) -> str:
        return next(p.text for p in self.pages if p.number == number)

    def contains_quote(self, page: int, quote: str) -> bool:
        """True when ``quote`` occurs verbatim on ``page`` after normalising white space."""
        if not any(p.number == page for p in self.pages):
            return False
        return normalise_ws(quote) in normalise_ws(self.page_text(page))


class SourceRef(BaseModel):
    """Where a value comes from: the page and a verbatim quote of the paper text."""

    page: int = Field(ge=1)
    quote: str = Field(min_length=1)


# a rate stated per batch of some size, scaled linearly with the batch: its unit ("0.1 × batch size / 256")
PER_BATCH_UNIT = "(× batch size / {})"
# a batch counted in tokens, not in examples ("a batch size of 8,192 tokens"): its unit
TOKENS_UNIT = "tokens"


class Hyperparameter(BaseModel):
    name: str = Field(description="canonical name, e.g. learning_rate, batch_size, epochs")
    value: float | int | str | bool | list[float | int | str]
    unit: str | None = None
    setting: str = "default"
    source: SourceRef
    searched: bool = Field(default=False, description="the values of a search or an experiment the sentence reports "
                           "(\"we experimented with batch sizes of 64, 128 and 256\"), not the one chosen")

    @property
    def per_batch(self) -> int | None:
        """The batch the value is stated for, where its quote scales it linearly with the batch (its unit is
        ``PER_BATCH_UNIT``); None for a value stated as it is."""
        m = re.fullmatch(re.escape(PER_BATCH_UNIT).replace(r"\{\}", r"(\d+)"), self.unit or "")
        return int(m.group(1)) if m else None


class Quoted(BaseModel):
    """A value that is not a hyperparameter (task type, architecture facts) with its source."""

    value: float | int | str | list[int]
    source: SourceRef


class Architecture(BaseModel):
    family: Quoted | None = Field(default=None, description="e.g. cnn, resnet, transformer")
    model: Quoted | None = Field(default=None, description="a known pretrained model: its Hub id")
    named: Quoted | None = Field(default=None, description="a model the paper says it fine-tunes that no registry "
                                 "model is (\"we fine-tune GPT-3\"): its name as written")
    sizes: dict[str, Quoted] = Field(default_factory=dict, description="e.g. conv_channels, hidden_size")
    per_setting: dict[str, dict[str, Quoted]] = Field(
        default_factory=dict, description="every setting's sizes (base vs large, pre-training vs fine-tuning)")


class DatasetRef(BaseModel):
    name: str = Field(description="the name as written in the paper")
    resolved: str | None = Field(default=None, description="registry key, e.g. sklearn:digits or a Hub id")
    license: str | None = None
    source: SourceRef
    pair: Quoted | None = Field(default=None, description="for a translation data set, the language pair the paper "
                                "translates, source-target ('en-fr'), with the quote that names it")


class MetricRef(BaseModel):
    name: str = Field(description="canonical metric name, e.g. accuracy")
    value: float | None = Field(default=None, description="what the paper reports, as a fraction for percentages")
    split: str | None = None
    source: SourceRef


class Negation(BaseModel):
    """A setting the paper says is not used ("without momentum"): no value, but a quote, and the setting it is said
    for ("Details of SFT training … with no learning rate warmup": the fine-tuning's, not the RLHF stage's)."""

    name: str
    source: SourceRef
    setting: str = "default"


class PaperSpec(BaseModel):
    """What the experiment needs, every value backed by a quote found in the paper."""

    title: str | None = None
    task_type: Quoted | None = None
    architecture: Architecture = Field(default_factory=Architecture)
    loss: Quoted | None = Field(default=None, description="e.g. cross_entropy, mse, ctc")
    hyperparameters: list[Hyperparameter] = Field(default_factory=list)
    negations: list[Negation] = Field(default_factory=list)
    datasets: list[DatasetRef] = Field(default_factory=list)
    metrics: list[MetricRef] = Field(default_factory=list)
    settings: list[str] = Field(default_factory=lambda: ["default"])
    default_setting: str = "default"
    reuses: dict[str, Quoted] = Field(
        default_factory=dict, description="setting -> the setting whose values it takes where it states none, as "
        "the paper says (\"Unless specified, we reuse the hyperparameters from pre-training\"), with the quote")
    extractor: str = "rules"
    flags: list[Flag] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    def hyperparameter(self, name: str, setting: str | None = None) -> Hyperparameter | None:
        """The value for ``setting`` (a data set key), else the one of the stage the run reproduces (pre-training
        or fine-tuning, when ``default_setting`` is one), else the one of the setting the paper says that stage
        reuses (``reuses``), else the paper-wide one, else the one of the setting the paper mainly reports
        (``default_setting``), else the first given."""
        candidates = sorted((h for h in self.hyperparameters if h.name == name), key=lambda h: h.searched)
        for wanted in self._wanted(setting):  # (in a setting, the value chosen before the values searched)
            if found := next((h for h in candidates if h.setting == wanted), None):
                return found
        return candidates[0] if candidates else None

    def searched(self, name: str, setting: str | None = None) -> Hyperparameter | None:
        """The values of ``name`` the paper searched or experimented with, in ``setting`` or one it takes values from."""
        lineage = self._wanted(setting)
        found = [h for h in self.hyperparameters if h.name == name and h.searched and h.setting in lineage]
        return min(found, key=lambda h: lineage.index(h.setting)) if found else None

    def _wanted(self, setting: str | None) -> list[str]:
        """The settings a run of ``setting`` takes a value from, nearest first (see ``hyperparameter``)."""
        main = self.lineage(self.default_setting)
        # the reproduced setting and the ones it takes values from come before the paper-wide values, unless it is
        # only a data set the run may not use (``setting``: the run's data set)
        first = main if len(main) > 1 or main[0] in STAGES or \
            not any(d.resolved == self.default_setting for d in self.datasets) else []
        if setting and self.of_a_size(setting) and setting not in main:  # another model size's run: the main
            first = [s for s in first if not self.of_a_size(s)]  # size's own values are not its
        return list(dict.fromkeys((*self.lineage(setting), *first, "default", self.default_setting)))

    def of_a_size(self, setting: str) -> bool:
        """Whether ``setting`` is one model size's ("65B", "finetuning 175B", a table row "65B All")."""
        base = self.reused(setting)
        rest = setting[len(base) + 1:] if base and setting.startswith(base + " ") else setting
        return any(size_rank(name.split(" ")[0]) is not None for name in (setting, rest))

    def reused(self, setting: str | None) -> str | None:
        """The setting whose values ``setting`` takes where it states none, if the paper says so."""
        base = self.reuses.get(setting or "")
        return str(base.value) if base is not None else None

    def lineage(self, setting: str | None) -> list[str]:
        """``setting``, the one it takes values from where it states none (a model size's stage, a stage that reuses
        another's), that one's, and so on; [] for None."""
        out: list[str] = []
        while setting and setting not in out:
            out.append(setting)
            setting = self.reused(setting)
        return out

    def said_none(self, name: str, setting: str) -> Negation | None:
        """A "no ``name``" that rules out a value of ``setting``: said paper-wide, for ``setting`` itself, or for the
        stage or data set a model size's setting refines ("finetuning 175B" refines "finetuning")."""
        base = self.reused(setting)
        refined = base if base and setting.startswith(base + " ") else None
        return next((n for n in self.negations if n.name == name and n.setting in ("default", setting, refined)), None)

    def negation(self, name: str, setting: str | None = None) -> Negation | None:
        """The paper's "no ``name``" for a run of ``setting``: said for that setting or one it takes values from,
        nearer than any value of ``name`` (a stage's "no warm-up" is not another stage's)."""
        said = [n for n in self.negations if n.name == name]
        values = {h.setting for h in self.hyperparameters if h.name == name}
        for wanted in self._wanted(setting) if said else []:
            if wanted in values:
                return None
            if found := next((n for n in said if n.setting == wanted), None):
                return found
        return None

    def value_rows(self) -> list[tuple[str, str, str, SourceRef]]:
        """(field, setting, value, source) of every size and hyperparameter: the setting it is stated for
        (``default``: paper-wide), the main one marked ("finetuning (main)"), a search's values marked ("(search)"),
        and the settings that reuse another's values; what `read` and the report show."""
        def label(setting: str) -> str:
            return f"{setting} (main)" if setting == self.default_setting and setting != "default" else setting

        rows = []
        for setting, sizes in (self.architecture.per_setting or {"default": self.architecture.sizes}).items():
            rows += [(name, label(setting), str(q.value), q.source) for name, q in sizes.items()]
        rows += [(name, "default", str(q.value), q.source) for name, q in self.architecture.sizes.items()
                 if not any(name in sizes for sizes in self.architecture.per_setting.values())]
        rows += [(h.name, label(h.setting) + (" (search)" if h.searched else ""),
                  f"{h.value} {h.unit}" if h.unit else str(h.value), h.source) for h in self.hyperparameters]
        rows += [("reuses", label(setting), f"{base.value}'s values where it states none", base.source)
                 for setting, base in self.reuses.items()]
        return rows

    def setting_named(self, name: str) -> str:
        """The setting ``name`` means: one of ``settings``, matched without regard to case, spaces, hyphens and
        underscores, or a model size or table row named without its stage or data set ("175B" for "finetuning
        175B", the one under the main setting's where several match). An unknown or ambiguous name is an error
        that lists the settings there are."""
        from ml_intern.errors import InputError

        def norm(text: str) -> str:
            return re.sub(r"[\s_-]+", "", text.lower())

        if name in self.settings:
            return name
        same = [s for s in self.settings if norm(s) == norm(name)]
        if not same:
            same = [s for s in self.settings if (base := self.reused(s)) and s.startswith(base + " ")
                    and norm(s[len(base) + 1:]) == norm(name)]
            main = set(self.lineage(self.default_setting))
            same = [s for s in same if self.reused(s) in main] or same
        if len(same) == 1:
            return same[0]
        listed = ", ".join(same or self.settings)
        raise InputError(f"the paper has {'several settings named' if same else 'no setting'} {name!r}",
                         fix=f"choose one of: {listed} (`ml-intern read` shows each value's)")

    def with_setting(self, name: str | None) -> "PaperSpec":
        """This spec reproducing setting ``name`` (``--setting``) instead of the paper's main one; its sizes
        become the architecture's. An unknown name is an error that lists the settings there are."""
        if not name or name == self.default_setting:
            return self
        name = self.setting_named(name)
        sizes = dict(self.architecture.sizes)
        for setting in reversed(self.lineage(name)):
            sizes.update(self.architecture.per_setting.get(setting, {}))
        architecture = self.architecture.model_copy(update={"sizes": sizes})
        return self.model_copy(update={"default_setting": name, "architecture": architecture})
