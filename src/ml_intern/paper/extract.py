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
from typing import NamedTuple

from ml_intern.inputs import load_yaml
from ml_intern.paper.models import (
    PER_BATCH_UNIT,
    STAGES,
    TOKENS_UNIT,
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
from ml_intern.paper.datasets import (LANGUAGE, LANGUAGES, TASK_NAMES, header_datasets, may_name_data, named_datasets,
                                      names_data, other_work, table_datasets)
from ml_intern.paper.procedure import find_procedure
from ml_intern.paper.text import heading_kind
from ml_intern.paper.values import (BEFORE_OTHERS, BRACKET_FOR, FOR_OTHERS, MODEL_WORD, NAMES, NUM, SIZE_ALONE,
                                    SIZES_NAMED, TOKENS_AFTER, Found, accumulation_of, defined_symbols, devices_of,
                                    effective_beside, find_values, loses_superscripts, others_did,
                                    own_sentence_start, p_keeps_units, parse_number, per_batch, row_like,
                                    said_per_device, size_rank, slashed, stages)
from ml_intern.registry import MODELS, find_datasets, find_models, get_dataset

__all__ = ["PageText", "extract_spec", "parse_number", "setting_of", "validate_quotes"]

_CONNECT = r"(?:\s+(?:of|is|was|were|to|at|set to|equal to|with p)|\s*[:=])*\s*"
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
        self.lines: list[tuple[int, str]] = []  # each line's offset in ``text``, and the line
        offset = 0
        for i, line in enumerate(lines):
            self.lines.append((offset, line))
            if i and (len(lines[i - 1]) < 0.6 * typical and lines[i - 1][-1] not in ".,;:?!"):
                self.breaks.add(offset)
            offset += len(line) + 1
        for m in re.finditer(r"[.?!](?= [A-Z0-9(]| [a-z][A-Z]{2,}\b)", self.text):  # (or a name that starts in lower
            # case: ". dDPO training. …", ". mT5 is …")
            self.breaks.add(m.end() + 1)
        self._sorted = sorted(self.breaks)

    def quote(self, start: int, end: int, limit: int = 240) -> str:
        """The smallest span between breaks that covers text[start:end]; cut to whole words if too long."""
        left, right = self.bounds(start, end, limit)
        return self.text[left:right].strip()

    def bounds(self, start: int, end: int, limit: int = 240) -> tuple[int, int]:
        """Where ``quote(start, end)`` starts and ends in the page's text."""
        left = max(b for b in self._sorted if b <= start)
        right = min(b for b in self._sorted if b >= end)
        if right - left > limit:
            left = max(left, self.text.rfind(" ", 0, max(start - 60, 0)) + 1)
            cut = self.text.find(" ", end + 60)
            right = min(right, cut if cut != -1 else len(self.text))
        return left, right


# (canonical name, pattern, converter). Group 1 is the value. Negations are handled separately.
_Rule = tuple[str, re.Pattern[str], Callable[[re.Match[str]], object]]


def _num(m: re.Match[str]) -> object:
    return parse_number(m.group(1))


def _pct(m: re.Match[str]) -> object:
    return round(parse_number(m.group(1)) / 100.0, 6)


def _lower(m: re.Match[str]) -> object:
    return m.group(1).lower().replace("-", "")


_I = re.IGNORECASE
_OURS = re.compile(r"\b(?:we|our|us|this\s+(?:work|paper))\b", _I)  # a sentence about this paper's own work
# a thing said not to be used ("without …", "no …", "we do not use …", and the second of a list: "We do not use
# weight decay or learning-rate decay"), also as examples of a kind ("do not employ any further regularization such as
# dropout or weight decay")
_NOT_USED = (r"\b(?:without|no|(?:do|does|did)\s+not\s+(?:use|apply|employ)(?:\s+any)?"
             r"(?:\s+(?:further|other|additional|explicit)?\s*regulari[sz]ation(?:\s+(?:techniques?|methods?))?,?\s+"
             r"(?:such\s+as|like|e\.g\.,?))?"
             r"(?:\s+(?:[\w-]+\s+){1,3}?(?:or|nor)(?:\s+any)?)?)\s+")
# what the general value rules (``values.find_values``) do not cover: choices and data splits
HYPERPARAMETER_RULES: list[_Rule] = [
    ("seed", re.compile(r"\b(?:random )?seed" + _CONNECT + r"(\d+)\b", _I), _num),
    ("lr_schedule", re.compile(r"(?<!rather than a )(?<!rather than the )(?<!instead of a )(?<!instead of the )"
                               # (not the one replaced: "Rather than a step schedule, we use a cosine …")
                               r"[\"“]?\b(cosine|linear|step|constant|exponential|polynomial|poly|"
                               r"inverse ?square[ -]?root)[\"”]?"
                               # (not "schedules": "after benchmarking linear and cosine schedules" names kinds tried)
                               # (not a decay's rate: "the exponential decay rate of 0.999" of a weight average)
                               # (a hyphen, a policy: "linear-decay learning rate policy", Caffe's word)
                               # (after a closing quote, the words may run together:
                               # "“inversesquareroot”learningrateschedule")
                               r"(?:(?<=[\"”])learning ?rate ?|(?: learning[ -]rate)?[ -])"
                               r"(?:schedule|policy|decay(?:ing|ed)?(?!\s+rates?\b)|"
                               r"annealing)\b", _I),
     lambda m: "inverse square root" if (kind := " ".join(m.group(1).lower().replace("-", " ").split())).replace(
         " ", "") == "inversesquareroot" else {"poly": "polynomial"}.get(kind, kind)),
    # ("inverse square-root"; DeepLab's "poly" policy is the polynomial decay)
    # a rate held constant, said of the rate itself: "we use a constant learning rate of 0.001" (not a phase's: "a
    # constant learning rate of 0.01 for the first 10^4 steps, then …")
    ("lr_schedule", re.compile(r"\b(constant)\s+(?:learning[ -]rate|LR)\s+(?:of\b|=|:)(?!(?:[^.;]|\.(?=\d)){0,30}?\b"
                               r"(?:for\s+the\s+first|until|before|then)\b)", _I), _lower),
    ("lr_schedule", re.compile(r"\b(?:lr|learning[ -]rate) schedule" + _CONNECT + r"(cosine|linear|step|constant)\b",
                               _I), _lower),
    # the schedule said by what the rate does: "decayed linearly to zero", "we keep the learning rate constant" (not
    # "constant for the first 10 epochs"); SGDR's cosine with warm restarts, which the loop has not
    ("lr_schedule", re.compile(r"\b(?:decay(?:s|ed|ing)?|anneal(?:s|ed|ing)?)\s+(linear|exponential)ly\b", _I), _lower),
    # "linearly decay the rate to zero", "the learning rate is linearly decayed", "a learning rate of 1e-3,
    # exponentially decaying to 1e-5" (not another weight's annealing)
    ("lr_schedule", re.compile(r"\b(linear|exponential)ly\s+(?:decay|anneal)\w*\s+(?:the\s+|its\s+)?(?:learning[ -])?"
                               r"(?:rate|LR)\b|\b(?:rate|LR)\s+(?:is\s+|was\s+|then\s+|gets\s+|(?:of\s+|=\s*|:\s*)?"
                               + NUM[1:-1] + r"\s*,\s*(?:and\s+|then\s+)*)?(linear|exponential)ly\s+(?:decay|anneal)",
                               _I),
     lambda m: (m.group(1) or m.group(2)).lower()),
    # no decay of the rate: a constant one ("We do not use weight decay or learning-rate decay", "no learning rate
    # decay is used")
    ("lr_schedule", re.compile(_NOT_USED + r"(?:learning[ -]rate|LR) (?:decay|annealing|schedul(?:e|ing))\b", _I),
     lambda m: "constant"),
    ("lr_schedule", re.compile(r"\b(?:keep|keeps|kept|hold|holds|held)\s+(?:the\s+)?(?:learning[ -]rate|LR)\s+(constant)\b"
                               r"(?!\s+(?:for|until|during|over|in|at)\b)", _I), _lower),
    ("lr_schedule", re.compile(r"\b(?:SGDR|(?:SGD|cosine(?: annealing)?) with (?:warm )?restarts)\b", _I),
     lambda m: "cosine with restarts"),
    ("test_fraction", re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*% of (?:the )?(?:\w+ ){0,3}as (?:a |the )?test", _I), _pct),
    ("validation_fraction", re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*% of (?:the )?(?:\w+ ){0,3}as (?:a |the )?"
                                       r"validation", _I), _pct),
]

# Optimizers by preference: "SGD together with Adadelta" trains with Adadelta.
OPTIMIZERS = [("adamw", r"AdamW|adamw|ADAMW|Adam weight decay|decoupled weight decay"
                        r"|Adam with (?:the )?weight decay fix"),
              ("radam", r"RAdam|Rectified Adam"),
              ("nadam", r"NAdam|Nadam|Nesterov-accelerated Adam"), ("lion", r"Lion(?=\s+optimi[sz]er)"),
              ("adam", r"(?:Adam|ADAM)(?!W|ax| weight decay| with (?:the )?weight decay fix)|adam(?=\s+optimi[sz]er)"),
              ("adadelta", r"Adadelta|ADADELTA"),
              ("adagrad", r"Adagrad|AdaGrad"), ("rmsprop", r"RMSProp|RMSprop"), ("lamb", r"LAMB"), ("lars", r"LARS(?![\w-])"),
              ("novograd", r"NovoGrad|Novograd"),  # (its betas are not Adam's: "NovoGrad with β1 = 0.95, β2 = 0.5")
              ("adafactor", r"Adafactor|AdaFactor|ADAFACTOR"),
              # a quasi-Newton method and a preconditioner: their betas and ε are not Adam's ("Distributed Shampoo with
              # β1 = 0.9 and β2 = 0.9")
              ("lbfgs", r"L-BFGS|LBFGS|limited-memory BFGS"), ("shampoo", r"Shampoo"), ("sgd", r"SGD|stochastic gradient descent|Nesterov(?:'s|’s)? accelerated gradient"
                                                r"|GradientDescent|Momentum(?=Optimizer)")]


def _momentum_under_adam(values: list[Hyperparameter]) -> list[Hyperparameter]:
    """Where Adam trains: a momentum whose sentence names an optimizer that has one stays; one whose sentence names
    Adam is Adam's β1 (where its setting states none); any other is dropped."""
    adam = re.compile(_optimizer_named(dict(OPTIMIZERS)["adam"]))
    betas = {h.setting for h in values if h.name == "adam_beta1"}
    kept = []
    for h in values:
        if h.name == "momentum" and not _MOMENTUM_OPTIMIZER.search(h.source.quote):
            if not adam.search(h.source.quote) or h.setting in betas:
                continue
            h = h.model_copy(update={"name": "adam_beta1"})
        kept.append(h)
    return kept


def _a_persons_name(text: str, m: re.Match) -> bool:
    """Whether an optimizer's name at ``m`` is a person's: "Hartwig Adam" (not a table's "Optimizer AdamW" nor
    "Distributed Shampoo"), "Adam Roberts", "Adam Trischler, Tong Wang", a running header's "… and H. Adam"."""
    return bool(re.search(r"\b(?!(?:Optimi[sz]er|Optimi[sz]ation|Solver|Using|With|Use|Distributed|Standard|Vanilla|"
                          r"Plain|The|An?|Our|This|Each|All|Both)\b)[A-Z][a-z]+ $", text[max(0, m.start() - 20): m.start()])
                and not re.search(r"[.:] \w+ $", text[max(0, m.start() - 22): m.start()])) or \
        bool(_SURNAME_AFTER.match(text, m.end())) or bool(re.search(r"(?<![\w.])[A-Z]\.\s*$",
                                                                    text[max(0, m.start() - 4): m.start()]))


def _optimizer_named(pattern: str) -> str:
    """An optimizer's name as a word, or as TensorFlow's class ("RMSPropOptimizer", "AdamOptimizer")."""
    return rf"\b(?:{pattern})(?:Optimizer)?\b"


# optimizers listed as alternatives ("optimizer: SGD, Adam", "SGD or Adam", "{SGD, Adam, RMSProp}"): a search's
# choices, none of them the one trained with; and an optimizer only said possible ("can be readily employed using
# stochastic gradient descent and its modern variants")
_ANY_OPTIMIZER = "(?:" + "|".join(p for _, p in OPTIMIZERS) + ")"
_ALTERNATIVE_BEFORE = re.compile(_optimizer_named(_ANY_OPTIMIZER) + r"\s*(?:,|/|\bor)\s*(?:or\s+)?$")
_ALTERNATIVE_AFTER = re.compile(r"\s*(?:,|/|\bor\b)\s*(?:or\s+)?" + _optimizer_named(_ANY_OPTIMIZER))
# and one said to do worse ("we found Nesterov momentum slightly better, and Adam [20] clearly worse")
_WORSE_AFTER = re.compile(r"(?:\s*\[[\d,\s–-]+\])?\s+(?:(?:was|is|were|performed|performs|works?|worked|did|does)\s+)?"
                          r"(?:clearly\s+|slightly\s+|much\s+|significantly\s+|consistently\s+)?"
                          r"(?:worse|inferior)\b", _I)
# the family an optimizer used belongs to ("the NovoGrad optimizer [18], a variant of Adam that …"): not the one used
_VARIANT_OF = re.compile(r"\b(?:variant|version|modification|extension|generali[sz]ation|flavou?r)\s+of\s+(?:the\s+)?$",
                         _I)
_POSSIBLE_USE = re.compile(r"\b(?:can|could|may|might)\s+(?:\w+\s+){0,2}?be\s+(?:\w+\s+)?(?:employed|used|applied|"
                           r"adopted)\s+(?:[\w-]+\s+){0,3}?$", _I)  # (the optimizer its use: not "We train with Adam,
# as larger batches can be used")


# "without momentum", "no warm-up": a stated absence. Not a value (the name gets none), but recorded with its quote
# so the planner can say "none, as the paper says" instead of filling a default.
# (not a part's: "we do not apply any dropout to embeddings", "did not use dropout on the attention scores", "no weight
# decay on biases and LayerNorm parameters": the rest of the model has it)
_ON_A_PART = (r"(?!\s+(?:to|on|at|in|into|for|after|before|of|between)\s+(?:the\s+|its\s+|our\s+|any\s+|all\s+)?"
              r"(?:[\w-]+\s+){0,2}?(?:embeddings?|attention|layers?|inputs?|outputs?|weights|connections?|heads?|"
              r"scores?|units|activations?|features?|encoders?|decoders?|blocks?|classifiers?|bias(?:es)?|parameters|"
              r"norms?|gains)\b)")
NEGATION_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("warmup_steps", re.compile(_NOT_USED + r"(?:learning[ -]rate )?warm-?up\b", _I)),
    ("momentum", re.compile(r"\bwithout momentum\b|\b(?:do|does|did)\s+not\s+use\s+momentum\b", _I)),
    ("weight_decay", re.compile(_NOT_USED + r"weight decay\b" + _ON_A_PART, _I)),
    ("dropout", re.compile(_NOT_USED + r"dropout\b" + _ON_A_PART, _I)),
    ("grad_clip", re.compile(_NOT_USED + r"gradient(?:[ -]norm)? clipping\b", _I)),
]

# What a paper's main experiment trains and evaluates, by the phrases that say so; the task is the one the paper
# says most (its first page, where the abstract states the contribution, counts three times).
# the model this paper fine-tunes, by its name, where "we" do it: "we finetune LLaMA 7B through 65B", "We fine-tune a
# pretrained GPT-3 model on this data"
_WE_FINE_TUNE = re.compile(r"\b[Ww]e\s+(?:\w+\s+){0,2}?fine-?tune[ds]?\s+(?:a\s+|an\s+|the\s+|our\s+)?(?:pre-?trained\s+)?"
                           r"([A-Z][\w.]*(?:-[\w.]+)*(?:\s(?:[A-Z][\w.-]*|\d+(?:\.\d+)?[BM]\b))*)")
_NOT_A_MODEL = re.compile(r"(?:The|This|These|Our|All|Each|It|Both|On|For|With|Using|In)\b")
# a capitalised word after an optimizer's name that makes it a person's first name ("Adam Roberts"), not a table's next
# row or a sentence run on ("Optimizer Adam Learning rate 3e-4", "with Adam We …")
_SURNAME_AFTER = re.compile(r" (?!(?:Optimi[sz]er|Optimi[sz]ation|Algorithm|Updates?|Learning|Batch|Weight|Momentum|Epochs?|"
                            r"Warm-?up|Dropout|Betas?|Epsilon|Gradient|Label|Steps?|Max|Training|Schedule|Peak|LR|We|The|"
                            r"This|These|In|For|With|On|Our|It|As|At|To|An?)\b)[A-Z][a-z]+\b")
