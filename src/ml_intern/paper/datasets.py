"""Data sets a paper uses that the registry does not know, found from how papers state use: "the X dataset",
"the X corpus/benchmark/challenge", and "we train / evaluate / fine-tune on X, Y and Z" (results on X).

Also the items of a list introduced by what they are ("on three tagging tasks: A, B, and C") or by the use they are
put to ("we include A, B and C for pretraining"), a split named ("the X dev set"), and the rows of a table of data
sets (its header opens with "Dataset"). A data set's source or parts ("newswire from the X corpus", "X contains the
following corpora: …"), "other datasets like X" and what another paper reports are not uses.

A name is a run of capitalised or digit-bearing words ("OASST1", "HH-RLHF", "1B Word Benchmark", "Stanford Dogs");
a single plain word ("Table", "English") is not one unless a data-set noun follows it. Mentions in a sentence about
other work ("et al.", a citation with no "we") are not uses. The registry (``registry.find_datasets``) stays the
source of loaders and licences; these names are recorded, unresolved, so a person sees what the paper used.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from ml_intern.paper.values import NAMES

_TOKEN = r"(?:[A-Z][A-Za-z0-9]*|[a-z]+[A-Z][A-Za-z0-9]*|\d+[A-Za-z][A-Za-z0-9]*)(?:[-+.][A-Za-z0-9]+)*"
_NAME = _TOKEN + r"(?:\s(?:" + _TOKEN + r"|\d{1,4}(?![\d.,]\d)))" + "{0,3}"
_NOUN = r"(?:data\s?sets?|datasets?|corpus|corpora|benchmarks?|challenges?|test\s+sets?)"
# "the X dataset" (X may be any capitalised words), and a name that ends in a data-set noun itself
# (with the task it poses between: "the RACE reading comprehension benchmark", "the MNIST handwritten digit dataset")
# downstream tasks as papers name them (extract.py's section headings use the same names)
TASK_NAMES = (r"(?:textual entailment|natural language inference|question answering|reading comprehension|semantic role "
              r"labell?ing|coreference(?: resolution)?|named entity (?:recognition|extraction)|sentiment (?:analysis|"
              r"classification)|(?:machine )?translation|summari[sz]ation|part[- ]of[- ]speech tagging|chunking|dependency "
              r"parsing|constituency parsing|paraphrase (?:detection|identification)|object detection|(?:semantic |"
              r"instance )?segmentation|language model(?:l?ing)|image classification|speech recognition)")
_TASK_WORDS = (r"((?:" + TASK_NAMES + r"|(?:text |sentence |document )?classification|handwritten digits?|sentiment|"
               r"paraphrase|image|video|text|digit)\s+)?")  # (group 2)
_NOUN_AFTER = re.compile(r"(?:\b(?:[Tt]he|[Aa]|[Oo]ur|on|from|of|and)|,)\s+[“\"‘']?(" + _NAME + r")[”\"’']?\s+" + _TASK_WORDS
                         + _NOUN + r"\b(?!\s+papers?\b)")
# a name in apposition to a data-set noun: "We collect a new dataset, FooBar-1M, of …", "a benchmark, called X, …"
_APPOSITIVE = re.compile(r"\b(?:data\s?set|dataset|corpus|benchmark)\s*,\s+(?:called\s+|named\s+|dubbed\s+)?[“\"]?("
                         + _NAME + r")[”\"]?\s*[,(]")
_OWN_NOUN = re.compile(r"\b(" + _NAME + r"\s(?:Dataset|Corpus|Benchmark|Challenge|Treebank))\b")
# a name with words that say what its data is, before the noun: "the Adult census income dataset", "the California
# housing dataset" (the name with those words; a split's or a kind's word, "the ImageNet training set", is no part)
_DESCRIBED = re.compile(r"\b(?:[Tt]he|[Oo]n|[Ff]rom|[Oo]f)\s+(" + _NAME + r"(?: (?!(?:training|test|testing|validation|dev|"
                        r"development|evaluation|full|entire|original|new|same|public|standard|whole|large|small|"
                        r"benchmark|data|and|or|of|in|on)\b)[a-z]+){1,2}) (?:data ?set|dataset|corpus)\b")
_USE = (r"\b(?:train(?:s|ed|ing)?|fine-?tun(?:e|es|ed|ing)|pre-?train(?:s|ed|ing)?|evaluat(?:e|es|ed|ing|ion)|"
        r"test(?:s|ed|ing)?|experiments?|results?|performance|accuracy|perplexity|scores?|outperform(?:s|ed|ing)?|"
        r"surpass(?:es|ed|ing)?)")
_LIST = _NAME + r"(?:\s*,\s*(?:and\s+|or\s+)?" + _NAME + r"|\s+(?:and|or)\s+" + _NAME + r")*"
_USED_ON = re.compile(_USE + r"\s+(?:[\w-]+\s+){0,6}?on\s+(?:the\s+)?(?:(?:test|dev|development|validation|training)\s+"
                      r"(?:sets?|splits?)\s+of\s+(?:the\s+)?)?(" + _LIST + r")")
_SPLIT = r"(?:test|dev|development|validation|held-out)\s+(?:sets?|splits?)"
# a split of a data set says it is used, with no verb: "the average on the SuperGLUE dev set", "answers on the
# development set of Natural Questions"
_ON_SPLIT = re.compile(r"\bon\s+the\s+(?:(" + _NAME + r")\s+" + _SPLIT + r"\b|" + _SPLIT + r"\s+of\s+(?:the\s+)?(" + _NAME
                       + r"))")
# a list of data sets introduced by a noun that says what they are ("on three tagging tasks: A, B, and C", "on
# several public benchmarks: A, B and C"), or by the use it is put to ("we include A [26], B (extended), and C for
# pretraining", "we use the A and B as part of our pretraining data")
_INTRODUCED = re.compile(r"\b(?:(?:data\s?sets?|datasets|benchmarks?|corpora|tasks)\s*:|(?:data\s?sets|datasets|benchmarks|"
                         r"corpora),?\s+(?:including|namely))\s*([^.:;]{3,300})")  # ("we evaluate on 12 datasets,
# including A, B and C", "we" in the sentence; not "57 tasks including elementary mathematics, US history")
_USED_FOR = re.compile(r"\b(?:we|our)\s+(?:\w+\s+)?(?:use|used|include|included|adopt|adopted|employ|employed|combine|"
                       r"combined|collect|collected)\s+([^.:;]{3,300}?)\s+(?:for|as|in)\s+(?:(?:the|our|a)\s+)?(?:part\s+of\s+"
                       r"(?:the\s+|our\s+)?)?(?:pre-?training|training|fine-?tuning|evaluation)\b", re.IGNORECASE)
# a list of names before a plural data-set noun ("the Cora, Citeseer and Pubmed datasets", "on the MovieLens-1M and
# Pinterest datasets"), with up to two words of what they hold between ("the Cora, Citeseer and Pubmed citation network
# datasets"): each item (a name alone before the noun is _NOUN_AFTER's), and a list in brackets after one ("four
# benchmark datasets (Cora, Citeseer, Pubmed and ogbn-arxiv)")
_LIST_NOUN = re.compile(r"\b(?:[Tt]he|[Oo]n|[Ff]rom|[Oo]f|[Oo]ur|[Uu]se|[Uu]sing)\s+(" + _NAME + r"(?:\s*,\s*(?:and\s+|or\s+)?"
                        + _NAME + r"|\s+(?:and|or)\s+" + _NAME + r")+)\s+" + _TASK_WORDS
                        + r"(?:(?!(?:and|or|of|in|on|for|with|the)\b)[a-z][a-z-]+\s+){0,2}(?:data\s?sets|datasets|corpora|benchmarks)\b")
_BRACKETED = re.compile(r"\b(?:data\s?sets|datasets|benchmarks|corpora)\s*\(((?!e\.g\.|i\.e\.|see\b)"
                        r"(?![^()]*(?:\bet\s+al\b|\b(?:19|20)\d\d))[^()]{3,200})\)")  # (not a bracket of citations)
# a checkpoint's own training ("initialized from a 6B GPT-3 model that was fine-tuned on a variety of public NLP
# datasets (ARC, BoolQ, …)"): the data that made another model, not this paper's experiments'
_MADE_BY = re.compile(r"\b(?:that|which)\s+(?:was|were|had\s+been|has\s+been)\s+(?:pre-?trained|trained|fine-?tuned)\s+"
                      r"on\s+[^.;]{0,80}$", re.IGNORECASE)
_ITEM_SEP = re.compile(r"\s*(?:,|;|\band\b|\bor\b)\s*")

# words that start a capitalised run but name no data set
_NOT_NAMES = re.compile(
    r"^(?:The|A|An|We|Our|In|On|For|This|These|That|Table|Tables|Figure|Fig|Figures|Section|Sec|Appendix|Eq|"
    r"Equation|English|French|German|Chinese|Romanian|Japanese|Spanish|Russian|GPU|GPUs|TPU|TPUs|CPU|CPUs|"
    r"Adam|SGD|All|Each|Both|Top|Average|Mean|Model|Models|Method|Methods|Baseline|Results|Test|Train|Dev|"
    r"Validation|First|Second|Third|Following|However|Then|Here|Note|See|As|It|Its|They|Their|Finally|"
    r"Since|When|While|Unlike|Like|After|Before|Using|With|Without|To|Also|Thus|Hence|Specifically|Moreover|"
    r"Additionally|Furthermore|Overall|Other|Several|Many|Some|Most|Large|Small|Base|Full|New|Standard|Training|"
    r"Parameters|Mean|Dataset|Datasets|Data|Experiments?|Setup|Evaluation|Details|Hyperparameters|Example|Instance|"
    r"Comparison|Reference|Simplicity|Fairness|Efficiency|Inference|Pre-?training|Fine-?tuning)$")
# names of methods, models, metrics, tools and venues, not data: "RNN", "ResNet-50", "ROUGE-1", "ICLR 2022"
_NOT_DATA = re.compile(r"^(?:RNNs?|LSTMs?|GRUs?|CNNs?|MLPs?|NLP|RL|RM|PPO|SFT|RLHF|API|GPU|TPU|BLEU|ROUGE|METEOR|"
                       r"TFDS|ResNet|VGG|BERT|GPT|ICLR|NeurIPS|NIPS|ICML|ACL|EMNLP|NAACL|CVPR|ICCV|ECCV|AAAI|IJCAI|"
                       # hardware ("TITAN Xp", "Tesla V100") and dates ("between July 2016 and July 2018")
                       r"TITAN|Titan|Tesla|GeForce|RTX|GTX|Quadro|[AHVPK]\d{2,3}(?!\w)|"
                       r"January|February|March|April|June|July|August|September|October|November|December)"
                       r"(?:[-\s]?[\w.-]*)$")
# a loss, an optimizer or a schedule named in capitals ("We use BCE Loss for training"): no data
_METHOD_END = re.compile(r"\s(?:Loss|Optimi[sz]er|Scheduler?|Algorithm|Regulari[sz]ation|Augmentation)$")
_HEADER_WORDS = re.compile(r"^(?:Parameters|Mean|Average|Training|Datasets?|Data|Experiments?|Setup|Details|"
                           r"Hyperparameters|Table|Figure|Section|Results)$")
# languages as papers name them, with the two letters they abbreviate them with (translation pairs, WMT's configs)
LANGUAGES = {"english": "en", "french": "fr", "german": "de", "romanian": "ro", "czech": "cs", "finnish": "fi",
             "russian": "ru", "turkish": "tr", "hindi": "hi", "chinese": "zh", "japanese": "ja", "spanish": "es",
             "italian": "it", "portuguese": "pt", "dutch": "nl", "arabic": "ar", "korean": "ko", "vietnamese": "vi",
             "estonian": "et", "latvian": "lv", "lithuanian": "lt", "gujarati": "gu", "kazakh": "kk"}
LANGUAGE = r"(" + "|".join(name.capitalize() for name in LANGUAGES) + r")"  # a language's name, capitalised
_LANGUAGE_WORD = re.compile(LANGUAGE + r"$")
_LANGUAGE_PAIR = re.compile(r"(?:[A-Z][a-z]|[A-Z]{2})\s*[-–→]\s*(?:[A-Z][a-z]|[A-Z]{2})|" + LANGUAGE + r"\s*[-–→]\s*[A-Z][a-z]+")
_SIZE = re.compile(r"\d+(?:\.\d+)?[KkMBT]")  # "50M", "13B", "100k": a size, not a name
# (a tool's name, its abbreviation in brackets between: "the Transformer Reinforcement Learning (TRL) library")
_AFTER_NOT = re.compile(r"\s*(?:\([A-Z][\w-]*\)\s*)?(?:GPUs?|TPUs?|cores?|machines?|nodes?|chips?|hardware|model|"
                        r"models|architecture|network|optimi[sz]er|librar(?:y|ies)|toolkit|framework|package|codebase|"
                        r"et al)\b")
_OTHER_WORK = re.compile(r"\bet al\.|\[\d+(?:[,–-]\s*\d+)*\]|\(\w+(?: et al\.)?,? \d{4}\)")


def may_name_data(name: str) -> bool:
    """Whether ``name`` alone can be a data set's name (as the rules above clean and shape names): "MR", "Flowers-102";
    not "LSTM", "NLP", "English", "Table"."""
    return names_data(name) and _shaped(name)


def names_data(name: str) -> bool:
    """Whether ``name``, in its whole, is no word the rules above know to name something other than data ("Gigaword",
    "CelebA"; not "Example", "Adam", "LSTM", "English")."""
    return _clean(name) == name


def _shaped(name: str) -> bool:
    """A name that looks like one by itself: a digit, two capitals, or two words ("Stanford Dogs")."""
    return bool(re.search(r"\d|[A-Z].*[A-Z]", name)) or " " in name


def _clean(name: str) -> str | None:
    words = name.split()
    while words and _NOT_NAMES.match(words[0].rstrip(".")) and not (
            len(words) > 1 and _LANGUAGE_WORD.match(words[0]) and words[1][:1].isupper()):
        words = words[1:]  # (a language that begins a name is part of it: "German Credit", "Chinese Treebank")
    while words and re.fullmatch(r"\d{1,4}", words[-1]) and len(words) > 1 and not re.search(r"[A-Z]{2}", words[-2]):
        words = words[:-1]  # "Results on ImageNet 2" : a trailing number belongs to the sentence
    name = " ".join(words).strip(" .,")
    if len(name) < 2 or _NOT_NAMES.match(name) or _NOT_DATA.match(name) or re.search(r"-(?:like|based|style)$", name) \
            or _LANGUAGE_PAIR.fullmatch(name) or _METHOD_END.search(name):
        return None  # (a language pair, "En-De", "English-German", is what is translated, not a data set)
    sizes = [w for w in words if _SIZE.fullmatch(w)]
    if (sizes and (len(sizes) > 1 or _SIZE.fullmatch(words[-1]))) or any(_HEADER_WORDS.match(w) for w in words) \
            or sum(w.isupper() and len(w) > 3 for w in words) >= 2:
        return None  # sizes ("Higgs 10M", "13B 33B 65B"), a table header ("Parameters Dataset"), a heading in capitals
    return name


def named_datasets(text: str) -> Iterator[tuple[str, int, int]]:
    """(name, start, end) of each data set this page's text says is used, by the rules above."""
    for m in _DESCRIBED.finditer(text):
        words = m.group(1).split()
        lead = _clean(" ".join(w for w in words if not w.islower()))
        if lead and not other_work(text, m.start(1)):  # (a registry name the extractor keeps as the registry's)
            yield " ".join([lead] + [w for w in words if w.islower()]), m.start(1), m.end(1)
    for m in _APPOSITIVE.finditer(text):  # "a new dataset, FooBar-1M, of 1M images"
        name = _clean(m.group(1))
        if name and _shaped(name) and not other_work(text, m.start(1)):
            yield name, m.start(1), m.end(1)
    for pattern in (_OWN_NOUN, _NOUN_AFTER):
        for m in pattern.finditer(text):
            name = _clean(m.group(1))
            if not name or (pattern is _OWN_NOUN and " " not in name) or other_work(text, m.start(1)):
                continue
            if pattern is _NOUN_AFTER and m.group(2) and not re.search(r"(?:s|ora)$", m.group(0)):
                # "the EM segmentation challenge": the whole name ("the A and B image classification datasets": each)
                yield _clean(text[m.start(1): m.end()]) or name, m.start(1), m.end()
                continue
            if short := _ABBREVIATION.match(text, m.end(1) if pattern is _OWN_NOUN else m.end()):
                yield short.group(1), short.start(1), short.end(1)
            else:
                yield name, m.start(1), m.end(1)
    for m in _ON_SPLIT.finditer(text):
        group = 1 if m.group(1) else 2
        name = _clean(m.group(group))
        if name and not other_work(text, m.start()) and not _AFTER_NOT.match(text, m.end(group)):
            yield name, m.start(group), m.end(group)
    for pattern in (_INTRODUCED, _USED_FOR, _LIST_NOUN, _BRACKETED):
        for m in pattern.finditer(text):
            if other_work(text, m.start()) or _PARTS.search(text, _start(text, m.start()), m.start()) or \
                    pattern in (_LIST_NOUN, _BRACKETED) and _MADE_BY.search(text, max(0, m.start() - 120), m.start()):
                continue
            yield from _items(text, m.start(1), m.end(1))
    for m in _USED_ON.finditer(text):
        if other_work(text, m.start()):
            continue
        for part in re.finditer(_NAME, m.group(1)):
            name = _clean(part.group(0))
            if part.group(0).startswith("The ") and name and " " not in name and name == part.group(0)[4:]:
                name = part.group(0)  # "pre-train on The Pile": a capitalised article after "on" is the name's own
            start, end = m.start(1) + part.start(), m.start(1) + part.end()
            if name and _shaped(name) and not _AFTER_NOT.match(text, end) and \
                    not _TRAINED_BY_OTHER.search(text, max(0, start - 120), start):
                yield name, start, end


