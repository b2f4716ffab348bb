"""A curated registry of data sets: names and aliases as papers write them, mapped to a loader.

The spine ships the entries it can load offline (scikit-learn's bundled data sets) plus a few well-known Hub
data sets so that a paper naming them resolves to the right id even where this machine cannot load them.
The paper-reader issue grows this list.
"""

from __future__ import annotations

import re

from pydantic import BaseModel


class DatasetInfo(BaseModel):
    key: str
    aliases: list[str]
    loader: str  # "sklearn:<function>" for packaged data, "hub:<id>" for the Hugging Face Hub
    license: str
    task_type: str
    num_classes: int | None = None
    image_size: int | None = None
    num_examples: int | None = None

    @property
    def offline(self) -> bool:
        return self.loader.startswith("sklearn:")


DATASETS: list[DatasetInfo] = [
    DatasetInfo(key="digits", aliases=["digits", "handwritten digits", "8x8 digits", "optical recognition of "
                "handwritten digits", "load_digits"], loader="sklearn:load_digits", license="BSD-3-Clause",
                task_type="image-classification", num_classes=10, image_size=8, num_examples=1797),
    DatasetInfo(key="iris", aliases=["iris"], loader="sklearn:load_iris", license="BSD-3-Clause",
                task_type="tabular-classification", num_classes=3, num_examples=150),
    DatasetInfo(key="wine", aliases=["wine"], loader="sklearn:load_wine", license="BSD-3-Clause",
                task_type="tabular-classification", num_classes=3, num_examples=178),
    DatasetInfo(key="breast_cancer", aliases=["breast cancer", "wisconsin breast cancer"],
                loader="sklearn:load_breast_cancer", license="BSD-3-Clause",
                task_type="tabular-classification", num_classes=2, num_examples=569),
    DatasetInfo(key="mnist", aliases=["mnist"], loader="hub:ylecun/mnist", license="unknown",
                task_type="image-classification", num_classes=10, image_size=28, num_examples=70000),
    DatasetInfo(key="cifar10", aliases=["cifar-10", "cifar10"], loader="hub:uoft-cs/cifar10",
                license="unknown", task_type="image-classification", num_classes=10, image_size=32,
                num_examples=60000),
    DatasetInfo(key="cifar100", aliases=["cifar-100", "cifar100"], loader="hub:uoft-cs/cifar100",
                license="unknown", task_type="image-classification", num_classes=100, image_size=32,
                num_examples=60000),
    DatasetInfo(key="sst2", aliases=["sst-2", "sst2", "stanford sentiment treebank"],
                loader="hub:stanfordnlp/sst2", license="unknown", task_type="text-classification",
                num_classes=2, num_examples=70042),
]


def _alias_pattern(alias: str) -> re.Pattern[str]:
    # "8x8 digits" should also match "8×8 digits"; word boundaries keep "iris" out of "irises".
    body = re.escape(alias).replace("x", "[x×]").replace(r"\ ", r"[\s-]+")
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", re.IGNORECASE)


_PATTERNS = [(info, [_alias_pattern(a) for a in sorted(info.aliases, key=len, reverse=True)]) for info in DATASETS]


def find_datasets(text: str) -> list[tuple[DatasetInfo, re.Match[str]]]:
    """Every registry data set mentioned in ``text``, with its first mention, in order of appearance."""
    found = []
    for info, patterns in _PATTERNS:
        matches = [m for p in patterns if (m := p.search(text))]
        if matches:
            found.append((info, min(matches, key=lambda m: m.start())))
    return sorted(found, key=lambda pair: pair[1].start())


def get_dataset(key: str) -> DatasetInfo | None:
    key = key.lower()
    return next((d for d in DATASETS if d.key == key or key in d.aliases), None)