# a pretrained model named as what is fine-tuned: "we fine-tune GPT-2 medium on …" (the model, by the registry)
_FINE_TUNE_MODEL = re.compile(r"\bfine-?tun(?:e|es|ed|ing)\s+(?:a\s+|an\s+|the\s+|our\s+)?(?:pre-?trained\s+)?", _I)
TASK_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("causal-lm", re.compile(r"\bpre-?train(?:ing)? (?:a |an |the )?(?:[\w.-]+ ){0,3}(?:language model|LM|GPT[\w.-]*)\b"
                             r"|\blanguage model(?:ing|s)? (?:pre-?training|from scratch)\b|\bzero-shot (?:task )?transfer\b"
                             r"|\bgenerative (?:pre-?training|language model)|\bunsupervised language model"
                             # recurrent language models, as their papers name them ("Optimizing LSTM Language
                             # Models"; not one used as a part: "We use the AWD-LSTM language model")
                             r"|\b(?:LSTM|RNN|recurrent|QRNN)[ -](?:based\s+)?language[ -]model(?:s|ing)\b"
                             # evaluated as a language model: zero-shot perplexity on held-out text is causal LM
                             r"|\bperplexit(?:y|ies)\b|\bbits per (?:byte|character)\b|\bzero-shot (?:setting|performance|"
                             r"results?|evaluation)\b"
                             # a language model trained on a corpus, its downstream tasks done without training on them
                             r"|\btrain(?:s|ed|ing)? (?:a |an |the |our )?(?:[\w.-]+ ){0,4}language models? on\b"
                             r"|\b(?:evaluat\w*|tested|appl(?:y|ied)|transfer\w*) (?:\w+ ){0,2}zero-shot\b|\bin a zero-shot "
                             r"(?:manner|fashion|way)\b|\bwithout any (?:parameter|gradient|weight) updates?\b|\bnever "
                             r"fine-?tuned\b", _I)),
    # the contribution is representations others train on (word vectors, contextual embeddings), not a task model
    # (not a model's part: "dropout on the word vectors")
    ("other", re.compile(r"(?<!dimensional )(?<!dim )(?<!on the )(?<!to the )\b(?:word|sentence) (?:vectors|embeddings|"
                         r"representations)\b|\bvector representations? of "
                         r"words\b|\bcontextuali[sz]ed (?:word )?(?:representations|embeddings)\b", _I)),
    ("causal-lm-finetuning", re.compile(r"\binstruction[ -]tun\w*|\bfine-?tun\w* (?:of )?(?:large )?(?:language models|"
                                        r"LLMs?)|\bhuman feedback\b|\bRLHF\b|\bfollow(?:ing)? instructions\b"
                                        # a language model tuned on preferences (DPO and its kin): its supervised
                                        # fine-tuning is the stage a recipe trains
                                        r"|\b(?:direct )?preference optimi[sz]ation\b|\bpreference (?:tuning|alignment)\b"
                                        r"|\bDPO\b", _I)),
    # LoRA: a language model's fine-tuning, unless the model the paper names is no language model (a ViT, RoBERTa):
    # its votes count for causal-LM fine-tuning only then (at the tally, once the model is known)
    ("lora", re.compile(r"\bQ?LoRA\b")),
    ("image-classification", re.compile(r"\bimage classif\w*|\b(?:image|object) recognition\b|\bclassif\w* (?:of )?(?:\w+ ){0,2}images\b|"
                                        r"\bImageNet(?:-1[Kk]|\s+20\d\d)? (?:classification|top-1|accuracy)|"
                                        r"\btop-1 accuracy\b", _I)),
    ("text-classification", re.compile(r"\b(?:text|sentence|sentiment|document) classif\w*|\bnatural language inference\b"
                                       r"|\bsentiment analysis\b|\bparaphrase (?:detection|identification)\b"
                                       r"|\bGLUE\b|\btextual entailment\b|\breading comprehension\b", _I)),
    ("token-classification", re.compile(r"\b(?:named entity recognition|token classification|sequence tagging|"
                                        r"(?:POS|part-of-speech) tagging|chunking)\b", _I)),
    ("seq2seq", re.compile(r"\b(?:machine translation|summari[sz]ation|sequence to sequence|text-to-text)\b", _I)),
    ("tabular-classification", re.compile(r"\btabular (?:classif\w*|data)|\b(?:gradient )?tree boosting\b|"
                                          r"\bgradient boosted trees\b", _I)),
    # tasks no recipe trains (NO_RECIPE_TASKS), named so the plan stops saying what is missing instead of guessing
    ("object-detection", re.compile(r"\bobject detection\b|\bbounding[- ]box(?:es)? regression\b", _I)),
    ("image-segmentation", re.compile(r"\b(?:semantic|instance|panoptic|image) segmentation\b", _I)),
    ("image-generation", re.compile(r"\bgenerative adversarial (?:networks?|nets?)\b|\bGANs?\b|\bdiffusion models?\b|"
                                    r"\bimage (?:generation|synthesis)\b", _I)),
    ("reinforcement-learning", re.compile(r"\breinforcement learning\b(?! from (?:human |AI )?feedback)|\bpolicy "
                                          r"gradients?\b|\bQ-learning\b|\b(?:deep )?Q-networks?\b|\bAtari(?: 2600)? games\b|"
                                          r"\bMuJoCo\b|\bcontinuous control\b", _I)),
    ("speech-recognition", re.compile(r"\b(?:automatic )?speech recognition\b|\bword error rate\b", _I)),
    # graphs, time series and recommendation: named so the plan says no recipe trains them
    ("node-classification", re.compile(r"\b(?:node|graph|link) (?:classification|prediction)\b|\bgraph neural networks?\b",
                                       _I)),
    ("time-series-forecasting", re.compile(r"\btime[- ]series forecasting\b|\b(?:long[- ]|multi-?)?horizon forecasting\b|"
                                           r"\bforecasting\b(?= (?:\w+ ){0,3}(?:time[- ]series|horizons?))", _I)),
    # (not "we recommend", "following the recommendations of")
    ("recommendation", re.compile(r"\brecommender systems?\b|\brecommendation (?:systems?|tasks?|models?|data\s?sets?)\b|"
                                  r"\b(?:item|top-[kK]|news|movie|product|music|sequential|personali[sz]ed) recommendations?\b|"
                                  r"\bcollaborative filtering\b|\bclick-?through rate prediction\b", _I)),
    ("question-answering", re.compile(r"\b(?:extractive|span-based|span extraction) question answering\b|\bquestion "
                                      r"answering (?:model|system)s?\b", _I)),
]

NO_RECIPE_TASKS = {"object-detection", "image-segmentation", "image-generation", "reinforcement-learning",
                   "node-classification", "time-series-forecasting", "recommendation",
                   "speech-recognition"}

LOSS_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("label_smoothed_cross_entropy", re.compile(r"\blabel[- ]smoothed cross[- ]entropy\b", _I)),
    ("cross_entropy", re.compile(r"\bcross[- ]entropy(?: loss)?\b|\bnegative log[- ]likelihood\b|\bNLL\b", _I)),
    ("mse", re.compile(r"\bmean squared error\b|\bMSE\b|\bL2 loss\b", _I)),
    ("l1", re.compile(r"\bmean absolute error\b|\bL1 loss\b", _I)),
    ("ctc", re.compile(r"\bCTC loss\b|\bconnectionist temporal classification\b", _I)),
    ("contrastive", re.compile(r"\b(?:InfoNCE|contrastive loss|NT-Xent)\b", _I)),
    ("hinge", re.compile(r"\bhinge loss\b", _I)),
]

_SCHEDULE_SHAPE = ("lr_decay_factor", "lr_step_size", "lr_milestones")
# the optimizers with a momentum of their own, and the table rows that name one
_MOMENTUM_OPTIMIZER = re.compile(r"\bSGD\b|\bNesterov|\bRMS-?prop|\bmomentum\s+(?:SGD|optimi[sz]er)|"
                                 r"stochastic gradient|\bLARS\b|heavy[- ]ball|\bNAG\b|"
                                 r"^\s*(?:SGD\s+)?momentum\s+[\d.]", _I)
# another quantity annealed, just before the schedule's words, with no rate between: "ε annealed linearly from 1.0 to
# 0.1" (exploration), "the KL weight is annealed linearly", "the temperature decays linearly"
_OTHER_ANNEALED = re.compile(r"(?:[εϵτβ]|\b(?:epsilon|temperature|KL|beta|exploration|(?<!cross-)(?<!cross )entropy|"
                             r"noise))\b"
                             r"(?:(?!learning|\bLR\b|\blr\b)[^.;]){0,25}$", _I)
# a sentence that describes the schedule the sentence before names ("… an “inverse square root” learning rate
# schedule … This sets a constant learning rate of 0.01 for the first 10^4 steps, then exponentially decays the learning
# rate"): its shape words are that schedule's, not another one (the name's words may run together in the PDF's text)
_DESCRIBES = re.compile(r"\s*(?:This|That|It|Which|Such\s+a\s+schedule)\b")
_SCHEDULE_NAMED = re.compile(r"(?:cosine|linear|step|constant|exponential|polynomial|poly|inverse\s*square\s*-?\s*root)"
                             r"[\"”]?\s*(?:learning\s*-?\s*rate\s*|LR\s*)?(?:schedule|policy|decay)", _I)
_COMPARED = re.compile(r"\b(?:compared?\s+(?:to|with|against)|comparison|than|outperform\w*|against|unlike|versus|vs)"
                       r"\b(?![^.;:]*\b(?:we|our|but|while|whereas)\b)[^.;:]*$", _I)


def _not_the_schedule(text: str, m: re.Match[str]) -> bool:
    """A schedule's words that are not the rate's schedule: another quantity's annealing, or the shape of a schedule
    the sentence before names ("This …, then exponentially decays the learning rate")."""
    opens = _sentence_span(text, m.start(), m.end())[0]
    if _OTHER_ANNEALED.search(text, max(opens, m.start() - 40), m.start()):
        return True
    before = _sentence_span(text, max(opens - 2, 0), max(opens - 2, 0))[0]
    return bool(re.search(r"(?:linear|exponential)ly", m.group(0)) and _DESCRIBES.match(text, opens)
                and _SCHEDULE_NAMED.search(text, before, opens))


def _compared(text: str, at: int) -> bool:
    """A model named in its sentence as what another is compared with ("compared to ResNets", "than a ResNet-50",
    "outperforms ViT"): not the paper's own."""
    return bool(_COMPARED.search(text, _sentence_span(text, at, at)[0], at))


# the convolutional families FAMILY_RULES name by their own names
_CNN_FAMILIES = ("resnet", "convnext", "resnext", "wideresnet", "vgg", "densenet", "efficientnet", "mobilenetv2",
                 "mobilenet")
FAMILY_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("resnet", re.compile(r"\bResNets?(?:-?\d+)?\b")),  # ("ResNet-50", "ResNet50", "ResNets")
    ("convnext", re.compile(r"\bConvNeXts?(?:-(?:T|S|B|L|XL))?\b")),
    ("swin", re.compile(r"\bSwin(?:[- ](?:T|S|B|L)\b|\s+Transformers?\b)")),
    # ResNets of another kind, which no library here builds ("ResNeXt-50 (32x4d)", "Wide ResNet", "WRN-28-10")
    ("resnext", re.compile(r"\bResNeXts?(?:-\d+)?\b")),
    ("wideresnet", re.compile(r"\b(?:Wide[- ]ResNets?|WRN-\d+-\d+)\b")),
    ("vit", re.compile(r"\b(?:ViT|vision transformer)\b", _I)),
    # (not the news corpus, "CNN/DM", which the data sets' registry may not name as such; nor a graph's convolutions,
    # "Graph Convolutional Networks", a GCN)
    ("cnn", re.compile(r"\b(?<!graph )(?:convolutional (?:neural )?network|CNN(?!\s*/\s*(?:DM|Daily\s*Mail)\b)|"
                       r"ConvNet)s?\b", _I)),
    ("transformer", re.compile(r"\bTransformer\b")),
    ("lstm", re.compile(r"\b(?:[Bb]i-?)?LSTMs?\b")),  # ("LSTM", "BiLSTM-CRF", "Bi-LSTM")
    # the convolutional networks the image recipe builds, as papers name them ("a VGG-19", "DenseNet-BC")
    ("vgg", re.compile(r"\bVGG(?:-?\d{2})?(?:Net)?\b")),
    ("densenet", re.compile(r"\bDenseNet(?:s|-BC|-\d{2,3})?\b")),
    ("efficientnet", re.compile(r"\bEfficientNet(?:s|-?B[0-7])?\b")),
    ("mobilenetv2", re.compile(r"\bMobileNet-?V2\b", _I)),
    ("mobilenet", re.compile(r"\bMobileNet(?:s|-?V1)?\b", _I)),
    ("mlp", re.compile(r"\b(?:MLP|multi-?layer perceptron)\b", _I)),
    ("gbdt", re.compile(r"\b(?:gradient[- ]boost(?:ed|ing)|(?:gradient )?tree boosting|boosted (?:decision |regression )?"
                        r"trees|GBDTs?|GBMs?|XGBoost|LightGBM|CatBoost)\b", _I)),
]

# the architecture a paper introduces, by the name it gives it: "a family of pure ConvNets dubbed ConvNeXt", "This
# paper presents a new vision Transformer, called Swin Transformer", "our final model, named ConvNeXt" (in a
# sentence about the paper's own work; not "the framework, called RNN Encoder–Decoder, proposed by Cho et al.")
INTRODUCED = re.compile(r"\b(?:dubbed|called|named|termed|coined)\s+(?:it\s+|them\s+|the\s+)?(?=[A-Z])")
_OWN_WORK = re.compile(r"\b(?:we|our|this\s+(?:paper|work))\b|\b(?:propose|present|introduce)[sd]?\b", _I)
_OTHERS_WORK = re.compile(r"\bproposed\s+by\b|\bet\s+al\b|\[\d")


def _introduced_family(pages: list) -> Quoted | None:
    """The family of the architecture the paper introduces and names (``INTRODUCED``) on its first pages, where
    ``FAMILY_RULES`` know the name: the paper's own network, over a generic family its title gives ("A ConvNet for
    the 2020s" is a CNN paper; the network it builds is ConvNeXt)."""
    for page, text in pages[:3]:
        flat = text.text
        for m in INTRODUCED.finditer(flat):
            left, right = flat.rfind(". ", 0, m.start()) + 1, flat.find(". ", m.end())
            sentence = flat[left: right if right >= 0 else len(flat)]
            if not _OWN_WORK.search(sentence) or _OTHERS_WORK.search(sentence):
                continue
            for family, pattern in FAMILY_RULES:
                if (named := pattern.match(flat, m.end())) is not None:
                    return Quoted(value=family, source=_ref(page, text, named))
    return None