def _items(text: str, start: int, end: int) -> Iterator[tuple[str, int, int]]:
    """The names of a list's items: each item's leading name, its citation or note in parentheses left out
    ("Giga5 (16GB text) [26]"); "X-18/19" is X-18 and X-19."""
    position = start
    for sep in [*_ITEM_SEP.finditer(text, start, end), None]:
        stop = sep.start() if sep else end
        item = text[position: stop]
        lead = re.match(r"\s*(?:the\s+)?", item)
        at = position + lead.end()
        position = sep.end() if sep else end
        if (m := re.compile(_NAME).match(text, at, stop)) is None or _depth(text, start, at):
            continue
        name = _clean(m.group(0))
        if not name or _AFTER_NOT.match(text, m.end()):
            continue
        yield name, m.start(), m.end()
        if versions := re.match(r"/(\d+)\b", text[m.end(): stop]) if re.search(r"-\d+$", name) else None:
            yield re.sub(r"\d+$", versions.group(1), name), m.start(), m.end() + versions.end()


def _start(text: str, at: int) -> int:
    return max(text.rfind(". ", 0, at), 0)


# a data set's parts listed ("WMT'14 contains the following parallel corpora: A, B and C"): the data set is the one used
_PARTS = re.compile(r"\b(?:contain(?:s|ed|ing)?|consist(?:s|ed|ing)?\s+of|compris(?:es|ed|ing)|made\s+up\s+of)\b", re.IGNORECASE)