SIZE_RULES: list[tuple[str, re.Pattern[str], Callable[[re.Match[str]], object]]] = [
    ("conv_channels", re.compile(r"\b(\d+) and (\d+) (?:output )?(?:channels|filters|feature maps)\b", _I),
     lambda m: [int(m.group(1)), int(m.group(2))]),
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


_REFERENCES = re.compile(r"^\s*(?:\d+\.?\s+)?(?:References|REFERENCES|Bibliography)\s*$", re.M)
# thanks and who did what: names of funders ("CIFAR"), tools and data sets people worked on, none of them this
# paper's facts; cut from the heading to the next heading (or the page's end)
_THANKS = re.compile(r"^\s*(?:(?:\d+|[A-Z])\.?\s+|Appendix\s+[A-Z]\.?\s+)?(?:Acknowledge?ments?|ACKNOWLEDGE?MENTS?|"
                     r"(?:Author(?:s'?)?\s+)?Contributions|AUTHOR CONTRIBUTIONS|CONTRIBUTIONS)\s*$", re.M)
_HEADING = re.compile(r"^\s*(?:(?:\d+(?:\.\d+)*|[A-Z](?:\.\d+)*)\.?\s+[A-Z][^.]{0,80}|Appendix\s+[A-Z]\b.{0,80}|"
                      r"References|REFERENCES|Bibliography)\s*$", re.M)
# an appendix heading: the word, or "A TITLE IN CAPITALS" / "A.1 Title"; not a wrapped reference title such as
# "A Simple Framework for Contrastive Learning"
_APPENDIX = re.compile(r"^\s*(?:Appendix\b|APPENDIX\b|Supplementary Material|SUPPLEMENTARY|A\s+[A-Z][A-Z ,:-]{3,60}$"
                       r"|A\.1\.?\s+[A-Z]\S*(?:\s+\S+){0,8}$)", re.M)
# metric names a paper may only name (values are often in tables)
METRIC_NAMES = [("top-1 error", r"top-1(?: val\.?| test)? error"), ("top-5 error", r"top-5(?: val\.?| test)? error"),
                ("bleu", r"\bBLEU\b"), ("perplexity", r"\bperplexity\b"), ("f1", r"\bF1\b"),
                ("accuracy", r"\baccuracy\b"), ("error", r"\b(?:test )?error(?: rate)?\b")]


_CAPITALISED = re.compile(r"[A-Z][\w-]*")
# the last word of a method's or a part's name: "Gaussian Error Linear Unit", "Error Feedback Layer"
_METHOD_NOUN = re.compile(r"^(?:Units?|Layers?|Functions?|Modules?|Correction|Feedback|"
                          r"Propagation|Regulari[sz]ation|Normali[sz]ation|Activation)$")


def _in_a_name(text: str, m: re.Match[str]) -> bool:
    """A metric word that is a word of a capitalised name of several words, not a metric: a name given with its
    acronym ("the Gaussian Error Linear Unit (GELU)", "Mean Squared Error (MSE)"), or a method's or a part's name
    ("Error Feedback Layer", "the Gaussian Error Linear Unit, or GELU")."""
    if not m.group(0)[:1].isupper():
        return False
    run = [m.group(0)]
    for word in reversed(re.findall(r"\S+", text[max(0, m.start() - 80): m.start()])):
        if not _CAPITALISED.fullmatch(word):
            break
        run.insert(0, word)
    following = ""
    for word in re.findall(r"\S+", text[m.end(): m.end() + 80]):
        if not _CAPITALISED.fullmatch(word.rstrip(",;:.")):
            following = word
            break
        run.append(word.rstrip(",;:."))
        if word[-1] in ",;:.":  # the name ends at its comma
            break
    if len(run) < 2:
        return False
    acronym = re.match(r"\(([A-Z][A-Za-z]{1,9})\)", following)
    initials = "".join(w[0] for w in run).upper()
    return bool(acronym and acronym.group(1).upper() in initials) or bool(_METHOD_NOUN.match(run[-1]))


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
        while thanks := _THANKS.search(raw):
            following = _HEADING.search(raw, thanks.end())
            raw = raw[:thanks.start()] + (raw[following.start():] if following else "")
        yield page.number, PageText(raw)


def _ref(page: int, text: PageText, m: re.Match[str]) -> SourceRef:
    return SourceRef(page=page, quote=text.quote(m.start(), m.end()))


_TWO = r"(" + "|".join(f"{c.capitalize()}|{c.upper()}" for c in sorted(set(LANGUAGES.values()))) + r")"
_ARROW = r"(?:\s*[-–—→⇒]\s*|\s*(?:->|=>)\s*|[ -]to[ -]|\s+into\s+)"
# a multilingual paper's language that opens a sentence ("For German, we use …"): its values are that language's
_OPENED_BY_LANGUAGE = re.compile(r"(?:For|On)\s+(?:the\s+)?" + LANGUAGE + r"(?:\s+(?:data|portion|part|subset|"
                                 r"version|side|experiments?))?\s*(?:,|\s+(?:we|our|all|models?)\b)")
# a language pair as papers name one: "English to French", "English-German", "English→French", "En-De", "EN→FR",
# "De–En" (one side English where the letters are abbreviated, so "It-Is" is none)
_PAIR = re.compile(r"\b" + LANGUAGE + _ARROW + LANGUAGE + r"\b|(?<![\w-])(?:(En|EN)" + _ARROW.replace("|[ -]to[ -]", "")
                   + _TWO + r"|" + _TWO + _ARROW.replace("|[ -]to[ -]", "") + r"(En|EN))(?![\w-])")


def _pair(m: re.Match[str]) -> str | None:
    """The pair a ``_PAIR`` match names, source-target in two letters ("en-fr"); None for one language twice."""
    names = [g for g in m.groups() if g]
    codes = [LANGUAGES.get(n.lower(), n.lower()) for n in names]
    return f"{codes[0]}-{codes[1]}" if len(codes) == 2 and codes[0] != codes[1] else None


# a size the paper says its main results are for: "Our main results use the 13B model", "Unless otherwise stated, we use
# the 7B model", "All main experiments are with the base model"
_MAIN_SIZE = re.compile(r"(?:\b(?:main|headline|primary)\s+(?:results?|experiments?|model)\b[^.;]{0,40}?\b(?:use|uses|used|"
                        r"are\s+(?:with|for|obtained\s+with|from)|is|are)|\b[Uu]nless\s+(?:otherwise\s+)?(?:stated|noted|"
                        r"specified|mentioned),\s+(?:we\s+use|all\s+(?:results|experiments)\s+(?:use|are\s+(?:with|for))))"
                        r"\s+(?:the\s+)?(?:[A-Z][\w.-]*[- ])?(\d+(?:\.\d+)?[MBT]|[Bb]ase|[Ll]arge|[Ss]mall|XX?L)\b")


def _translation_pairs(spec: PaperSpec, mentions: list[tuple[int, PageText, re.Match[str]]]) -> None:
    """Give each translation data set (a registry one whose configs are language pairs) the pair the paper translates
    with it: the first pair named in a sentence that names the data set, else the pair the paper names most."""
    pairs = []  # (pair, page, text, match, the registry data sets its sentence names)
    for page, text, m in mentions:
        if pair := _pair(m):
            left, right = _sentence_span(text.text, *m.span())
            pairs.append((pair, page, text, m, {info.key for info, _ in find_datasets(text.text[left:right])}))
    counts = {pair: sum(p == pair for p, *_ in pairs) for pair, *_ in pairs}
    for ref in spec.datasets:
        info = get_dataset(ref.resolved) if ref.resolved else None
        if not pairs or info is None or not info.configs or \
                not all(re.fullmatch(r"[a-z]{2}-[a-z]{2}", c) for c in info.configs):
            continue
        near = [p for p in pairs if info.key in p[4]]
        pair, page, text, m, _ = near[0] if near else max(pairs, key=lambda p: counts[p[0]])
        ref.pair = Quoted(value=pair, source=_ref(page, text, m))


def _sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence holding ``start:end`` begins and ends (its full stops)."""
    right = text.find(". ", end)
    return max(text.rfind(". ", 0, start) + 1, 0), len(text) if right == -1 else right


def _opening_stage(text: str, start: int) -> str | None:
    """The stage a long sentence opens with, where its value is too far into it for the value's quote to hold the
    opening ("Pretraining hyperparameters were optimized to the following final values: …; warmup steps, 10,000;
    …")."""
    left = _sentence_span(text, start, start)[0]
    return _stage(text[left: left + 60]) if start - left > 60 else None


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


# (an acronym's stage, a letter before it for its kind: "dSFT training." for distilled supervised fine-tuning)
_STAGES = [("finetuning", re.compile(r"\bfine-?tun(?:e|ed|ing)\b(?!\s+(?:the\s+|our\s+|all\s+|its\s+)?(?:other\s+)?"
                                    r"hyper-?parameters)|\binstruction[ -]tun|(?-i:\b[a-z]?SFT\b)", _I)),
           # (not the hyperparameters fine-tuned: "we fine-tune the hyperparameters on the validation dataset")
           ("pretraining", re.compile(r"\bpre-?train(?:ed|ing)?\b", _I)),
           # a frozen encoder's linear classifier ("For linear evaluation, we train a linear classifier for 100
           # epochs"): self-supervised papers' evaluation protocol, trained with values of its own
           ("linear_probe", re.compile(r"\blinear (?:evaluation|probing|probes?|classification protocol)\b", _I)),
           # tuning on preferences ("DPO training then uses β = 0.1, a learning rate of 1e-6"): a stage of its own
           ("preference", re.compile(r"(?-i:\b[a-z]?DPO\b)|\b(?:direct )?preference optimi[sz]ation\b|\bpreference "
                                     r"tuning\b", _I))]
# (an appendix's heading by the word: "Appendix B: Pretraining details")
_MARKER = re.compile(r"^(?:(?:\d{1,2}|[A-H])(?:\.\d{1,2}){0,2}\.?\s+[A-Z]\S*(?:\s+\S+){0,8}|Table\s+\d+\s*[:.].{0,160}|"
                     r"Appendix\s+[A-H](?:\.\d{1,2}){0,2}\s*[:.]?\s+[A-Z]\S*(?:\s+\S+){0,8})$")


# a stage's word used as an adjective ("the pre-trained models", "a fine-tuned checkpoint", "from our pre-trained
# parameters") names no stage
_ADJECTIVE = re.compile(r"\s+(?:(?!(?:the|a|an|our|this|these|its|their|on|with|for|from|to|in)\b)[\w-]+\s+)?(?:models?|"
                        r"weights|checkpoints?|networks?|encoders?|representations?|embeddings?|LMs?|language models?|"
                        r"parameters|params)\b", _I)


# a stage named to compare with ("For finetuning, we use the same setup as pretraining, but …", "a smaller rate than
# in pre-training") names no stage the values are for
_COMPARED_STAGE = re.compile(r"\b(?:(?:same|similar|identical)\s+(?:[\w-]+\s+){0,3}?as|than|like|relative\s+to)\s+"
                             r"(?:in\s+|for\s+|during\s+)?(?:the\s+)?$", _I)


# nor one a reason names ("We use AdamW rather than Adam as this improves the performance after finetuning")
_REASON_STAGE = re.compile(r"\b(?:as|because|since)\s+(?:this|it|that|doing\s+so)\s+(?:[\w-]+\s+){0,12}?"
                           r"(?:after|in|for|during|of)\s+(?:the\s+)?$", _I)


# nor stages named together as sharing what the sentence says ("both pre-training and fine-tuning used Adafactor …
# and dropout rate of 0.1": every stage's, the paper-wide setting's)
_BOTH_STAGES = re.compile(r"\bboth\s+(?:the\s+)?(?:[\w-]+\s+(?:and|&)\s+(?:the\s+)?)?$", _I)


def _stage_mentions(text: str) -> list[tuple[int, str]]:
    return [(m.start(), stage) for stage, p in _STAGES for m in p.finditer(text)
            if not (m.group(0).lower().endswith("ed") and _ADJECTIVE.match(text, m.end()))
            and not _BOTH_STAGES.search(text, max(0, m.start() - 40), m.start())
            and not _COMPARED_STAGE.search(text, max(0, m.start() - 50), m.start())
            and not _REASON_STAGE.search(text, max(0, m.start() - 120), m.start())]


def _stage(text: str) -> str | None:
    hits = _stage_mentions(text)
    return min(hits)[1] if hits else None


# a data set named aside: by its held-out split ("on the development set of STS-B", "we take STS-B development set"),
# what the sentence evaluates or selects on, not the setting its training values are for
_NAMED_ASIDE = re.compile(r"\b(?:development|dev|validation|held-out|test)\s+(?:sets?|splits?)\s+of\s+(?:the\s+)?$"
                       # nor one the sentence excepts ("across all datasets other than ImageNet", "300 epochs (600
                       # epochs for ImageNet)": a bracket's value only)
                       r"|\b(?:other\s+than|except(?:\s+for)?|apart\s+from|excluding|besides)\s+(?:the\s+|on\s+)?$"
                       r"|\(\s*[\d.]+[^()]{0,20}?\b(?:for|on)\s+(?:the\s+)?$", _I)
_SPLIT_AFTER = re.compile(r"\s+(?:development|dev|validation|held-out|test)\s+(?:sets?|splits?)\b", _I)


def _setting(quote: str, context: str | None = None) -> str:
    """A value's setting: the data set its sentence names ("On ImageNet, we train for 90 epochs"), else the
    stage it names (pre-training or fine-tuning), else the setting of the heading, table caption or run-in heading
    it sits under (``context``), else default (paper-wide). A sentence under a stage's heading that names a stage
    belongs to the stage it names, whatever data set it names."""
    # (a data set named to compare with is not the values' either: "For CelebA, we train our own model with the same
    # architecture and hyperparameters as the CIFAR10 model, using …")
    found = [(info, m) for info, m in find_datasets(quote) if _is_dataset_mention(quote, m) and not (
        _NAMED_ASIDE.search(quote, max(0, m.start() - 40), m.start()) or _SPLIT_AFTER.match(quote, m.end())
        or _COMPARED_STAGE.search(quote, max(0, m.start() - 50), m.start()))]
    if found and context in STAGES and (stage := _stage(quote)) in STAGES:
        return stage  # under "Fine-tuning on ImageNet-1K.", "We fine-tune … on ImageNet-1K for 30 epochs"; under
        # "Pre-training on ImageNet-22K and fine-tuning on ImageNet-1K.", "In ImageNet-1K fine-tuning, we train …"
    if found:
        return found[0][0].key
    stage = _stage(quote)
    if stage == "finetuning" and context is not None and get_dataset(context) is not None:
        return context  # under "4.2 SQuAD v1.1", "We fine-tune for 3 epochs …": the fine-tuning on the heading's
        # data set
    return stage or _feedback_subject(quote) or context or "default"


# a sentence about training one of a feedback pipeline's models, by its subject: "The SFT model is trained for 2
# epochs", "The reward model was trained …", "For SFT, we …", "We train the reward model for 1 epoch"
_FEEDBACK_SUBJECT = re.compile(r"^\s*(?:(?:The|Our)\s+([\w-]+(?:\s+[\w-]+)?)\s+(?:model|policy|models)?\s*(?:is|was|are|were)\s+"
                               r"(?:trained|fine-?tuned|optimi[sz]ed|initiali[sz]ed)\b|For\s+(?:the\s+)?([\w-]+(?:\s+[\w-]+)?)"
                               r"\s*,|We\s+(?:train|fine-?tune|optimi[sz]e)\s+(?:the|our)\s+([\w-]+(?:\s+[\w-]+)?)\s+(?:model|"
                               r"policy)\b)")


def _feedback_subject(quote: str) -> str | None:
    """The feedback stage a sentence's subject trains (``_FEEDBACK_SUBJECT``): SFT's (fine-tuning), the reward model's,
    RLHF's; None where it names none."""
    m = _FEEDBACK_SUBJECT.match(quote)
    if m is None:
        return None
    named = next(g for g in m.groups() if g)
    return next((stage for stage, p in _FEEDBACK_STAGES if p.search(named + " model")), None)


def _sentence_data_set(text: PageText, start: int, end: int) -> str | None:
    """The one data set a long sentence names before a value its quote, cut short, leaves out ("We fine-tune GPT-2
    on the WikiText-2 training set for 5 epochs using AdamW with …, batch size 8 …": the batch is WikiText-2's, as
    the epochs are); None where the quote names one or the sentence names none or several before the value, or where
    the sentence is the rest of one that a page break or a figure cut ("and SVHN, we add a dropout layer …": its "C10,
    C100" are on the page before)."""
    quote, flat = text.quote(start, end), text.text
    if _setting(quote) in {info.key for info, _ in find_datasets(quote)}:
        return None
    left = max(b for b in text.breaks if b <= start)  # (a sentence's start, or a heading's line's end)
    before = flat[left:start]
    if re.match(r"\s*[a-z]", before):
        return None
    keys = {info.key for info, m in find_datasets(before) if _is_dataset_mention(before, m)
            and not other_work(flat, left + m.start())
            and not _COMPARED_STAGE.search(before, max(0, m.start() - 50), m.start())}
    return _setting(before) if len(keys) == 1 and _setting(before) in keys else None


def _coordinated(quote: str, key: str) -> list[str]:
    """The data sets named together with ``key`` in a quote, joined only by commas and "and" ("On CIFAR-10 and
    CIFAR-100, we train for 200 epochs": both's), ``key`` first; [key] where it is named alone."""
    named = [(m.start(), m.end(), info.key) for info, m in find_datasets(quote) if _is_dataset_mention(quote, m)]
    runs: list[list[tuple[int, int, str]]] = []
    for mention in named:
        if runs and re.fullmatch(r"\s*(?:,|,?\s+(?:and|&))\s*", quote[runs[-1][-1][1]: mention[0]]):
            runs[-1].append(mention)
        else:
            runs.append([mention])
    run = next((r for r in runs if any(k == key for _, _, k in r)), [])
    keys = [key] + [k for _, _, k in run if k != key]
    return list(dict.fromkeys(keys))


def _bracket_data(flat: str, start: int, end: int) -> tuple[str, str | None] | None:
    """Where a value is another setting's in brackets ("64 (128 for SVHN)", "300 epochs (30 for fine-tuning)"):
    ("own", key) for the bracket's value, ("apart", key) for the value before it, the key a data set's or a stage's
    (None where the bracket names neither: a model size or a language pair, which the sentence's own rules find, or a
    part of the model); None where there is no such bracket."""
    opening = flat.rfind("(", max(0, start - 4), start)
    if opening >= 0 and (m := BRACKET_FOR.match(flat, opening)) and m.start(1) == start:
        kind, named = "own", m.group(2)
    elif m := BRACKET_FOR.match(flat, end):
        kind, named = "apart", m.group(2)
    else:
        return None
    keys = [info.key for info, found in find_datasets(named) if _is_dataset_mention(named, found)]
    return kind, keys[0] if len(keys) == 1 else _training_stage(named) if not keys else None


# a data set that opens a part of a sentence ("For MNLI we use …", "…, and for SST-2 …"), not one after a value ("200
# epochs on CIFAR-10")
_OPENS_PART = re.compile(r"(?:^|[.,;:]\s*|\b(?:and|while|whereas|but)\s+|^\s*)(?:[Ff]or|[Oo]n|[Ii]n)\s+(?:the\s+)?$")


# a sentence opened by a data set's name the registry lacks ("For Flowers-102 we train for 100 epochs", "On
# MovieLens-1M, …"): a name with a digit or a hyphen, not a table's, a section's or a model's
_OPENED_BY = re.compile(r"(?:For|On)\s+(?:the\s+)?((?!(?:Table|Figure|Fig|Section|Sec|Eq|Equation|Appendix|Algorithm)\b)"
                        r"[A-Z][A-Za-z]*(?:-[A-Za-z]*\d[\w.]*|\d[\w.]*|-[A-Z][\w]*))(?:\s+(?:data\s?set|benchmark))?\s*"
                        r"(?:,|\s+(?:we|our|the|all|models?|experiments?)\b)")


# a sentence about a baseline the paper compares with ("The MLP baseline has three hidden layers … trained with Adam
# (lr = 1e-3)", "For the CNN baselines, we use …"): its values are the baseline's setting, not the experiment's
_BASELINE = re.compile(r"(?:For\s+)?(?:[Tt]he|[Aa]ll|[Ee]ach)\s+((?!(?:our|main|strong|simple|same)\b)(?:[\w-]+\s+){1,3}?"
                       r"baselines?)\b")  # (a named one: "the MLP baseline"; "our baseline" is often the paper's own)
# a model's name that opens a sentence is a model's setting (a size, a variant), not a data set's
_MODEL_NAME = re.compile(r"(?:ResNe[XS]?t|ViT|DeiT|Swin|ConvNeXt|GPT|BERT|RoBERTa|XLNet|T5|BART|Llama|LLaMA|OPT|BLOOM|"
                         r"Mistral|Falcon|Qwen|Gemma|Phi|CLIP|Whisper|wav2vec|VGG|DenseNet|EfficientNet|MobileNet|"
                         r"Inception|AlexNet|LeNet|U-?Net|YOLO|DETR|PaLM|Chinchilla|Gopher|LaMDA|Flan|"
                         r"Wide[- ]?ResNet|WRN|ShuffleNet|SqueezeNet|Xception|RegNet|ELECTRA|DeBERTa|ALBERT|DistilBERT|"
                         r"Pythia|Vicuna|Alpaca|Mamba|RetinaNet|(?:Fast(?:er)?\s+|Mask\s+)?R-CNN)", _I)

# a sentence opened by a model of another name than a size's ("With ResNeXt [45], we train with 1 image per GPU …",
# "For ResNet-101, we use …"): that model's values, a setting of their own, not the paper-wide ones
_OPENED_BY_MODEL = re.compile(r"(?:For|With|Using)\s+(?:the\s+|a\s+)?((?:" + _MODEL_NAME.pattern
                              + r")(?:-[\w.]+|\d[\w.]*)?)(?:\s*\[[\d,\s–-]+\])?"
                              r"(?:\s+(?:backbones?|models?|networks?|architectures?|encoders?))?\s*,")
# (as the name is written: "For optimization, we use AdaFactor" opens with no model)


def _opened_by_model(text: str, start: int, openers: set[str]) -> str | None:
    """The model, not named by a size, that opens the sentence a value at ``start`` is in (``_OPENED_BY_MODEL``),
    added to ``openers``; None where none does."""
    left = max(text.rfind(". ", 0, start) + 2, 0) if text.rfind(". ", 0, start) != -1 else 0
    if (model := _OPENED_BY_MODEL.match(text, left)) and model.end() <= start and size_rank(model.group(1)) is None:
        openers.add(model.group(1))
        return model.group(1)
    return None


_OPENED_BY_CAPS = re.compile(r"(?:For|On)\s+(?:the\s+)?([A-Z]{2,}[A-Za-z0-9]*)(?:\s+(?:data\s?set|benchmark))?\s*"
                             r"(?:,|\s+(?:we|our|the|all|models?|experiments?)\b)")


# a name that opens a sentence as a registry data set opens the one before or after it: "For CNN/DailyMail, we set batch
# size to 32 … For Gigaword, we set batch size to 64": the data sets compared, side by side
_OPENED_BY_WORD = re.compile(r"(?:For|On)\s+(?:the\s+)?([A-Z][A-Za-z]+(?:[- ][A-Z][A-Za-z]*)?)\s*,")
_OPENS_WITH_DATA = re.compile(r"\s*(?:For|On)\s+(?:the\s+)?([^,.]{2,40}?)\s*,")


# a sentence that opens with the experiments its values are for: "For balanced set experiments, …", "For the full set
# runs, …", "Exceptionally, for the ablation studies, …" (not the paper's own at large: "For all experiments, …", "For
# our main experiments, …")
_OPENED_BY_RUNS = re.compile(r"(?:[A-Z][a-z]+ly,\s+(?:for|in)|For|In)\s+(?:the\s+)?(?!(?:the|all|our|these|those|both|each|"
                             r"every|most|other|main|remaining|subsequent|following|further|additional|such|some|many|"
                             r"several|previous|above|same|this|that|any|final|reported|one|a|an|another|two|three|"
                             r"four|five|separate|first|second|third|single|preliminary|initial|early|pilot|later)\b)"
                             r"([A-Za-z][\w-]*(?:\s+[a-z][\w-]*){0,2})\s+"
                             r"(?:experiments?|runs?|stud(?:y|ies))\s*,")


def _beside_a_data_set(text: str, left: int) -> bool:
    """Whether the sentence before or after the one starting at ``left`` opens with a registry data set ("For
    CNN/DailyMail, …")."""
    before = text.rfind(". ", 0, max(left - 2, 0))
    after = text.find(". ", left)
    for at in (before + 2 if before != -1 else 0, after + 2 if after != -1 else -1):
        if 0 <= at < left - 2 or at > left:
            if (m := _OPENS_WITH_DATA.match(text, at)) and find_datasets(m.group(1)):
                return True
    return False


def _opened_by_unknown(text: str, start: int, used: tuple[str, ...] | list[str] = ()) -> str | None:
    """The data set outside the registry, or the baseline, that opens the sentence a value at ``start`` is in, where
    one does: its values are its own setting's (named as the paper names it), not the paper-wide ones. ``used``: the
    names of the data sets outside the registry the paper uses (a name in capitals opens a setting only if listed)."""
    left = own_sentence_start(text, start)  # ("The DCGAN baselines use the hyperparameters of Radford et al. [22] (…)")
    if (baseline := _BASELINE.match(text, left)) is not None and baseline.end() <= start:
        return re.sub(r"s$", "", " ".join(baseline.group(1).split()))  # ("the MLP baseline": "MLP baseline")
    if (language := _OPENED_BY_LANGUAGE.match(text, left)) is not None and language.end() <= start:
        # ("For German we found a smaller learning rate of 3e-5 to work better"); English's values are the main run's:
        # the registry's text data sets (CoNLL-2003, SQuAD, GLUE, the source side of WMT) are their English editions
        return None if language.group(1) == "English" else language.group(1)
    m = _OPENED_BY.match(text, left)
    if m is None and (caps := _OPENED_BY_CAPS.match(text, left)) and caps.end() <= start and caps.group(1) in used:
        m = caps  # a name in capitals ("For TREC we use 10 epochs") that the paper names as a data set it uses
    if m is None and (word := _OPENED_BY_WORD.match(text, left)) and word.end() <= start and (
            word.group(1) in used or _beside_a_data_set(text, left)) and names_data(word.group(1)):
        m = word  # ("For Gigaword, we set batch size to 64", after "For CNN/DailyMail, we set batch size to 32")
    if m is None and (runs := _OPENED_BY_RUNS.match(text, left)) and runs.end() <= start:
        m = runs  # ("For balanced set experiments, we use an initial learning rate of 5e-5 …")
    if m is None or m.end() > start:
        return None
    name = m.group(1)
    if find_datasets(name) or find_models(name) or size_rank(name) is not None or _MODEL_NAME.match(name):
        return None  # (a registry data set, a model or a model size: settings of their own kinds)
    return name


# a value given for a group of data sets the sentence lists in brackets: "40 epochs for large datasets (NQ, TriviaQA,
# SQuAD) and 100 epochs for small datasets (TREC, WQ)"
_FOR_GROUP = re.compile(r"\s*(?:for|on)\s+(?:the\s+|all\s+)?(?:[\w-]+\s+){0,3}?(?:data\s?sets|tasks|benchmarks|corpora|"
                        r"languages)\s*\(([^()]{2,160})\)", _I)


def _group_setting(names: str, used: tuple[str, ...] | list[str]) -> str | None:
    """The setting of a value given for a bracketed group of data sets: the first the registry knows, else the first
    the paper uses that it lacks; None where it names neither."""
    keys = [info.key for info, m in find_datasets(names) if _is_dataset_mention(names, m)]
    return keys[0] if keys else next((n for n in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", names.strip())
                                      if n in used), None)


# a value given for a name that ends its phrase: "80 for MR and …", "0.1 on Subj,"
_FOR_NAME = re.compile(r"\s*(?:for|on)\s+(?:the\s+)?([A-Z][\w-]*)(?=\s*(?:[,.;)]|and\b|while\b|whereas\b|but\b|$))")


def _near_setting(text: str, start: int, end: int, one: bool = True,
                  used: tuple[str, ...] | list[str] = ()) -> str | None:
    """Where a sentence names two data sets or both stages, the one a value belongs to: for data sets, the nearest
    within its clause ("On CIFAR-10 we train for 200 epochs; on ImageNet for 90", "200 epochs on CIFAR-10 and 90 on
    ImageNet"); for stages, the last named before it ("pre-trained with a learning rate of 5e-4 and then fine-tuned
    with 1e-5"), else the first after. None where the sentence names at most one of each. ``used``: the data sets
    outside the registry the paper uses (a value given for one of them is its, whatever its name looks like)."""
    left, right = _sentence_span(text, start, end)
    sentence = text[left:right]
    if group := _FOR_GROUP.match(text, end):
        return _group_setting(group.group(1), used)
    groups = [(left + g.start(1), left + g.end(1)) for g in _FOR_GROUP.finditer(sentence)]
    if groups and all(any(a <= left + m.start() < b for a, b in groups) for _, m in find_datasets(sentence)):
        return "default"  # "…(TREC, WQ), with a learning rate of 10−5": a value not given for one of the groups is
        # all of theirs, not the one data set of a group the sentence names
    if one and (given := _FOR_NAME.match(text, end)) and not find_datasets(given.group(1)) \
            and not find_models(given.group(1)) and size_rank(given.group(1)) is None and (
                may_name_data(given.group(1)) or given.group(1) in used) \
            and not re.fullmatch(r"[A-Z]\d{1,2}", given.group(1)):  # (not a variant: "from 0.2 for B0 to 0.5 for B7")
        return given.group(1)  # "a batch size of 80 for MR and 40 for SST-2": the value is the name's it is given
        # for, a data set the registry lacks, not the other one the sentence names
    named = [(left + m.start(), left + m.end(), info.key) for info, m in find_datasets(sentence)
             if _is_dataset_mention(sentence, m)]
    if not named and (pairs := [(left + m.start(), left + m.end(), pair) for m in _PAIR.finditer(sentence)
                                if (pair := _pair(m))]):
        # a translation paper's language pairs, where no data set is named: each the setting of the values in its part
        # of the sentence ("300k updates on En-De and 500k updates on En-Fr"); one pair, only where the value is given
        # for it ("0.3 (0.1 for En-Fr)") or it opens the sentence or its part ("For the big model trained on
        # English-to-French, we used dropout 0.1"), not a pair the sentence mentions in passing
        if len({pair for *_, pair in pairs}) > 1:
            named = pairs
        else:
            a, b, pair = pairs[0]
            if re.fullmatch(r"\s*\)?\s*(?:for|on)\s+(?:the\s+)?", text[end:a]) or b <= start and (
                    _OPENS_PART.search(text, max(left, a - 30), a) or re.match(
                        r"\s*(?:For|On|In)\b[^,;()]{0,60}$", text[left:a])) and "(" not in text[b:start]:
                return pair
            return None
    groups: list[tuple[int, int, str]] = []  # data sets named together ("On CIFAR and SVHN we train using batch size
    for a, b, key in named:  # 64": both's) are one, its first's key (``add`` gives the value to each)
        if groups and re.fullmatch(r"\s*(?:,|,?\s+(?:and|or|&))\s*", text[groups[-1][1]:a]):
            groups[-1] = (groups[-1][0], b, groups[-1][2])
        else:
            groups.append((a, b, key))
    named = groups
    if len({key for _, _, key in named}) > 1 and not re.search(r"\brespectively\b", sentence):
        c_left = max(text.rfind(";", left, start) + 1, left)
        c_right = text.find(";", end, right)
        c_right = right if c_right == -1 else c_right
        inside = [(a, b, key) for a, b, key in named if c_left <= a and b <= c_right]
        bound = [key for a, b, key in inside if re.fullmatch(r"\s*(?:%\s*)?(?:for|on)\s+(?:the\s+|all\s+)?(?:other\s+|"
                                                            r"remaining\s+)?", text[end:a])]
        if bound:  # "0.1 for CIFAR-10 and 0.01 for SVHN": the data set the value is given for
            return bound[0]
        last = max(((a, b, key) for a, b, key in inside if b <= start), default=None)
        if last and _OPENS_PART.search(text, max(left, last[0] - 30), last[0]):
            return last[2]  # "For MNLI we use a learning rate of 3e-5 and for SST-2 a learning rate of 2e-5": the data
            # set that opens the part of the sentence the value is in
        # (a data set after the value that opens the next part of the sentence is that part's, where one stands before
        # the value: "Our ImageNet models are trained for 1.5M iterations and our CIFAR-10 models for 500K")
        if any(b <= start for _, b, _ in inside):
            inside = [(a, b, key) for a, b, key in inside if b <= start or not re.search(
                r"\b(?:and|while|whereas|but)\s+(?:(?:our|the|for|on|in)\s+)?$", text[end:a])]
        if inside:
            return min(inside, key=lambda n: start - n[1] if n[1] <= start else n[0] - end)[2]
    stages = [(left + a, stage) for a, stage in _stage_mentions(sentence)]
    if len({stage for _, stage in stages}) > 1:
        before = [(a, stage) for a, stage in stages if a < start]
        return max(before)[1] if before else min(stages)[1]
    return None


def setting_of(paper: Paper, page: int, quote: str) -> str:
    """The setting of a value quoted from ``page`` (an LLM's): as the rules give their own values, from the quote and
    the heading, table caption or run-in heading it sits under, and the one model size the quote names ("For 175B,
    we use ...": "finetuning 175B" under a fine-tuning heading)."""
    pages = list(_pages(paper))
    fine_tunes = any(m.setting == "finetuning" for _, text in pages for m in _markers(text))
    below = captions_below(pages)
    scope: Scope = (None, None)
    setting = None
    for number, text in pages:
        markers = _markers(text, fine_tunes, below)
        if number == page:
            at = text.text.find(normalise_ws(quote))
            setting = _setting(quote, _context(markers, at, scope) if at >= 0 else None)
            break
        if markers:
            scope = _scope(markers, len(text.text), scope)
    setting = setting or _setting(quote)
    flat = normalise_ws(quote)
    sizes = sizes_named(flat, len(flat), len(flat))
    if len(sizes) == 1:
        return sizes[0] if setting == "default" else f"{setting} {sizes[0]}"
    return setting


_NETWORK_PART = re.compile(r"(?:\s+|-)(?:backbones?|stages?|blocks?|feature\s+maps?|features?\s+(?:from|of)\b|levels?|"
                           r"heads?|layers?)\b", _I)


def _is_dataset_mention(text: str, m: re.Match[str]) -> bool:
    """A registry alias used as a data set's name, not as part of a proper name ("CIFAR Senior Fellow", "the
    CIFAR Institute"): a bare alias without its number followed by a capitalised word is a name; nor as a network's
    part ("the C4 backbone", "C5 features" of a ResNet's stages): an alias followed by a part's noun."""
    after = text[m.end(): m.end() + 30]
    if _NETWORK_PART.match(after):
        return False
    if re.search(r"\d", m.group(0)):
        return True
    if m.group(0).islower():  # a common word ("digits", "wine") names a data set only when the text says so:
        # "the digits data set", or the library that ships it before it ("the scikit-learn digits")
        before = text[max(0, m.start() - 40): m.start()]
        return bool(re.match(r"\s*(?:\w+\s+)?(?:data\s?sets?|corpus|benchmark)\b", after, _I)
                    or re.search(r"\b(?:scikit-learn|sklearn|torchvision|keras|tfds|UCI|OpenML)(?:'s)?\s+$", before, _I))
    return not re.match(r"\s+(?:[A-Z][a-z]+|Canada|Institute|Fellow|program)", after)


def _data_sets_in(text: str) -> set[str]:
    """The registry data sets ``text`` names as data sets (``_is_dataset_mention``)."""
    return {info.key for info, m in find_datasets(text) if _is_dataset_mention(text, m)}


# a data set this paper does not train on: one said not to be used ("no ImageNet pre-training is used"), or the one a
# model it starts from was trained on ("initialized with weights from a model pretrained on ImageNet")
_NOT_TRAINED_ON = re.compile(r"\b(?:no|without)\s+$|\b(?:models?|weights|networks?|backbones?|checkpoints?|encoders?)\s+"
                             r"(?:that\s+(?:was|were|is|are|had\s+been|has\s+been)\s+)?(?:pre-?trained|trained)\s+on\s+"
                             r"(?:the\s+)?$", _I)


def _first_use(flat: str, key: str, m: re.Match[str] | None) -> re.Match[str] | None:
    """The first mention of registry data set ``key`` from ``m`` on that names it as a data set the paper uses: not part
    of a proper name ("CIFAR Senior Fellow"; a title's last word over "Abstract" looks like one), nor another work's
    ("benchmarks such as GLUE (Wang et al.) were proposed"); a later mention may be one where the first is not."""
    while m is not None:
        if _is_dataset_mention(flat, m) and not other_work(flat, m.start()) and \
                not _NOT_TRAINED_ON.search(flat, max(0, m.start() - 80), m.start()):
            return m
        m = next((found for info, found in find_datasets(flat, m.end()) if info.key == key), None)
    return None


class Marker(NamedTuple):
    """A heading, a table caption or a run-in heading, and the setting it names (None: none)."""

    offset: int
    setting: str | None
    run_in: bool
    caption: bool = False  # a table's caption: a setting it names is its table's; one naming none ends no section
    until: int | None = None  # a caption below its table: the setting holds from ``offset`` (the table's first line)
    # to here (the caption's end) only


Scope = tuple[str | None, str | None]  # (the setting of the last heading or caption, of the run-in heading after it)


def _context(markers: list[Marker], start: int, carried: Scope) -> str | None:
    """The setting a value at ``start`` sits under: the last run-in heading's before it (a paragraph opened by
    "Fine-tuning details."), where that names one, else the last heading's or caption's; what a page does not
    settle is carried over from the pages before."""
    section, run_in = _scope(markers, start, carried)
    return run_in or section


def _scope(markers: list[Marker], start: int, carried: Scope) -> Scope:
    section, run_in = carried
    for marker in markers:
        if marker.offset > start:
            break
        if marker.until is not None:
            if start < marker.until and marker.setting is not None:
                section, run_in = marker.setting, None
            continue  # (the table over the caption is done: what follows is the section's again)
        if marker.run_in:
            run_in = marker.setting
        elif marker.caption and marker.setting is None:
            continue  # "Table 7: Development set perplexity …" in the middle of a section: the section goes on
        else:
            section, run_in = marker.setting, None
    return section, run_in


def _opening_dataset(text: str, start: int) -> str | None:
    """The data set the sentence before the one at ``start`` opens with ("On ImageNet, ...", "For CIFAR-10 we ..."),
    where it names exactly one."""
    here = max(text.rfind(". ", 0, start), 0)
    before = text[max(text.rfind(". ", 0, here), -1) + 1: here + 1].strip()
    opening = re.match(r"(?:On|For|In)\s+(?:the\s+)?([^,.]{2,40}?)(?:,|\s+we\b)", before)
    if opening is None:
        return None
    named = {info.key for info, m in find_datasets(before) if _is_dataset_mention(before, m)}
    first = [info.key for info, m in find_datasets(opening.group(1)) if _is_dataset_mention(opening.group(1), m)]
    return first[0] if len(named) == 1 and first else None


# the stages of training from human feedback, as a heading names them ("C.1 Details of SFT training", "Reward
# modeling (RM).", "C.4 Details of RLHF training"): supervised fine-tuning is fine-tuning; the reward model and the
# reinforcement learning are stages of their own
_FEEDBACK_STAGES = [("finetuning", re.compile(r"\bSFT\b")),
                    ("reward_model", re.compile(r"\breward model(?:s|ing)?\b|\bRMs?\b", _I)),
                    ("rlhf", re.compile(r"\bRLHF\b|\bPPO\b|\breinforcement learning from (?:human )?feedback\b", _I))]


def _named_setting(heading: str) -> str | None:
    """The setting a heading names: a stage ("Pre-training details", "Fine-tuning on ImageNet", "Details of RM
    training"), else a data set ("ImageNet experiments", "CIFAR.")."""
    found = [info.key for info, m in find_datasets(heading) if _is_dataset_mention(heading, m)]
    return _training_stage(heading) or (found[0] if found else None)


def _training_stage(text: str) -> str | None:
    """The stage of training ``text`` names: pre-training or fine-tuning, else a stage of training from human
    feedback (SFT is fine-tuning; RM, PPO)."""
    feedback = [(m.start(), stage) for stage, p in _FEEDBACK_STAGES if (m := p.search(text))]
    return _stage(text) or (min(feedback)[1] if feedback else None)


def _column_kind(word: str) -> str | None:
    """What a table column's one-word name is: a stage ("Pre-training", "SFT"), a registry data set ("SQuAD"), else
    None (``values.find_values`` gives each column's values to it)."""
    return "stage" if _training_stage(word) else "data" if _column_data_set(word) else None


# a section heading that names a downstream task ("A.4 Question Answering", "5.2 Named Entity Recognition"): its
# values are that task's experiment's, kept apart as the data set the section opens with names it, else the task
_TASK_HEADING = re.compile(r"\b" + TASK_NAMES + r"\b", _I)


def _task_setting(heading: str, after: str) -> str | None:
    """The setting a section heading naming a downstream task gives the values under it: the data set the section's
    first sentences name, else the task."""
    task = _TASK_HEADING.search(heading)
    if task is None:
        return None
    found = [info.key for info, m in find_datasets(after[:300]) if _is_dataset_mention(after[:300], m)]
    return found[0] if found else " ".join(task.group(0).lower().split())


# A run-in (paragraph) heading: a few words at the start of a paragraph, then the paragraph's first sentence on the
# same line: "Pre-training details. We ...", "Training: We ...", or unpunctuated, "Fine-tuning details Unless
# specified, we ...", where the capitalised word that opens a sentence (a pronoun, article or preposition, never
# capitalised inside one) ends the heading.
_OPENER = (r"(?:We|Our|For|In|To|The|This|These|Unless|Following|As|After|Since|Here|All|Each|Using|With|On|It|They|"
           r"When|While|Both|Given|Unlike|During|At|Because|Like|Similar(?:ly)?|Instead|Besides|Except|Apart|Note)\b")
_RUN_IN_WORD = r"\(?[A-Za-z\d][\w'’/+-]*\)?"  # ("Stage 2 (reward modeling):")
# (its first word capitalised, or an acronym with a letter before it: "dSFT training. We train our SFT models …")
_RUN_IN = re.compile(r"^((?:[A-Z]|[a-z][A-Z]{2,}\b)[\w'’/+-]*(?: " + _RUN_IN_WORD + r"){0,7}?)"
                     r"(?:\s*[.:]\s+(?=[A-Z])|\s*(:)\s+(?=[a-z])| (?="
                     + _OPENER + r"))")
# words of a sentence, never of a heading: pronouns, verbs of being and having, modals, "use"
_NOT_HEADING = re.compile(r"\b(?:we|our|us|i|is|are|was|were|be|been|has|have|had|it|its|this|these|that|those|they|"
                          r"their|can|could|will|would|should|may|might|must|use[sd]?|shows?|shown|see|follows?|then|"
                          r"thus|also|not|et|al|fig|eq|table|figure|section|sec)\b", _I)
# what the model being pre-trained is trained on and for, in a paragraph that names no stage
_PRETRAINING_WORDS = re.compile(r"\bunlabel+ed (?:text|data|corpus|corpora)\b|\braw text\b|\blanguage[- ]model(?:ing)? "
                                r"(?:objective|loss)\b|\b(?:masked|causal|autoregressive) language model(?:ing)?\b|"
                                r"\bnext[- ](?:token|word) prediction\b|\b(?:train(?:ing)?|pre-?train\w*) (?:the|a|our) "
                                r"(?:[\w-]+ )?language model\b", _I)


# a line that is only a data set's or a stage's name after "On" or "For", and a colon: a list of its values follows
_LIST_HEADING = re.compile(r"^\s*(?:On|For)\s+(?:the\s+)?([A-Z][\w.'’-]*(?:[ -][A-Z\d][\w.'’-]*){0,2})\s*:\s*$")
# a run-in heading that is the name of a variant of the model, one hyphenated word with a digit, before a colon:
# "BN-x5: Inception with …", "ResNet-110: the same network …"
_VARIANT_HEADING = re.compile(r"^([A-Z][A-Za-z]*(?:-[A-Za-z]*\d[A-Za-z\d]*)+)\s*:\s*(?=[A-Z])")


# a stage that opens a paragraph: "For reward modeling, …", "For PPO, …", "For fine-tuning, …"
_STAGE_OPENER = re.compile(r"(?:For|In|During)\s+(?:the\s+)?([\w-]+(?:\s+[\w-]+){0,2}?)\s*,")
_OPENS_SENTENCE = re.compile(r"(?:For|On|In|During)\s")


def _paragraph_end(lines: list[tuple[int, str]], i: int, typical: int) -> int:
    """Where the paragraph that line ``i`` opens ends: at a line that ends a sentence and is short (a paragraph's last
    line) or longer than a page's line (a whole paragraph on one line, as text not laid out in lines has it), or is
    followed by a heading or a sentence opened by "For", "On", "In" (the next paragraph's)."""
    for j in range(i, len(lines)):
        offset, line = lines[j]
        if re.search(r"[.?!][\"'”’)\]]?\d{0,2}$", line) and (
                j + 1 == len(lines) or len(line) < 0.85 * typical or len(line) > 130 or _MARKER.match(lines[j + 1][1])
                or _OPENS_SENTENCE.match(lines[j + 1][1])):
            return offset + len(line)
    return lines[-1][0] + len(lines[-1][1])


def _opens_paragraph(lines: list[tuple[int, str]], i: int, typical: int) -> bool:
    """Line ``i`` starts a paragraph: the page's first, or after a line that ends a sentence or is a heading."""
    return not (i and not re.search(r"[.?!:][\"'”’)\]]?\d{0,2}$", lines[i - 1][1]) and
                not (len(lines[i - 1][1]) < 0.6 * typical and lines[i - 1][1][-1] not in ".,;:?!") and
                not _MARKER.match(lines[i - 1][1]))


def _run_in(lines: list[tuple[int, str]], i: int, typical: int) -> str | None:
    """The run-in heading that opens line ``i``, if the line starts a paragraph (the page's first, or after a line that
    ends a sentence or is a heading) and opens with one."""
    offset, line = lines[i]
    if not _opens_paragraph(lines, i, typical):
        return None
    m = _RUN_IN.match(line)
    if m is None or _MARKER.match(line) or _NOT_HEADING.search(m.group(1)) \
            or (re.search(r"(?:^|\s)[\d.]+(?:\s|$)", m.group(1)) and not re.match(r"(?:Stage|Step|Phase)\s+\d+\b",
                                                                             m.group(1))):
        return None  # a bare number: a table's row, not a heading (but "Stage 2 (reward modeling):" is one)
    if m.group(2) and _named_setting(m.group(1)) is None:
        return None  # "Note: we …": a heading before a colon and a lower-case word only where it names a setting
    return m.group(1)


# a bulleted item that a model size opens: "• Small. We consider a smaller model, which … uses dmodel = 512", "• 3B and
# 11B. To further explore …": its values are those sizes'
_SIZE_ITEM = re.compile(r"^\s*[•·▪◦∙*–-]\s*" + SIZES_NAMED + r"\.\s+(?=[A-Z])")
_ITEM = re.compile(r"^\s*[•·▪◦∙*–-]\s+\S")


def _split_sizes(named: str) -> list[str]:
    """The sizes a list names ("1.3B, 6B, and 175B"; "ConvNeXt-S/B/L": ConvNeXt-S, ConvNeXt-B, ConvNeXt-L)."""
    sizes = [s.strip(" “”\"") for s in re.split(r",\s*(?:and\s+)?|\s+and\s+|\s*/\s*", named) if s.strip(" “”\"")]
    if len(sizes) > 1 and (model := re.match(r"(.*-)[A-Z]\w*$", sizes[0])):
        sizes = [size if "-" in size else model.group(1) + size for size in sizes]
    return sizes


def _size_items(lines: list[tuple[int, str]], end: int) -> list[tuple[int, int, list[str]]]:
    """The spans of bulleted items opened by a model size (to the next item or heading), each with its sizes."""
    items: list[tuple[int, int, list[str]]] = []
    for i, (offset, line) in enumerate(lines):
        m = _SIZE_ITEM.match(line)
        if m is None:
            continue
        stop = next((o for o, later in lines[i + 1:] if _ITEM.match(later) or _MARKER.match(later)), end)
        items.append((offset, min(stop, offset + 2000), _split_sizes(m.group(1))))
    return items


_CAPTION_LINE = re.compile(r"Table\s*\d+\s*[:.]")


def _table_line(line: str) -> bool:
    """A line of a table as text extraction leaves it: a row of numbers, or a short line that ends no sentence (its
    header, a row of words: "Learning Rate Decay Linear Linear")."""
    return row_like(line) or (len(line.split()) <= 12 and not re.search(r"[.:;]$|[a-z]\. [A-Z]", line)
                               and not _MARKER.match(line))


def captions_below(pages: list[tuple[int, PageText]]) -> bool:
    """Whether a paper sets its tables' captions below the tables (as ACL's and many arXiv papers do): more of its
    captions follow rows of a table than come before them."""
    below = above = 0
    for _, text in pages:
        lines = [line for _, line in text.lines]
        for i, line in enumerate(lines):
            if _CAPTION_LINE.match(line):
                after, before = any(map(row_like, lines[i + 1: i + 4])), any(map(row_like, lines[max(0, i - 2): i]))
                below, above = below + (before and not after), above + (after and not before)
    return below > above


def _markers(text: PageText, fine_tunes: bool = False, below: bool = False) -> list[Marker]:
    """Headings, table captions and run-in headings on a page, each with the setting it names (or None): what a value
    under them belongs to when its own sentence does not say. A run-in paragraph that names no setting but describes
    the model being pre-trained (its language-model objective, the unlabelled or raw text it learns from) is
    pre-training, in a paper that also fine-tunes. ``below``: the paper sets captions below their tables, so a
    caption after a table's rows names the setting of those rows, not of what follows it."""
    typical = sorted(len(line) for _, line in text.lines)[int(len(text.lines) * 0.9)] if text.lines else 0
    markers = []
    for i, (offset, line) in enumerate(text.lines):
        if below and _CAPTION_LINE.match(line) and any(row_like(row) for _, row in text.lines[max(0, i - 2): i]):
            first = i
            while first > 0 and _table_line(text.lines[first - 1][1]):
                first -= 1
            markers.append(Marker(text.lines[first][0], _stage(line), False, True, offset + len(line)))
        elif _MARKER.match(line):
            # a section heading names its stage or its data set ("4.2 ImageNet classification"); not a numbered
            # list's item ("3. MNLI (Williams et al., 2018)") or a wrapped line of prose ("1.9 BLEU. On WMT'14 we")
            heading = not line.startswith("Table") and not re.search(r"\(|\[|\bet al\b|\. \S", line)
            named = _named_setting(line) if heading else _stage(line)
            if named is None and heading and not line.startswith("Table"):
                named = _task_setting(line, text.text[offset + len(line):])
            markers.append(Marker(offset, named, False, line.startswith("Table")))
        elif (data := _LIST_HEADING.match(line)) and _opens_paragraph(text.lines, i, typical):
            # a line that heads the list of one data set's values ("On ImageNet:" above "Optimizer: SGD",
            # "Momentum: 0.9"): theirs, to the next heading
            markers.append(Marker(offset, _named_setting(data.group(1)) or data.group(1), False))
        elif (variant := _VARIANT_HEADING.match(line)) and _opens_paragraph(text.lines, i, typical):
            # a variant the paper trains, as a run-in heading names it ("BN-x5: Inception with …", its space lost
            # where the heading's font ran the words together: "BN-x5:Inceptionwith…")
            markers.append(Marker(offset, variant.group(1), True))
        elif heading := _run_in(text.lines, i, typical):
            markers.append(Marker(offset, _named_setting(heading), True))
        elif (opener := _STAGE_OPENER.match(line)) and _opens_paragraph(text.lines, i, typical) and (
                stage := _stage(opener.group(1)) or next((stage for stage, p in _FEEDBACK_STAGES
                                                          if p.search(opener.group(1))), None)):
            # a paragraph a stage opens ("For reward modeling, we initialize …. We train for one epoch …"): its
            # sentences are that stage's, to the paragraph's end
            markers.append(Marker(offset, stage, False, False, _paragraph_end(text.lines, i, typical)))
    markers.sort(key=lambda marker: marker.offset)  # (a caption below its table marks where the table starts)
    if fine_tunes:
        for k, marker in enumerate(markers):
            if marker.run_in and marker.setting is None:
                end = markers[k + 1].offset if k + 1 < len(markers) else len(text.text)
                block = text.text[marker.offset:end]
                if _stage(block) is None and _PRETRAINING_WORDS.search(block):
                    markers[k] = marker._replace(setting="pretraining")
    return markers


# "Unless specified, we reuse the hyperparameter settings from unsupervised pre-training", "fine-tuning uses the same
# hyperparameters as pre-training": one stage takes the other's values where it states none
_REUSE = re.compile(r"\b(?:reuse|use|keep|follow|adopt|retain)[sd]?\b[^.]{0,40}?\b(?:hyper-?parameters?|settings?|"
                    r"configurations?)\b[^.]{0,20}?\b(?:from|as|of|in)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?"
                    r"(pre-?train(?:ing)?|fine-?tun(?:e|ing))\b", _I)


def _reuses(flat: str, markers: list[Marker], scope: Scope) -> Iterator[tuple[str, str, re.Match[str]]]:
    """(setting, the stage whose values it reuses, the match) for each sentence that says so: the setting is the one
    the sentence sits under, else the other stage."""
    for m in _REUSE.finditer(flat):
        base = _stage(m.group(1)) or "pretraining"
        here = _context(markers, m.start(), scope)
        yield (here if here and here != base else next(s for s in STAGES if s != base)), base, m


# a model size as papers name one: a parameter count ("1.3B", "175B", "117M") or a size word, alone or ending a model's
# name ("Large", "BERT-Large", "ViT-L", "DeiT-Ti", "XXL")
# "For our 1.3B and 6B models, we use ...", "For 175B, we use ...", "For BERT-Large, we ...": the whole sentence
# (its comma left out before "we" where the model is named: "For the large model we trained for at most 3 epochs")
_SIZE_OPENING = re.compile(rf"^(?:For|With|On)\s+(?:the\s+|our\s+|all\s+)?{SIZES_NAMED}(?:(?:[\s-]+{MODEL_WORD})?\s*,|"
                           rf"[\s-]+{MODEL_WORD}\s+(?=we\b))")
_CLAUSE_OPENING = re.compile(rf"(?:For|for)\s+(?:the\s+|our\s+)?{SIZES_NAMED}(?:[\s-]+{MODEL_WORD})?\s*,?\s+"
                             r"(?=we\b|the\b|our\b)")
# "... a batch size of 32 for 1.3B and 6B models": the value just before
_SIZE_AFTER = re.compile(rf"^\s*(?:[\w-]+\s+){{0,2}}?for\s+(?:the\s+|our\s+|all\s+)?{SIZES_NAMED}(?:[\s-]+{MODEL_WORD}|"
                         rf"{SIZE_ALONE})")
# "We trained the base models for 100,000 steps", "The big models were trained for ...": the sizes the sentence is
# about, before the value (not a model compared with: "than the large model")
_SIZE_SUBJECT = re.compile(rf"(?<!than )(?<!to )(?<!with )(?<!as )(?<!over )\b(?:[Tt]he|[Oo]ur)\s+(?:[\w-]+\s+\((?=\w+\)))?"
                           rf"{SIZES_NAMED}\)?[\s-]+(?:models?|variants?|networks?|versions?)\b")  # ("the Transformer (big) model")
# "The learning rates for the 1.3B, 6B, and 175B models are ...": the sizes between the name and its values
# ("…; the 33B model uses a rate of 1e-5"; "… and the 12B model 1.2 × 10−4", a clause its value opens)
_CONTRAST = re.compile(r",?\s+(?:while|whereas)\s+|,\s+but\s+|;\s+|,?\s+and\s+(?=(?:the|our)\s+[\w.-]+[\s-]+"
                       r"(?:models?|variants?|networks?|versions?)\s+(?:(?:uses?|used|takes?|took|has|have|had)\s+)?"
                       r"(?:only\s+)?\d)")
_SIZE_BEFORE = re.compile(rf"\bfor\s+(?:the\s+|our\s+)?{SIZES_NAMED}[\s-]+{MODEL_WORD}\s+(?:are|were|is|was)\s")
# "…, and for the 70B model 1.5e-4": the sizes of the part just before the value, the name left out (the verb may open
# the value's match: "… and for our large model we use 12 layers in each")
_PART_FOR_SIZE = re.compile(rf",?\s+(?:and|while|but|whereas)\s+for\s+(?:the\s+|our\s+)?{SIZES_NAMED}(?:[\s-]+{MODEL_WORD})?"
                            r"\s*,?\s+(?:we\s+)?(?:(?:use|used|set|take|took)\s+)?$")
# a clause a size opens, as its subject: "BASE trains for 400k updates, LARGE for 250k updates"
_CLAUSE_SIZE = re.compile(rf"(?:(?:[Tt]he|[Oo]ur)\s+)?{SIZES_NAMED}(?:[\s-]+{MODEL_WORD})?\s+(?:(?:trains?|(?:is|was|"
                          r"are|were)\s+trained|uses?|used)\s+)?(?:for|with|on)\s")


def sizes_named(flat: str, start: int, end: int) -> list[str]:
    """The model sizes a value at ``start:end`` is stated for, by its sentence: one that opens "For our 1.3B and 6B
    models, ...", or the value followed by "for the 175B model"; [] where it names none (the value is every size's)."""
    stop = flat.rfind(". ", 0, start)
    sentence_start = stop + 2 if stop >= 0 else 0
    clause = flat.rfind("; ", sentence_start, start)  # "…; for “11B” we use dff = 65,536": the clause's own sizes
    # (the subject of the value's own clause: "…, while the 33B and 65B models use 1.5e-4")
    contrast = [c.end() for c in _CONTRAST.finditer(flat, sentence_start, end + 20) if c.end() <= start]  # (its
    # look-ahead may reach the value's digits)
    m = _PART_FOR_SIZE.search(flat, max(sentence_start, start - 80), start) or \
        (_CLAUSE_OPENING.match(flat, clause + 2, start) if clause >= 0 else None) or \
        _SIZE_OPENING.match(flat[sentence_start: start]) or _SIZE_AFTER.match(flat[end: end + 80]) or \
        _SIZE_BEFORE.search(flat, contrast[-1] if contrast else sentence_start, end)  # (the value's own clause's:
    # "The learning rate for base and small model is 5e-4, while the learning rate for large model is 3e-4")
    cut = max(flat.rfind(", ", sentence_start, start), flat.rfind("; ", sentence_start, start))
    if m is None and (opened := _CLAUSE_SIZE.match(flat, cut + 2 if cut >= 0 else sentence_start)) and \
            opened.end() <= start:
        return _split_sizes(opened.group(1))  # "BASE trains for 400k updates, LARGE for 250k updates": a clause
        # the size opens is that size's
    subject = m is None
    m = m or _SIZE_SUBJECT.search(flat, contrast[-1] if contrast else sentence_start, start)
    if m is None:
        return []
    sizes = _split_sizes(m.group(1))
    if subject and not contrast and len(sizes) == 1:  # "the large model" in prose is as often a description: a
        # size named as a name ("the Large model", "the 175B model") or the words papers name their models by ("the
        # base model", "the big models"); the subject a contrast names is a size ("…, while the large model uses
        # 0.3"), and so is each of a list ("the base and large models use … respectively")
        sizes = [s for s in sizes if re.search(r"[A-Z0-9]", s) or s.lower() in ("base", "big")]
    return sizes


# a sentence that reports a search or an experiment over values, not the value chosen: "we experimented with batch
# sizes of 64, 128 and 256", "we did similar experiments with two learning rates", "try initial learning rates of 4e-6
# and 6e-6", "we select the learning rate among {…}", "a grid search over", "in one experiment, we used …"
SEARCHED = re.compile(
    r"\b(?:(?P<one>(?:in|for)\s+(?:one|another|a\s+(?:separate|second|third|further|different))\s+(?:experiment|run|"
    r"ablation)s?(?=\s*,))|experiment(?:ed|s)?\s+with|tr(?:y|ied|ying)\s+(?!to\b)(?:[\w-]+\s+){0,3}?(?:values?|rates?|sizes?|of|with|"
    r"learning|batch|dropout|weight)|search(?:ed|es|ing)?\s+(?:the\s+(?:[\w-]+\s+){0,3}?)?(?:over|among|for|in|across)|"
    r"(?:grid|hyper-?parameter|random)[\s-]+search|(?:sweep(?:s|ed|ing)?|swept)\s+(?:the\s+(?:[\w-]+\s+){0,3}?)?(?:over|across|of|"
    r"in)|(?:select|chose|choose|pick)\w*\s+(?:the\s+)?"
    r"(?:best\s+)?(?:[\w-]+\s+){0,3}?(?:from|among|out of)|var(?:y|ied|ying)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?"
    r"(?:from|between|over|among|across)|(?:tuned|searched|swept|varied)\s+(?:between|from|over|in|within)"
    # what a figure plots for several values: "we plot the loss for learning rates 1e-3 and 1e-4"
    r"|plot(?:s|ted|ting)?\s+(?:the\s+)?(?:[\w-]+\s+){0,4}?(?:for|against|over|across|with))\b", _I)
_DENIED = re.compile(r"\b(?:not|never|n['’]t|without)\s+$", re.I)


def reports_search(quote: str) -> bool:
    """Whether a quote reports a search (``SEARCHED``) that it does not deny: "We did not sweep over these values" and
    "without sweeping" report none."""
    return any(not _DENIED.search(quote, max(0, m.start() - 12), m.start()) for m in SEARCHED.finditer(quote))


# the search and the value in different clauses: "after a grid search, we use …", "after fixing the batch size at
# 512, we further experimented with …" (the value fixed before the search)
_OTHER_CLAUSE = re.compile(r";|,\s+(?:and\s+|then\s+|so\s+)?(?:we|our|it|they|this|which)\b"
                           # a verb of its own after a list of searches: "we search the learning rate in {…} and
                           # the batch size in {16, 32}, train for 10 epochs, and select …" (the epochs are fixed)
                           r"|[})\]],\s+(?:and\s+)?(?:train|fine-?tun|run|use|using|appl|set)\w*\b"
                           # the value the search ended on: "… and found 3e-4 to work best"
                           r"|(?:,|\band\b)\s+(?:we\s+)?(?:found|find|chose|selected|picked|settled\s+on)\b", _I)


def searched_at(flat: str, span: tuple[int, int], start: int, end: int) -> bool:
    """Whether the value at ``start:end`` is one of a search's or an experiment's: its quote (``span``) names a search
    in the value's own clause ("we experimented with batch sizes of 64, 128 and 256"; not "after fixing the batch
    size at 512, we further experimented with …", nor "after a grid search, we use …")."""
    if re.search(r"∈\s*[{(\[]", flat[max(0, start - 6): end]) or \
            re.search(r"\b(?:of|in|from)\s*[{\[]\s*\d[^{}\[\]]*[,;][^{}\[\]]*[}\]]\s*$", flat[start:end]):
        return True  # "the batch size ∈ {32, 128}", "the batch size of [128, 256, 512]": a set's value is a search's
    for m in SEARCHED.finditer(flat, *span):
        if _DENIED.search(flat, max(0, m.start() - 12), m.start()):
            continue  # "We did not sweep over these values", "without sweeping": no search
        between = (m.end(), start) if m.end() <= start else (end, m.start())
        if m.group("one"):  # ("In one experiment, we used …": the whole sentence)
            return True
        if m.start() >= end and _ANY_NAME.search(flat, *between):
            continue  # the search of a name after the value: "for 10 epochs with a batch size of 32 and a learning
            # rate selected from {…}" searches the rate, not the epochs or the batch
        if not _OTHER_CLAUSE.search(flat, *between):
            return True
    return False


_ANY_NAME = re.compile("|".join(rf"\b(?:{pattern})\b" for pattern in NAMES.values()), _I)


_ADAM = {"adam", "adamw", "lamb", "radam", "nadam"}
_DECODING = {"num_beams"}  # how a model's outputs are generated at evaluation, not how it is trained
_ARCHITECTURE = ("num_layers", "hidden_size", "num_heads", "seq_len", "intermediate_size", "patch_size", "embedding_dim",
                 "lora_rank", "lora_alpha")


def _extract_rules(paper: Paper) -> PaperSpec:
    spec = PaperSpec(title=paper.title, extractor="rules")
    pages = list(_pages(paper))
    lora = any(re.search(r"\b(?:Q?LoRA|low-rank adapt)", text.text, _I) for _, text in pages)
    lost_powers = any(loses_superscripts(text.text) for _, text in pages)
    p_keeps = any(p_keeps_units(text.text) for _, text in pages)
    symbols = defined_symbols("\n".join(text.text for _, text in pages))

    fine_tunes = any(m.setting == "finetuning" for _, text in pages for m in _markers(text))
    below = captions_below(pages)
    # "no warm-up": said for the setting its sentence or heading names, as a value would be
    negated: dict[tuple[str, str], SourceRef] = {}
    scope: Scope = (None, None)
    for page, text in pages:
        markers = _markers(text, fine_tunes, below)
        for name, pattern in NEGATION_RULES:
            for m in pattern.finditer(text.text):
                ref = _ref(page, text, m)
                negated.setdefault((name, _setting(ref.quote, _context(markers, m.start(), scope))), ref)
        if markers:
            scope = _scope(markers, len(text.text), scope)
    spec.negations = [Negation(name=n, setting=s, source=ref) for (n, s), ref in negated.items()]

    refined: dict[str, str] = {}  # a setting of one model size or table row -> the setting it refines

    def refine(base: str, label: str, ref: SourceRef) -> str:
        """The setting of one model size or one table row within ``base`` (a stage, a data set, or paper-wide): it
        takes ``base``'s values where it states none."""
        name = label if base == "default" or base == label else base if base.endswith(f" {label}") else f"{base} {label}"
        if name != base:  # (a setting that already names the size is that size's: no "ConvNeXt-T ConvNeXt-T")
            refined.setdefault(name, base)
            if base != "default":
                spec.reuses.setdefault(name, Quoted(value=base, source=ref))
        return name

    unregistered: list[str] = []  # the names of the data sets the page (or one before) uses that the registry lacks
    openers: set[str] = set()  # the models that open a sentence whose values are theirs ("With ResNeXt, …")
    excepted: dict[str, set[str]] = {}  # model sizes given a value in a bracket after the paper-wide one (an
    # exception, not the main model's): the quotes that give them

    def unregistered_column(word: str) -> str | None:
        """A table column named by one of ``unregistered`` ("Flowers-102"; "Pets" of "Oxford-IIIT Pets"): the name."""
        return word if any(word == name or name.split()[-1] == word for name in unregistered) else None

    def add(name: str, value: object, ref: SourceRef, context: str | None = None, sizes: list[str] | None = None,
            label: str | None = None, near: str | None = None, searched: bool | None = None,
            unit: str | None = None, bracket: tuple[str, str | None] | None = None) -> None:
        if isinstance(value, list) and (re.search(r"\brespectively\b", ref.quote)
                                        or bool(sizes) and slashed(value, ref.quote)
                                        # ("ratios of 0.2 and 0.3 are used for SwinV2-B and SwinV2-L": in order, as
                                        # if "respectively" were said; not a search's values)
                                        or bool(sizes) and len(sizes) == len(value) > 1
                                        and not reports_search(ref.quote)):
            # "On CIFAR and SVHN we train for 300 and 40 epochs, respectively": one value per data set named
            named = [info.key for info, m in find_datasets(ref.quote) if _is_dataset_mention(ref.quote, m)]
            if len(named) == len(value):
                for key, one in zip(named, value):
                    _add(name, one, ref, key, searched)
                return
            stages = list(dict.fromkeys(stage for _, stage in sorted(_stage_mentions(ref.quote))))
            if len(stages) == len(value) and re.search(r"\brespectively\b", ref.quote):
                for stage, one in zip(stages, value):  # "pre-trained and fine-tuned for 2^19 and 2^18 steps
                    _add(name, one, ref, stage, searched)  # respectively": one value a stage
                return
            if sizes and len(sizes) == len(value):  # "for the 1.3B, 6B and 175B models are 5e-6, 1e-5 and 2e-6"
                for size, one in zip(sizes, value):
                    _add(name, one, ref, refine(_setting(ref.quote, context), size, ref), searched)
                return
        setting = _setting(ref.quote, context)
        together = [setting]
        if near and ((setting in STAGES) == (near in STAGES) or setting == "default"):
            # (or a stage where the quote, cut short of a long sentence, names none: "We pre-train … for 1 epoch …,
            # and fine-tune on … for 3 epochs, with a learning rate of 2e-5")
            setting = near  # a sentence naming two data sets or both stages: the one nearest the value (and the data
            together = [near] if near in STAGES else _coordinated(ref.quote, near)  # sets named with it)
        elif not near and not label and setting not in STAGES and setting != "default":
            together = _coordinated(ref.quote, setting)  # "On CIFAR-10 and CIFAR-100, …": each data set's value
        if bracket and bracket[0] == "own" and bracket[1]:  # "… of 64 (128 for SVHN)": the bracket's value is its
            setting, together = bracket[1], [bracket[1]]  # data set's alone
        elif bracket and bracket[0] == "apart" and bracket[1] in together:  # and the value before it is not its
            together = [key for key in together if key != bracket[1]] or ["default"]
            setting = together[0]
        if label and len(label.split()) == 1 and (stage := _training_stage(label)) is not None:
            setting, label = stage, None  # a table's column named by a stage ("Pre-training", "SFT"): that stage's
        column = (_column_data_set(label) or unregistered_column(label)) if label else None
        if column and setting in STAGES and column != setting and \
                any(h.setting == column and h.source.page != ref.page for h in spec.hyperparameters):
            # a data set the paper trains on in another stage too (ConvNeXt's ImageNet-1K, trained from scratch, as a
            # column of its fine-tuning table): the stage's own setting for it, never the data set's main one
            setting, label = refine(setting, column, ref), None
        elif column:  # a table's column named by a data set ("Hparam RACE SQuAD MNLI"): that data set's value, which
            # takes the stage the table is under where it states none
            if setting in STAGES and column != setting:
                spec.reuses.setdefault(column, Quoted(value=setting, source=ref))
            setting, label = column, None
        if label:  # a table row's own setting: its name, less the data set that already names the setting
            rest = label
            for _, m in find_datasets(label):
                rest = rest.replace(m.group(0), " ")
            rest = " ".join(rest.split())
            if rest and re.search(r"[A-Za-z]", rest):
                setting = refine(setting, rest, ref)
        for one in ([setting] if setting != together[0] else together):
            for size in sizes or [None]:
                _add(name, value, ref, refine(one, size, ref) if size else one, searched, unit)
                if size and bracket and bracket[0] == "own":  # ("1e-4 (5e-5 for the large model)": an exception)
                    excepted.setdefault(refine(one, size, ref), set()).add(ref.quote)

    def _add(name: str, value: object, ref: SourceRef, setting: str, searched: bool | None = None,
             unit: str | None = None) -> None:
        if value is None:  # a zero that says there is none ("Gradient clipping 0.0"), for this setting
            if not any(n.name == name and n.setting == setting for n in spec.negations):
                spec.negations.append(Negation(name=name, setting=setting, source=ref))
            return
        if (said := spec.said_none(name, setting)) is not None:
            spec.warnings.append(f"{name}: the paper says there is none (page {said.source.page}) but also "
                                 f"gives {value!r} (page {ref.page}); kept none")
            return
        searched = reports_search(ref.quote) if searched is None else searched
        searched = searched and not isinstance(value, (str, bool)) and (name not in _SCHEDULE_SHAPE or (
            name == "lr_decay_factor" and isinstance(value, list)))  # (a choice named, "Adagrad", or the schedule's
        # shape is no grid's: "… with Adagrad; its step sizes were chosen from {0.01, 0.1}", "The learning rate is
        # chosen from [1e-4, 6e-4] and annealed by a factor of 1.2 each epoch"; factors are: "the decay rate is
        # chosen from {0.4, 0.8, 0.9, 0.95}")
        same = [h for h in spec.hyperparameters if h.name == name]
        if any(h.value == value and h.setting == setting and h.searched == searched for h in same):
            return
        for h in same:
            if h.setting == setting and not (h.searched or searched):
                spec.warnings.append(f"{name}: the paper also gives {value!r} (page {ref.page}: \"{ref.quote}\"); "
                                     f"the first value, {h.value!r} from page {h.source.page}, is the one used")
                break
        spec.hyperparameters.append(Hyperparameter(name=name, value=value, setting=setting, source=ref,
                                                   searched=searched, unit=unit))

    # "CIFAR-10 (C10)": the paper's own short name for a registry data set, which it then uses ("results on C10")
    abbreviations = {m.group(1) for _, text in pages for m in re.finditer(r"\s*\(([A-Z][\w-]{0,11})\)", text.text)
                     if any(found.end() == len(before) for before in [text.text[max(0, m.start() - 40): m.start()]]
                            for _, found in find_datasets(before))}
    optimizers: dict[str, list] = {}  # optimizer -> [weight of its mentions, preference, first quote]
    votes: dict[str, list] = {}  # task -> [weight, first quote]
    scope = (None, None)  # the setting of the last heading and run-in heading, carried over page breaks
    # the kind of the section the text is in, carried over page breaks, and the page its heading is on: an introduction
    # or related work is carried to the next page only (a heading the text lost must not make a paper's every later
    # value the background's)
    section, section_page = None, 0
    pair_mentions: list[tuple[int, PageText, re.Match[str]]] = []  # language pairs named, for translation data
    for page, text in pages:
        flat = text.text
        markers = _markers(text, fine_tunes, below)
        kinds = [(offset, kind) for offset, line in text.lines if (kind := heading_kind(line)) is not None]

        carried = section if page - section_page <= 1 else None

        def background(at: int, end: int, carried: str | None = carried, kinds=kinds, flat=flat) -> bool:
            """A value in the introduction or the related work, in a sentence that is not about ours ("Large models
            such as ViT-L (Dosovitskiy et al., 2021) are trained for 300 epochs"): the background's, not this
            paper's."""
            kind = next((k for offset, k in reversed(kinds) if offset <= at), carried)
            left = max(flat.rfind(". ", 0, at) + 2, 0)
            return kind in ("introduction", "related") and not _OURS.search(flat, left, max(end, at))

        for name, pattern, convert in HYPERPARAMETER_RULES:
            for m in pattern.finditer(flat):
                if background(m.start(), m.end()) or (name == "lr_schedule" and _not_the_schedule(flat, m)):
                    continue
                try:
                    add(name, convert(m), _ref(page, text, m), _context(markers, m.start(), scope),
                        sizes_named(flat, m.start(), m.end()), near=_sentence_data_set(text, m.start(), m.end()))
                except ValueError:
                    continue
        for setting, base, m in _reuses(flat, markers, scope):
            spec.reuses.setdefault(setting, Quoted(value=base, source=_ref(page, text, m)))
        items = _size_items(text.lines, len(flat))
        described = sorted(named_datasets(flat), key=lambda n: n[1])  # data sets outside the registry this page uses
        unregistered[:] = [name for name, *_ in described] + [d.name for d in spec.datasets if d.resolved is None]

        def column_kind(word: str) -> str | None:
            """A table column's kind (``_column_kind``), or a data set the paper uses that the registry lacks."""
            return _column_kind(word) or ("data" if unregistered_column(word) else None)

        for found in sorted(find_values(flat, text.lines, lora, lost_powers, column_kind, p_keeps, symbols), key=lambda f: f.start):
            row = found.row  # (a table's cell: its row's or column's name is its setting, not the prose around it)
            value, unit = found.value, None
            if background(found.start, found.end):
                continue
            if not row and (rest := BEFORE_OTHERS.match(flat, found.end)) and column_kind(rest.group(1)) != "data":
                continue  # "0.01 for Foo, and 0.005 for all other datasets": a name the paper uses as no data set
                # ("Pubmed", where the paper names it as one of its data sets, is one) has no setting to hold its
                # value, which is not the paper-wide one
            devices = accumulated = None
            if found.name == "batch_size" and not row and isinstance(value, int):
                devices = devices_of(flat, found.start, found.end)
                accumulated = accumulation_of(flat, found.start, found.end)
            if found.name == "batch_size" and not row and not devices \
                    and said_per_device(flat, found.start, found.end) and effective_beside(flat, found.start, found.end):
                continue  # "2 images per GPU", then "(so effective minibatch size is 16)": a device's share
            if devices or accumulated:
                # "a batch size of 32 per GPU on 8 GPUs": the batch trained on is 256, both numbers in the quote; "with
                # 4 gradient accumulation steps": each optimizer step sums 4 such batches
                value = value * (devices or 1) * (accumulated or 1)
                per = "device" if devices or said_per_device(flat, found.start, found.end) else "batch"
                unit = "(" + " × ".join([f"{found.value} per {per}"]
                                        + ([f"{devices} devices"] if devices else [])
                                        + ([f"{accumulated} accumulation steps"] if accumulated else [])) + ")"
            elif found.name == "batch_size" and not row and TOKENS_AFTER.match(flat, found.end):
                unit = TOKENS_UNIT  # "a batch size of 8,192 tokens": a batch counted in tokens (the plan divides it
                # by the sequence length)
            elif found.name == "learning_rate" and not row and (batch := per_batch(flat, found.end, found.start)):
                unit = PER_BATCH_UNIT.format(batch)  # "0.1 × batch size / 256": the rate for a batch of 256
            elif not row and (staged := stages(flat, found.start, found.end, found.name)):
                # "10−2 for 75 epochs, then 10−3 for 30 epochs, and finally 10−4 for 30 epochs": training lasts 135
                counts, first, last = staged
                total = sum(counts)
                value = int(total) if float(total).is_integer() else total
                word = "epochs" if found.name == "epochs" else "steps"
                unit = f"({' + '.join(f'{c:g}' for c in counts)} {word}, the schedule's stages)"
                found = Found(found.name, value, min(first, found.start), max(last, found.end))
            sizes = None if row else (sizes_named(flat, found.start, found.end) or
                                      next((listed for a, b, listed in items if a <= found.start < b), []))
            near = None if row else "default" if FOR_OTHERS.match(flat, found.end) else (
                _near_setting(flat, found.start, found.end, not isinstance(value, list), unregistered) or
                _opened_by_unknown(flat, found.start, unregistered) or _opened_by_model(flat, found.start, openers) or
                _sentence_data_set(text, found.start, found.end) or _opening_stage(flat, found.start))
            bracket = None if row else _bracket_data(flat, found.start, found.end)
            if bracket == ("own", None) and not sizes and not near:
                continue  # "dropout 0.3 (0.1 for the decoder)": a part's value, or a setting the paper does not name
            add(found.name, value, SourceRef(page=page, quote=text.quote(found.start, found.end)),
                _context(markers, found.start, scope), sizes, found.label, near,
                True if found.grid else None if row else searched_at(flat, text.bounds(found.start, found.end),
                                                                     found.start, found.end), unit,
                bracket)
        for found in find_procedure(flat):
            if found.name == "nesterov" and any(n.name == "momentum" for n in spec.negations) or \
                    background(found.start, found.end) or others_did(flat, found.start, found.end):
                continue  # (nor another work's schedule: "EfficientNet [29] … decayed by 0.97 every 2.4 epochs")
            ref = SourceRef(page=page, quote=text.quote(found.start, found.end))
            if found.name == "nesterov" and len(_data_sets_in(ref.quote)) > 1:
                _add(found.name, found.value, ref, "default")  # (the optimizer's, as the optimizer is: every data
                continue  # set's the sentence names)
            setting = _setting(ref.quote)
            if setting == "default":  # "On ImageNet, we train for 90 epochs. The rate is divided by 10 at epoch 30":
                # a schedule's sentence belongs to the one data set the sentence before it opens with; "For IG-1B, we
                # use … a learning rate of 0.12 which is decayed by 0.9× every 62.5k iterations": to the data set
                # outside the registry its own sentence opens with, as the rate's value does
                setting = _opening_dataset(flat, found.start) or _opened_by_unknown(flat, found.start, unregistered) \
                    or _opened_by_model(flat, found.start, openers) or "default"
            if setting == "default":  # (with the model sizes its sentence names: "For the 7B model, the rate is
                # divided by 10 at 100k steps")
                add(found.name, found.value, ref, _context(markers, found.start, scope),
                    sizes_named(flat, found.start, found.end))
            else:
                _add(found.name, found.value, ref, setting)
        if markers:
            scope = _scope(markers, len(flat), scope)
        if kinds:
            section, section_page = kinds[-1][1], page
        for rank, (name, pattern) in enumerate(OPTIMIZERS):
            for m in re.finditer(_optimizer_named(pattern), flat):
                # a mention in a sentence about training this model counts more than a mention of other work
                if _a_persons_name(flat, m):
                    continue
                if others_did(flat, m.start(), m.end()):
                    continue  # another work's: "EfficientNet [29] was trained for 350 epochs with RMSProp"
                # a parameter's name ("Adam β1 0.9", "Adam beta2 of 0.999"): the Adam family's, counted for AdamW
                # where the paper names it (below)
                param = name == "adam" and re.match(r"(?:['’]s)?\s*(?:β|beta|ϵ|ε|epsilon|eps)",
                                                    flat[m.end(): m.end() + 12], _I)
                whole_at = max(flat.rfind(". ", 0, m.start()), 0)  # (the sentence around the mention)
                whole = flat[whole_at: (flat.find(". ", m.end()) + 1) or len(flat)]
                if _VARIANT_OF.search(flat, max(0, m.start() - 40), m.start()) or \
                        _ALTERNATIVE_BEFORE.search(flat, max(0, m.start() - 40), m.start()) or \
                        _ALTERNATIVE_AFTER.match(flat, m.end()) or \
                        _POSSIBLE_USE.search(flat, max(0, m.start() - 100), m.start()) or \
                        _WORSE_AFTER.match(flat, m.end()):
                    continue  # one of a search's choices ("optimizer: SGD, Adam"), or a use only said possible ("a
                    # mini-batch setting can be readily employed using stochastic gradient descent")
                if name == "sgd" and any(not _WORSE_AFTER.match(flat, o.end()) and not _a_persons_name(flat, o)
                                         for other, p in OPTIMIZERS if other != "sgd"
                                         for o in re.compile(_optimizer_named(p)).finditer(flat, whole_at,
                                                                                           whole_at + len(whole))):
                    continue  # "SGD together with Adadelta": the other one says how SGD steps (not one said worse)
                weight = 3 if re.search(r"\b(?:we|our)\b[^.]{0,80}\b(?:trained|train|use|used|using|optimi[sz]e[ds]?|"
                                        r"(?:switched|changed|moved|turned)\s+to)\b|"
                                        r"\b(?:trained|optimi[sz]ed) (?:with|using|by)\b|\b(?:was|were|is|are) used to\b",
                                        whole, _I) and name != "sgd" else 1  # "each SGD update": a generic term
                entry = optimizers.setdefault("adam-parameter" if param else name, [0, rank, _ref(page, text, m)])
                entry[0] += weight
        for task, pattern in TASK_RULES:
            for m in pattern.finditer(flat):
                votes.setdefault(task, [0, _ref(page, text, m)])[0] += 3 if page == pages[0][0] else 1
        for m in _FINE_TUNE_MODEL.finditer(flat):  # "we fine-tune GPT-2 medium on …": a pretrained causal LM
            named = find_models(flat[m.end(): m.end() + 60])
            if named and named[0][1].start() == 0 and "causal-lm" in named[0][0].task_types:
                # (what is trained, said outright: twice a phrase's weight, over a metric both share, perplexity)
                votes.setdefault("causal-lm-finetuning", [0, _ref(page, text, m)])[0] += 6 if page == pages[0][0] else 2
        if spec.loss is None:
            hits = [(m.start(), loss, m) for loss, p in LOSS_RULES if (m := p.search(flat))]
            if hits:
                _, loss, m = min(hits, key=lambda h: h[0])
                spec.loss = Quoted(value=loss, source=_ref(page, text, m))
        if spec.architecture.family is None:
            # the first named on the page, before one named only as what is compared with ("We compare against
            # ResNets, but our model is a ViT")
            hits = [(_compared(flat, m.start()), m.start(), fam, m) for fam, p in FAMILY_RULES for m in p.finditer(flat)]
            # (a convolutional network named in general words yields to the one the page names: "Bag of Tricks for
            # Image Classification with Convolutional Neural Networks" trains a ResNet; not to another work's, "a model
            # called ConvNeXt [12]")
            named_cnn = [h for h in hits if not h[0] and h[2] in _CNN_FAMILIES
                         and not _OTHERS_WORK.search(flat[slice(*_sentence_span(flat, h[3].start(), h[3].end()))])]
            if hits:
                *_, fam, m = min(hits, key=lambda h: h[:2])
                if fam == "cnn" and named_cnn:
                    *_, fam, m = min(named_cnn, key=lambda h: h[:2])
                spec.architecture.family = Quoted(value=fam, source=_ref(page, text, m))
        if spec.architecture.named is None:  # "we finetune LLaMA 7B through 65B": a model no registry entry is
            for m in _WE_FINE_TUNE.finditer(flat):
                name = m.group(1)
                if not find_models(name) and get_dataset(name.lower()) is None and not _NOT_A_MODEL.match(name):
                    spec.architecture.named = Quoted(value=name, source=_ref(page, text, m))
                    break
        if spec.architecture.model is None and (models := find_models(flat)):
            info, m = models[0]
            spec.architecture.model = Quoted(value=info.hub_id, source=_ref(page, text, m))
            if spec.architecture.family is None:
                spec.architecture.family = Quoted(value=info.family, source=_ref(page, text, m))
        for name, pattern, convert in SIZE_RULES:
            if name not in spec.architecture.sizes and (m := pattern.search(flat)):
                spec.architecture.sizes[name] = Quoted(value=convert(m), source=_ref(page, text, m))
        for info, m in find_datasets(flat):
            if all(d.resolved != info.key for d in spec.datasets) and (m := _first_use(flat, info.key, m)):
                spec.datasets.append(DatasetRef(name=m.group(0), resolved=info.key, license=info.license,
                                                source=_ref(page, text, m)))
        pair_mentions += [(page, text, m) for m in _PAIR.finditer(flat)]
        named = described + \
            list(header_datasets(text.lines, lambda t: bool(find_datasets(t)))) + list(table_datasets(text.lines))
        for name, start, end in named:  # data sets outside the registry, by how use is stated
            if find_datasets(name) or name in abbreviations or any(_same_data_set(name, d.name) for d in spec.datasets):
                continue  # the registry's (found above where the text uses it as a name), or already listed
            if any(start < b < end for b in text.breaks):
                continue  # a heading or running header run into the prose ("… Limits of Transfer Learning" over
                # "enough data set that …"): no name
            spec.datasets.append(DatasetRef(name=name, source=SourceRef(page=page, quote=text.quote(start, end))))
        for pattern, convert in METRIC_RULES:
            for m in pattern.finditer(flat):
                name, split, value = convert(m)
                if not any(x.name == name and x.split == split and x.value == value for x in spec.metrics):
                    spec.metrics.append(MetricRef(name=name, value=value, split=split, source=_ref(page, text, m)))
        for name, pattern in METRIC_NAMES:
            if any(x.name == name for x in spec.metrics):
                continue
            if m := next((m for m in re.finditer(pattern, flat, _I) if not _in_a_name(flat, m)), None):
                spec.metrics.append(MetricRef(name=name, source=_ref(page, text, m)))
    if (params := optimizers.pop("adam-parameter", None)) is not None:  # "Optimizer AdamW" over rows "Adam β1 0.9",
        # "Adam β2 0.999": AdamW's parameters; "We also use Adam beta2 of 0.999" alone: Adam's
        family = "adamw" if "adamw" in optimizers else "adam"
        optimizers.setdefault(family, [0, params[1], params[2]])[0] += params[0]
    if optimizers:  # the one the paper says it trains with most; "SGD together with Adadelta" is Adadelta
        name, (_, _, ref) = max(optimizers.items(), key=lambda o: (o[1][0], -o[1][1]))
        if (owner := _opened_by_unknown(ref.quote, len(ref.quote))) is not None:
            _add("optimizer", name, ref, owner)  # ("The MLP baseline … is trained with Adam": the baseline's)
        elif len(_data_sets_in(ref.quote)) > 1:
            _add("optimizer", name, ref, "default")  # ("SGD with a weight decay of 0.0005 for CIFAR-10 and 0.001 for
            # CIFAR-100": every data set's)
        else:
            add("optimizer", name, ref)
    optimizer = next((h.value for h in spec.hyperparameters if h.name == "optimizer"), None)
    if optimizer not in _ADAM:  # Adam's betas and epsilon exist only where Adam trains ("ϵ = 10−6" of Adadelta); where
        # no optimizer is named, betas still say Adam ("We set β2 = 0.98"), a bare ε does not ("ε-greedy")
        kept = ("adam_beta1", "adam_beta2") if optimizer is None else ()
        spec.hyperparameters = [h for h in spec.hyperparameters if not h.name.startswith("adam_") or h.name in kept]
    else:  # Adam has no momentum of its own: one said where no optimizer that has one is named is another thing's ("The
        # momentum coefficient m is 0.99 and is increased to 1", a momentum encoder's), except Adam's own where its
        # sentence names Adam ("adam optimizer with initial learning rate 0.001, momentum 0.9"): its β1
        spec.hyperparameters = _momentum_under_adam(spec.hyperparameters)
    _architecture_sizes(spec)
    _translation_pairs(spec, pair_mentions)
    if "lora" in votes:
        lora_votes = votes.pop("lora")
        model = spec.architecture.model
        info = next((m for m in MODELS if model is not None and m.hub_id == model.value), None)
        if info is None or "causal-lm" in info.task_types:  # (a LoRA paper naming no registry model: an LLM's)
            entry = votes.setdefault("causal-lm-finetuning", [0, lora_votes[1]])
            entry[0] += lora_votes[0]
    if votes:
        task, (weight, ref) = max(votes.items(), key=lambda v: v[1][0])
        trained = [(w, t, r) for t, (w, r) in votes.items() if t not in NO_RECIPE_TASKS]
        if task in NO_RECIPE_TASKS and trained and 3 * max(trained)[0] >= weight:
            # a task no recipe trains, named among a paper's applications ("… including object detection"), does not
            # outvote the task its main experiment trains unless it is said three times as often
            _, task, ref = max(trained, key=lambda v: v[0])
        spec.task_type = Quoted(value=task, source=ref)
    if (introduced := _introduced_family(pages)) is not None:
        spec.architecture.family = introduced
    _rows_take_their_size(spec, refined)
    paper_wide = {h.name for h in spec.hyperparameters if h.setting == "default"}
    spec.hyperparameters = [h if h.setting not in openers or h.name in paper_wide else h.model_copy(
        update={"setting": "default"}) for h in spec.hyperparameters]  # ("For ResNet-152, we use a batch size of 128"
    # where no other batch is given: the paper's own model's; "With ResNeXt, … a learning rate of 0.01" beside the
    # paper-wide 0.02: that model's)
    settings = [h.setting for h in spec.hyperparameters] + list(spec.architecture.per_setting)
    spec.settings = list(dict.fromkeys(["default", *settings]))
    # the setting to reproduce by default, the main result's: the first data set the paper names that has values
    # of its own (of those, the first whose task is the paper's: XLNet's MNLI column, not its SQuAD one, for a paper
    # about classification); else fine-tuning, where a pre-trained model is fine-tuned for the task the paper reports
    task = spec.task_type.value if spec.task_type else None
    trained = {h.setting for h in spec.hyperparameters if h.name not in _DECODING} | set(spec.architecture.per_setting)
    with_values = [d.resolved for d in spec.datasets if d.resolved in trained]  # (a data set whose only value is
    # how its outputs are decoded, "a beam width of 4" on WMT, is no main result's)
    spec.default_setting = next((k for k in with_values if (info := get_dataset(k)) and info.task_type == task),
                                with_values[0] if with_values else None) or \
        ("finetuning" if "finetuning" in spec.settings and task != "causal-lm" else "default")
    for setting in reversed(spec.lineage(spec.default_setting)):  # its sizes ("Max sequence length 512 512 128" in
        spec.architecture.sizes.update({name: q for name, q in spec.architecture.per_setting.get(setting, {}).items()
                                        if not isinstance(q.value, list)})  # its column) are the model's
    # a translation paper's main data set translates one pair: that pair's own values (a setting where the paper
    # states values for it alone) are the main setting's, taking the rest from the setting chosen above
    ref = next((d for d in spec.datasets if d.pair is not None and d.resolved in spec.lineage(spec.default_setting)),
               next((d for d in spec.datasets if d.pair is not None), None))
    if ref is not None and ref.pair is not None and (pair := str(ref.pair.value)) in spec.settings \
            and pair != spec.default_setting:
        spec.reuses.setdefault(pair, Quoted(value=spec.default_setting, source=ref.pair.source))
        spec.default_setting = pair
    # where that setting has one per model size (table rows "7B …", "65B …"; "For 175B, we use …"), the largest
    # model's: the one a paper's main result reports
    main = spec.default_setting

    whole = " ".join(text.text for _, text in pages)

    def ours(label: str) -> tuple[int, int]:
        """How the paper speaks of a model: as the object of its own training ("we train DeiT-B"), and how often.
        Of two models of one size (a table's "ViT-B DeiT-B" columns), the paper's own is the one it trains."""
        name = re.escape(next((t for t in label.split(" ") if size_rank(t) is not None), label))
        return (len(re.findall(r"\b(?:we|our)\s+(?:\w+\s+){0,2}?(?:train|pre-?train|fine-?tun|use|evaluat)\w*\s+(?:a\s+|an\s+|"
                               r"the\s+|our\s+)?" + name + r"(?![\w-])", whole, _I)),
                len(re.findall(r"(?<![\w-])" + name + r"(?![\w-])", whole)))

    def sized(base: str) -> list[tuple[float, tuple[int, int], int, str]]:
        rows_of = {spec.reused(name) for name in refined}  # a size whose table rows take its values: a row is run
        return [(rank, ours(name), -k, name) for k, (name, of) in enumerate(refined.items()) if of == base
                and name in spec.settings and name not in rows_of and not (name in excepted and all(
                    h.source.quote in excepted[name] for h in spec.hyperparameters if h.setting == name)
                    and name not in spec.architecture.per_setting)
                and not re.match(r"[a-z]+\s", name if base == "default" else name[len(base) + 1:])  # (a variant
                # qualified, "isotropic ConvNeXt-L", is an ablation's model, not the main result's)
                and (rank := size_rank(name if base == "default" else name[len(base) + 1:])) is not None]

    candidates = sized(main) or (sized("default") if main != "default" else [])
    named = [str(q.value) for q in (spec.architecture.named, spec.architecture.model) if q is not None]
    own = {size_rank(t) for text in named for t in re.split(r"[\s_/-]+", text)
           if size_rank(t) is not None and (re.search(r"\d", t) or len(t) > 2)}  # ("7B", "base"; not "B" of a name)
    if len(candidates) == 1 and own and size_rank(candidates[0][3].split(" ")[-1]) not in own:
        candidates = []  # the one size with values of its own is not the model the paper names ("We fine-tune
        # Llama-2-7B …; the 13B model uses a learning rate of 1e-4", "We fine-tune BERT-base-cased … 5e-5 (3e-5 for
        # BERT-large)"): the named model's setting stays the main one
    said = [m.group(1) for m in _MAIN_SIZE.finditer(whole)]  # "Our main results use the 13B model"
    if candidates and (own_main := [c for c in candidates if any(c[3].split(" ")[-1] == size for size in said)]):
        candidates = own_main
    if candidates:
        chosen = max(candidates)[3]
        root = spec.lineage(chosen)[-1]  # (a table row "65B All" takes its size's values, "65B", first)
        if refined.get(root, "default") != main and main not in spec.lineage(chosen):
            # a paper-wide table of model sizes, the main setting being a stage or data set: the size takes the main
            # setting's values where it states none
            first = next((h.source for h in spec.hyperparameters if h.setting == root), None) or \
                next(iter(spec.architecture.per_setting.get(root, {}).values())).source
            spec.reuses.setdefault(root, Quoted(value=main, source=first))
        spec.default_setting = chosen
        # its sizes: the paper-wide ones and its own lineage's, never another size's ("big" is not "base"'s width)
        others = [name for name in refined if name not in spec.lineage(chosen)]
        spec.architecture.sizes = {
            name: q for name, q in spec.architecture.sizes.items()
            if not any((p := spec.architecture.per_setting.get(o, {}).get(name)) is not None and p.source == q.source
                       for o in others)}
        for setting in reversed(spec.lineage(chosen)):
            spec.architecture.sizes.update(spec.architecture.per_setting.get(setting, {}))
    return spec


def _column_data_set(label: str) -> str | None:
    """The registry key of a data set a table column's name is, whole ("SQuAD" -> squad), else None."""
    return next((info.key for info, m in find_datasets(label) if m.group(0) == label), None)


def _rows_take_their_size(spec: PaperSpec, refined: dict[str, str]) -> None:
    """A table row named by a model size and more ("65B All": the 65B model trained on all data) takes, where it
    states none, the values the paper states for that size elsewhere ("0.05 for 33B and 65B models")."""
    stated = {h.setting for h in spec.hyperparameters} | set(spec.architecture.per_setting)
    for name, base in refined.items():
        words = (name if base == "default" else name[len(base) + 1:]).split(" ")
        own = words[0] if base == "default" else f"{base} {words[0]}"
        if len(words) > 1 and size_rank(words[0]) is not None and own in stated and name not in spec.reuses and \
                (first := next((h.source for h in spec.hyperparameters if h.setting == name), None)):
            spec.reuses[name] = Quoted(value=own, source=first)


def _same_data_set(a: str, b: str) -> bool:
    """Two names of one data set: the same letters and digits, or the words of one (two or more) all in the other
    ("Microsoft Sentence Completion Challenge" and "Microsoft Research Sentence Completion Challenge")."""
    if re.sub(r"[^a-z0-9]", "", a.lower()) == re.sub(r"[^a-z0-9]", "", b.lower()):
        return True
    words_a, words_b = set(a.lower().split()), set(b.lower().split())
    small, large = sorted((words_a, words_b), key=len)
    return len(small) >= 2 and small <= large


def _architecture_sizes(spec: PaperSpec) -> None:
    """Layers, width, heads, sequence length, LoRA rank and alpha go to the spec's architecture: the default
    setting's (else the first stated) in ``sizes``, every setting's in ``per_setting``."""
    sizes = [h for h in spec.hyperparameters if h.name in _ARCHITECTURE]
    spec.hyperparameters = [h for h in spec.hyperparameters if h.name not in _ARCHITECTURE]
    for h in sizes:
        quoted = Quoted(value=h.value, source=h.source)  # type: ignore[arg-type]
        spec.architecture.per_setting.setdefault(h.setting, {}).setdefault(h.name, quoted)
        if h.name not in spec.architecture.sizes or h.setting == "default":
            if h.setting == "default" or h.name not in spec.architecture.sizes:
                spec.architecture.sizes[h.name] = quoted
    for setting in list(spec.architecture.per_setting):
        per = spec.architecture.per_setting[setting]
        extra = [h for h in sizes if h.setting == setting and per.get(h.name) is not None
                 and (per[h.name].source, per[h.name].value) != (h.source, h.value)]
        for h in extra:  # a second value in one setting (in the same sentence or not): kept as a list, as the
            # paper states several ("the first with 200 hidden units and the second with 100")
            current = per[h.name].value
            values = list(current) if isinstance(current, list) else [current]
            for v in (h.value if isinstance(h.value, list) else [h.value]):
                if v not in values:
                    values.append(v)
            per[h.name] = Quoted(value=values, source=per[h.name].source)  # type: ignore[arg-type]


def _line_quote(text: str, key: str, value: object) -> SourceRef:
    """Quote the task file's own line for ``key`` (page 1 is the whole file)."""
    for line in text.splitlines():
        stripped = line.strip()
        if re.match(rf"{re.escape(key)}\s*:", stripped):
            return SourceRef(page=1, quote=stripped)
    return SourceRef(page=1, quote=f"{key}: {value}")  # rejected by validate_quotes if not in the file


def _extract_task(paper: Paper) -> PaperSpec:
    text = paper.pages[0].text
    task = load_yaml(text, paper.file, "see examples/digits-task.yaml")  # (checked when it was read)
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
    if spec.architecture.named and not ok("model named", spec.architecture.named.source):
        spec.architecture.named = None
    if spec.loss and not ok("loss", spec.loss.source):
        spec.loss = None
    checked: dict[tuple[str, int, str], bool] = {}  # (a size is in ``sizes`` and its setting's: said once)

    def size_ok(name: str, ref: SourceRef) -> bool:
        key = (name, ref.page, ref.quote)
        if key not in checked:
            checked[key] = ok(name, ref)
        return checked[key]

    spec.architecture.sizes = {k: v for k, v in spec.architecture.sizes.items() if size_ok(k, v.source)}
    spec.architecture.per_setting = {s: {k: v for k, v in sizes.items() if size_ok(k, v.source)}
                                     for s, sizes in spec.architecture.per_setting.items()}
    spec.reuses = {k: v for k, v in spec.reuses.items() if ok(f"{k} reusing {v.value}", v.source)}
    return spec