def _depth(text: str, start: int, at: int) -> bool:
    """Whether ``at`` sits inside parentheses or brackets opened after ``start`` (a note, not an item)."""
    span = text[start: at]
    return span.count("(") > span.count(")") or span.count("[") > span.count("]")


# the rows of a table of data sets: a header that opens with the word ("Dataset Train Size Test Size #Classes",
# "Dataset n m Task"), then a row per data set, its name (with a citation or an abbreviation in parentheses) before
# its numbers
_TABLE_HEAD = re.compile(r"(?:Datasets?|Data\s?sets?|Corpus|Corpora|Benchmarks?)(?:\s+\S+){1,10}")
_CELL = r"(?=[\w.+/-]*[A-Za-z])(?!\d+(?:\.\d+)?(?:[KMGT]?B|[KMT])\b)(?:[A-Z0-9][\w.+/-]*|[a-z]+[A-Z0-9][\w.+/-]*|v\d[\w.]*)"  # a word of a name, not a number
_TABLE_ROW = re.compile(r"(" + _CELL + r"(?:\s+" + _CELL + r"){0,3})(?:\s+\(([^()]{1,60})\))?\s+(?:[\d.,]+\s*(?:[KMGT]?B|[KMT])?)(?:\s|$)")


_HYPERPARAMETER_ROW = re.compile(r"(?:" + "|".join(NAMES.values()) + r")(?![\w-])", re.IGNORECASE)


def table_datasets(lines: list[tuple[int, str]]) -> Iterator[tuple[str, int, int]]:
    """Data sets named as the rows of a table whose header says its rows are data sets (``_TABLE_HEAD``). A row's
    label is the name (each word capitalised or with a digit: "LLaMA no tuning" is no data set); a short name in
    parentheses is the data set ("Guanaco (OASST1)": the model trained on OASST1), a citation is not."""
    for i, (_, line) in enumerate(lines):
        if not _TABLE_HEAD.fullmatch(line.strip()):
            continue
        for offset, row in lines[i + 1: i + 40]:
            if _HYPERPARAMETER_ROW.match(row):  # the rows are hyperparameters ("Dataset E2E WebNLG DART" over
                # "Weight Decay 0.01 0.01 0.0"): the header's names are the data sets, a column each
                head = lines[i][1]
                for m in re.finditer(r"(?<!\S)(" + _CELL + r")(?!\S)", head):
                    if m.start() and not re.fullmatch(r"[A-Z][a-z]+", m.group(1)) and not _SIZE.fullmatch(m.group(1)):
                        yield m.group(1), lines[i][0] + m.start(1), lines[i][0] + m.end(1)
                break
            if re.match(r"(?:Model|Method|Approach|Baseline)s?\b", row):
                break  # the rows are models: the data sets are the columns
            m = _TABLE_ROW.match(row)
            if m is None:
                if not re.search(r"\d", row):
                    break  # the table ended
                continue  # a row of another kind ("LLaMA no tuning 35.1 46.9"): a baseline, not a data set
            note = m.group(2)
            if note and re.fullmatch(r"[A-Z][\w-]{1,15}", note) and not re.search(r"\d{4}", note):
                yield note, offset + m.start(2), offset + m.end(2)
                continue
            name = _clean(m.group(1))
            if name and not _SIZE.fullmatch(name):
                yield name, offset + m.start(1), offset + m.end(1)


def other_work(text: str, at: int) -> bool:
    """A sentence about other work, with no "we" or "our" in it: a citation or "et al." before the name (one after it
    is the data set's own reference: "the LAMBADA dataset (Paperno et al., 2016)"), the name given as an example
    of what exists ("benchmarks such as GLUE have been proposed", "datasets like SQuAD", "for instance CIFAR-10 has
    3% overlap"), or as what another work uses ("the X Benchmark, which is used by a similar approach [44]")."""
    ends = [m.end() for m in re.finditer(r"(?<!\bal)(?<!\be\.g)(?<!\bi\.e)[.:] ", text[max(at - 250, 0): at])]
    left = max(at - 250, 0) + (ends[-1] if ends else 0)  # the sentence's start ("et al." ends none), not a table above
    right = text.find(". ", at)
    sentence = text[left: min(right if right != -1 else len(text), at + 250)]
    if _FUTURE.search(sentence):
        return True  # "we plan to investigate fine-tuning on GLUE": not done in this paper
    if _OTHERS.search(text, max(left, at - 80), at) or _TRAINED_BY_OTHER.search(text, max(left, at - 120), at):
        return True  # "other datasets like CNN [19] or SQuAD", "Unlike BERT, which was trained on X": another's
    if _UNLIKE.search(text, max(left, at - 30), at):
        return True  # "Unlike ImageNet, our dataset contains …": a contrast, not a use
    clause = text[max(left, text.rfind(";", left, at) + 1): at]
    if _PRIOR.search(clause) and not re.search(r"\b(?:we|our|us)\b|\b(?:following|as\s+in|like)\s+(?:the\s+)?"
                                               r"(?:prior|previous|earlier|existing|related|past)\b", clause, re.IGNORECASE):
        return True  # "Prior work has reported strong results on SQuAD and GLUE; we instead …"
    if re.search(r"\b(?:we|our|us)\b", sentence, re.IGNORECASE):
        return False
    source = _SOURCE.search(text, max(left, at - 40), at) and not _TRAINED_ON_ITS.search(text, max(left, at - 120), at)
    return bool(_OTHER_WORK.search(text[left: at]) or _EXAMPLE.search(text, max(left, at - 60), at)
                or source or _PAPER.search(sentence) or _USED_BY.match(text, at))


# a contrast with a data set, and other work as the subject of the clause before a name
_UNLIKE = re.compile(r"\b(?:unlike|in\s+contrast\s+to|as\s+opposed\s+to)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
_PRIOR = re.compile(r"\b(?:prior|previous|earlier|existing|related|past)\s+(?:work|works|studies|approaches|methods|papers)\b",
                    re.IGNORECASE)
_FUTURE = re.compile(r"\b(?:plan(?:s|ned)? to|future work|in (?:the )?future|leave\w* (?:[\w-]+ ){0,5}(?:to|for) "
                     r"(?:the )?future)\b", re.IGNORECASE)
# a name given as an example of what exists, just before it
_EXAMPLE = re.compile(r"\b(?:such as|like|e\.g\.,?|for instance,?|for example,?|including)\s+(?:the\s+)?"
                      r"(?:[\w-]+\s+){0,3}$", re.IGNORECASE)
# what another data set is drawn from ("newswire from the Reuters corpus", "documents come from C4", "is part of the
# OIG dataset"): its source, not a data set this paper uses
_SOURCE = re.compile(r"\b(?:from|part\s+of|subset\s+of)\s+(?:the\s+)?$", re.IGNORECASE)
# but training on its examples uses it: "Fine-tuning Llama-2-7B on 52K instructions from the Alpaca dataset"
_TRAINED_ON_ITS = re.compile(_USE + r"\s+(?:[\w.-]+\s+){0,4}?on\s+(?:[\w,.-]+\s+){0,4}?from\s+(?:the\s+)?$", re.IGNORECASE)
# a data set described as another work's ("the X Benchmark, which is used by a similar approach, Y [44]")
_USED_BY = re.compile(r"[^.,]{1,60}?,?\s+which\s+(?:is|was|has\s+been|are|were)\s+(?:also\s+)?used\s+(?:by|in)\b",
                      re.IGNORECASE)
# what another model was trained on, in a relative clause about it ("Unlike BERT, which was trained on BooksCorpus and
# English Wikipedia [5], our model …"), up to a "we" or "our" that comes back to this paper
_TRAINED_BY_OTHER = re.compile(r"\bwhich\s+(?:was|were|is|are|has\s+been|had\s+been)\s+(?:also\s+|originally\s+)?"
                               r"(?:pre-?trained|trained|fine-?tuned|evaluated)\s+(?:only\s+)?on\s+"
                               r"(?:(?!\b(?:we|our|us)\b)[^.;]){0,80}$", re.IGNORECASE)
# what another paper reports ("The GPT-3 paper itself reports that … on BoolQ")
_PAPER = re.compile(r"\b(?:the|that|their)\s+(?!present\b|current\b|same\b)[\w.-]+\s+paper\b", re.IGNORECASE)
_OTHERS = re.compile(r"\bother\s+(?:[\w-]+\s+){0,2}(?:data\s?sets?|datasets|benchmarks?|corpora|tasks)\s+(?:such\s+as|like|e\.g\.,?|"
                     r"including)\s+(?:the\s+)?(?:[\w\[\],-]+\s+){0,4}$", re.IGNORECASE)
# "the Conversation Question Answering dataset (CoQA)": the data set is the abbreviation's
_ABBREVIATION = re.compile(r"\s*(?:" + _NOUN + r"\s*)?\(([A-Z][A-Za-z0-9-]{1,12})\)")


_METRICS = re.compile(r"^(?:ACC|Acc|PPL|BPB|BPC|F1|EM|BLEU|ROUGE[\w-]*|MCC|NDCG@?\d*|ERR@?\d*|MRR|AUC|mAP|AP\d*|"
                      r"Top-?\d|Params|FLOPs|Avg|Average|Mean|Model|Method|Size|Steps|Epochs)$")


def header_datasets(lines: list[tuple[int, str]], known: Callable[[str], bool]) -> Iterator[tuple[str, int, int]]:
    """Data sets named as the columns of a results table: a header line (no numbers in it) in which two names or
    more are registry data sets ("PTB WikiText-2 enwik8 text8 Wikitext-103 1BW"); its other names are data sets
    too ("enwik8", "1BW"), not metric or model names."""
    for offset, line in lines:
        tokens = line.split()
        if not 3 <= len(tokens) <= 16 or not all(re.fullmatch(r"\w[\w.+/-]*", t) and re.search(r"[A-Za-z]", t) and re.search(r"\d|[A-Z]", t)
                                                 for t in tokens):
            continue  # a header holds names only: no prose words, numbers or punctuation
        if sum(known(t) for t in tokens) < 2:
            continue
        position = 0
        for token in tokens:
            start = line.index(token, position)
            position = start + len(token)
            if known(token) or not _shaped(token) or " " in token or re.fullmatch(r"[A-Z][a-z]+", token) \
                    or _METRICS.match(token) or _NOT_NAMES.match(token) \
                    or _NOT_DATA.match(token) or _SIZE.fullmatch(token):
                continue
            yield token, offset + start, offset + position
