"""How papers state the training procedure beyond single values: step schedules ("divided by 10 at 50% and 75% of
the total number of training epochs", "at 32k and 48k iterations", "every 30 epochs", "when the validation error
stopped improving"), Nesterov momentum, and data augmentation ("random horizontal flips", "4 pixels are padded on
each side", "a 224×224 crop", scale augmentation "S ∈ [256, 512]").

``find_procedure(text)`` yields (name, value, start, end) as ``values.find_values`` does; the extractor gives each
its quote and setting. Names: ``lr_decay_factor``, ``lr_milestones`` with ``lr_milestone_unit`` (fraction, epochs
or steps), ``lr_step_size`` (with its unit), ``lr_schedule`` (``plateau``), ``nesterov``, ``horizontal_flip``,
``crop_padding``, ``crop_size`` and ``scale_augment`` (the range of the image's shorter side, in pixels).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ml_intern.paper.values import NUM, Found, parse_number, schedules_by_stage

_I = re.IGNORECASE

_RATE = r"(?:learning[ -]rates?|\bLR\b|\blr\b|\bit\b|\brate\b)"
# what the rate undergoes ("…, dividing it by 10 at …", "annealed by a constant factor of 1.2")
_VERB = (r"(?:divid(?:ed|e|es|ing)|reduc(?:ed|e|es|ing)|decreas(?:ed|e|es|ing)|lower(?:ed|s|ing)?|dropp(?:ed|ing)|drops?|"
         r"decay(?:ed|s|ing)?|multipl(?:ied|y|ies|ying)|scal(?:ed|e|es|ing)|cut(?:ting)?|anneal(?:ed|s|ing)?)"
         r"(?:\s+exponentially)?")  # ("decayed exponentially by 0.97 every 2.4 epochs")
# "by 10", "by a factor of 10", "by 10 times", "by 10x", "by an order of magnitude", "by 0.1"
_FACTOR = (r"by\s+(?:a\s+(?:constant\s+|fixed\s+)?factor\s+(?:of\s+)?)?(?P<factor>1/\d+|\d+(?:\.\d+)?|"
           r"an order of magnitude|half)(?:\s*(?:times|×|x|fold)\b)?")
# (ordinals: "after each of the 60th, 120th and 160th epochs", "at the 40-th epoch")
_POINT = r"\d+(?:\.\d+)?[kK]?(?:-?(?:st|nd|rd|th))?(?:\s*%)?"
# (the later point said again: "at 60k and again at 80k iterations", "after 100 and then after 150 epochs")
_POINTS = _POINT + r"(?:\s*(?:,\s*(?:and\s+)?|and\s+(?:(?:again|then|later)\s+)?(?:(?:at|after)\s+)?|&\s*)" + _POINT \
    + r")*"
_UNIT = r"(?P<unit>epochs?|iterations?|steps?|updates?)"
# the step decay: verb, factor, then the points where it happens ("at 50% and 75% of the total number of training
# epochs", "at epoch 30 and 60", "after 32k and 48k iterations") or its period ("every 30 epochs")
_WHEN = (
    r"(?:\s+(?:(?:at|after)\s+(?:each\s+of\s+)?(?:the\s+)?(?:end\s+of\s+)?(?:(?P<unit0>epochs?|iterations?|steps?)\s+)?"
    r"(?P<points>" + _POINTS + r")(?:(?:\s+(?:of|the|total|number|training|all))*\s+" + _UNIT +
    r"|(?:\s+(?:of|the|total|training|run|schedule))+)?"
    r"|every\s+(?P<period>\d+(?:\.\d+)?[kK]?)\s+(?P<punit>epochs?|iterations?|steps?|"
    r"updates?)|(?:after\s+|at\s+the\s+end\s+of\s+)?(?:each|every)\s+(?P<eunit>epoch|iteration|step|update)\b))?")
_DECAY = re.compile(r"\b" + _VERB + r"(?:\s+(?:the\s+)?(?:learning[ -]rate|LR|it))?\s+" + _FACTOR + _WHEN, _I)
# the point first, then the factor: "the learning rate is decayed at the 40-th epoch by a factor of 0.1"
_DECAY_AT = re.compile(r"\b" + _VERB + r"(?:\s+(?:the\s+)?(?:learning[ -]rate|LR|it))?\s+(?:at|after)\s+(?:the\s+)?"
                       r"(?:(?P<unit0>epochs?|iterations?|steps?)\s+)?(?P<points>" + _POINTS + r")\s+" + _UNIT
                       + r"\s*,?\s+" + _FACTOR, _I)
# the rates it steps down to, at their points ("is dropped to 1e−4 and 1e−5 at the 170th and 200th epochs"): the factor
# is their ratio, to each other and to the rate before them
_DECAY_TO = re.compile(r"\b" + _VERB + r"(?:\s+(?:the\s+)?(?:learning[ -]rate|LR|it))?\s+to\s+(?P<rates>" + NUM
                       + r"(?:\s*(?:,\s*(?:and\s+)?|and\s+)" + NUM + r")*)\s*,?\s+(?:at|after)\s+(?:the\s+)?"
                       r"(?:(?P<unit0>epochs?|iterations?|steps?)\s+)?(?P<points>" + _POINTS + r")\s+" + _UNIT, _I)
_RATE_BEFORE = re.compile(r"(?:learning[ -]rate|\bLR\b)[^.;]{0,40}?" + NUM, _I)
# the rate halved: its factor in the verb ("The initial learning rate was 0.1 and was halved every 10 epochs")
_HALVED = re.compile(r"\bhalv(?:ed|e|es|ing)(?:\s+(?:the\s+)?(?:learning[ -]rate|LR|it))?" + _WHEN, _I)
# the period first and the factor as a rate ("decayed every two epochs using an exponential rate of 0.94"), or the
# factor as a rate, then the period ("decays at an exponential rate of 0.97 every 2.4 epochs")
_COUNT_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10}
_PERIOD = (r"every\s+(?P<period>\d+(?:\.\d+)?[kK]?|" + "|".join(_COUNT_WORDS) + r")\s+(?P<punit>epochs?|iterations?|"
           r"steps?|updates?)")
_AS_RATE = (r"(?:using|with|at|by|of)\s+(?:an?\s+)?(?:exponential\s+)?(?:decay\s+)?(?:rate|factor)\s+(?:of\s+)?"
            r"(?P<factor>0?\.\d+)")
_PERIODIC = [re.compile(r"\b" + _VERB + r"(?:\s+(?:the\s+)?(?:learning[ -]rate|LR|it))?\s+" + order, _I)
             for order in (_PERIOD + r"\s*,?\s+" + _AS_RATE, _AS_RATE + r"\s+" + _PERIOD,
                           # the factor bare after the verb: "decayed 0.95 every 0.5k iterations"
                           r"(?P<factor>0?\.\d+)\s*×?\s+" + _PERIOD)]
# the rate reduced when a validation figure stops improving: reduce-on-plateau ("when the validation loss plateaus",
# "each time accuracy on the development set did not increase", "if the dev accuracy decreases")
_PLATEAU = re.compile(r"\b(?:when|once|whenever|each time|if)\s+(?:the\s+)?(?:(?:validation|dev(?:elopment)?|held-out)"
                      r"(?:\s+set)?\s+[\w-]+(?:\s+[\w-]+){0,2}?|(?:[\w-]+\s+){1,2}?(?:on|of)\s+the\s+(?:validation|"
                      r"dev(?:elopment)?|held-out)\s+(?:set|data)(?:\s+[\w-]+)?)\s+(?:stop(?:s|ped)?\s+improving|plateau(?:s|ed)?|"
                      r"does\s+not\s+(?:improve|increase|decrease)|did\s+not\s+(?:improve|increase|decrease)|"
                      r"no\s+longer\s+(?:improves|improved)|(?:increas|decreas|worsen|degrad)(?:es|ed)|drops|dropped|"
                      r"rises|rose)|\bon\s+(?:a\s+)?plateau\b|\bplateaus?\b", _I)
_NESTEROV = re.compile(r"\bNesterov(?:'s|’s)?\s+(?:accelerated\s+gradient|momentum)|\bNAG\b")
_WE = re.compile(r"\b(?:we|our)\b|\b(?:is|are|was|were)\s+(?:trained|optimi[sz]ed|used)\b|\busing\b", _I)
# augmentation: what happens to training images (a sentence about test time or evaluation is not training)
_TEST = re.compile(r"\btest(?:ing)?\b|\bevaluat\w*|\binference\b|\bat test time\b", _I)
_FLIP = re.compile(r"\b(?:horizontal(?:ly)?\s+(?:flip\w*|mirror\w*|reflect\w*)|(?:flip\w*|mirror\w*)\s+horizontally"
                   r"|mirroring|random(?:ly)?\s+(?:flip\w*|mirror\w*))\b", _I)
_PADDINGS = (  # "4 pixels are padded", "padded with 4 pixels", "4-pixel padding", "a padding of 4 pixels"
    r"(?<![\w.])(\d{1,2})\s+(?:pixels?|px)\s+(?:(?:are|were|is)\s+)?(?:zero-)?padded",
    r"\bpad(?:ded|ding)?\s+(?:each\s+side\s+|all\s+sides\s+)?(?:with|by)\s+(\d{1,2})\s+(?:pixels?|px|zeros)",
    r"(?<![\w.])(\d{1,2})[- ](?:pixels?|px)\s+(?:of\s+)?(?:zero[- ])?padding",
    r"\bpadding\s+of\s+(\d{1,2})\s+(?:pixels?|px)")
_PAD = re.compile("|".join(_PADDINGS), _I)
_CROP_SIZE = re.compile(r"(?<![\w.])(\d{2,3})\s*[×x]\s*(\d{2,3})(?!\w|\.\d)")
_CROP = re.compile(r"\bcrop(?:s|ped|ping)?\b", _I)
_RESIZED = re.compile(r"\b(?:resiz|rescal|upsampl|downsampl)\w*\s+(?:\w+\s+){0,2}?(?:to|into)\s+(?:an?\s+)?$", _I)
_SCALE = re.compile(r"\bscale\s+(?:augmentation|jitter(?:ing)?)\b|\bmulti-?scale training\b|\b(?:shorter|smallest|"
                    r"short)\s+side\b", _I)
# (a range after a preposition or a sign: "in [256, 480]", "range (640, 800)"; not a citation after a word, "the
# large-scale jittering augmentation [18, 23]")
_SIDE_RANGE = re.compile(r"(?:(?:\b(?:in|from|of|to|between|within|range|ranging|sampled|scales?|sides?)|[∈=:])\s*)"
                         r"[\[(]\s*(\d{2,4})\s*[,;]\s*(\d{2,4})\s*[\])]", _I)
_UNITS = {"epoch": "epochs", "iteration": "steps", "step": "steps", "update": "steps"}


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(". ", 0, start), text.rfind("? ", 0, start)) + 1
    right = text.find(". ", end)
    return left, (right + 1 if right != -1 else len(text))


def _unit(word: str | None) -> str | None:
    return _UNITS.get(word.lower().rstrip("s")) if word else None


def _factor(raw: str) -> float | None:
    """The multiplier a step applies: "divided by 10" and "by an order of magnitude" are 0.1, "by 0.2" is 0.2."""
    if raw.lower().startswith("an order"):
        return 0.1
    if raw.lower() == "half":  # ("decreasing by half each time …")
        return 0.5
    if raw.startswith("1/"):  # ("reduced by 1/10 at the 30-th, 60-th, and 80-th epoch")
        return round(1.0 / float(raw[2:]), 8) if float(raw[2:]) > 1 else None
    value = float(parse_number(raw))
    if value <= 0 or value == 1:
        return None
    return round(1.0 / value, 8) if value > 1 else value


def _periodic(text: str) -> Iterator[Found]:
    for m in (m for pattern in _PERIODIC for m in pattern.finditer(text)):
        left, right = _sentence(text, m.start(), m.end())
        if not re.search(r"learning[ -]rate|\bLR\b", text[left:right], _I):
            continue
        factor = float(m.group("factor"))
        if not 0.01 <= factor <= 0.99:
            continue
        period = m.group("period")
        yield Found("lr_decay_factor", factor, m.start(), m.end())
        yield Found("lr_step_size", _COUNT_WORDS.get(period.lower()) or parse_number(period), m.start(), m.end())
        yield Found("lr_milestone_unit", _unit(m.group("punit")) or "epochs", m.start(), m.end())


def _decays_to(text: str) -> Iterator[Found]:
    """A step schedule stated by the rates the rate steps down to at their points (``_DECAY_TO``): the factor, where
    every step (from the rate the sentence gives before, if it gives one) divides by the same, and the points."""
    for m in _DECAY_TO.finditer(text):
        left, _ = _sentence(text, m.start(), m.end())
        try:
            later = [parse_number(r) for r in re.split(r"\s*(?:,\s*(?:and\s+)?|and\s+)", m.group("rates").strip())]
            points = [parse_number(re.sub(r"(?<=\d)-?(?:st|nd|rd|th)|[% ]", "", p))
                      for p in re.findall(_POINT, m.group("points"))]
            base = [parse_number(b.group(1)) for b in _RATE_BEFORE.finditer(text, left, m.start())][-1:]
        except ValueError:
            continue
        rates = [float(r) for r in base + later]
        unit = _unit(m.group("unit0") or m.group("unit"))
        if len(points) != len(later) or len(rates) < 2 or unit is None or points != sorted(points) or not re.search(
                r"learning[ -]rate|\bLR\b", text[left: m.end()], _I) or any(r <= 0 for r in rates):
            continue
        ratios = [b / a for a, b in zip(rates, rates[1:])]
        if not all(abs(r - ratios[0]) <= 1e-6 * ratios[0] for r in ratios) or not 0.01 <= ratios[0] <= 0.99:
            continue
        yield Found("lr_decay_factor", round(ratios[0], 8), m.start(), m.end())
        yield Found("lr_milestones", points, m.start(), m.end())
        yield Found("lr_milestone_unit", unit, m.start(), m.end())


def _decays(text: str) -> Iterator[Found]:
    yield from _periodic(text)
    yield from _decays_to(text)
    for m in (m for pattern in (_DECAY, _DECAY_AT, _HALVED) for m in pattern.finditer(text)):
        group = m.groupdict().get  # (the point-first form has no period)
        left, right = _sentence(text, m.start(), m.end())
        before = text[left: m.start()]
        if not re.search(_RATE, before + m.group(0), _I) or not re.search(r"learning[ -]rate|\bLR\b", text[left:right], _I):
            continue  # "reduces the memory by 10 times": not the learning rate
        halved = m.re is _HALVED  # (its factor in the verb)
        factor = 0.5 if halved else _factor(group("factor"))
        if factor is None or not 0.01 <= factor <= 0.99:
            continue
        if halved and not (group("points") or group("period") or group("eunit")) and not re.match(
                r"[^.;]{0,40}?\b(?:every|each|after|when|whenever|once|if|per)\b", text[m.end(): right], _I):
            continue  # "We halve the learning rate for 33B and 65B": one model's rate against another's, no decay
        if not (group("points") or group("period") or group("eunit")) and re.search(
                r"\blearning[ -]rates?\s+(?:of|for)\s+(?:the|all|its|their)\s+", before, _I):
            continue  # "Learning rates of the linear projections … are multiplied by a factor of 0.1": a part's rate
            # against the rest's, no decay
        yield Found("lr_decay_factor", factor, m.start(), m.end())
        if re.search(r"\b(?:begins?|began|begun|start(?:s|ed)?)\s+(?:to\s+)?$", before, _I):
            continue  # "after 5 epochs, we begin to halve the learning rate every epoch": a decay that starts late,
            # which a period from the first epoch, or one step at the start, would misstate: its factor only
        if group("points"):
            raw = re.findall(_POINT, group("points"))
            percent = all(p.rstrip().endswith("%") for p in raw)
            unit = "fraction" if percent else _unit(group("unit0") or group("unit"))
            if unit is None:
                continue  # "at 30 and 60": of what, the sentence does not say
            try:
                points = [parse_number(re.sub(r"(?<=\d)-?(?:st|nd|rd|th)|[% ]", "", p)) for p in raw]
            except ValueError:
                continue
            if percent:
                points = [round(float(p) / 100.0, 6) for p in points]
            if points != sorted(points) or (percent and not all(0 < p < 1 for p in points)):
                continue
            yield Found("lr_milestones", points, m.start(), m.end())
            yield Found("lr_milestone_unit", unit, m.start(), m.end())
        elif group("period"):
            yield Found("lr_step_size", parse_number(group("period")), m.start(), m.end())
            yield Found("lr_milestone_unit", _unit(group("punit")) or "epochs", m.start(), m.end())
        elif group("eunit") and not _PLATEAU.search(before + " " + text[m.end(): right]):
            # "annealed by a constant factor of 1.2 after each epoch" (not "once the validation perplexity stops
            # improving, we reduce the learning rate by an order of magnitude after each epoch": on a plateau)
            yield Found("lr_step_size", 1, m.start(), m.end())
            yield Found("lr_milestone_unit", _unit(group("eunit")), m.start(), m.end())
        else:
            after = text[m.end(): right]
            plateau = _PLATEAU.search(before + " " + after)
            if plateau:
                yield Found("lr_schedule", "plateau", m.start(), m.end())


def _staged(text: str) -> Iterator[Found]:
    """A step schedule stated stage by stage, in a sentence about the learning rate or after one ("The learning rate is
    0.1 for the first 150 epochs, 0.01 for the next 75 epochs and 0.001 for the last 75"; "… raise the learning rate
    to 10−2. We continue training with 10−2 for 75 epochs, then 10−3 for 30 epochs, and finally 10−4 for 30 epochs"):
    the first stage's rate; and where each stage divides the rate by the same factor, that factor and the points
    where the stages end (150 and 225 epochs). The length, their sum, is ``values.stages``'s."""
    for rates, counts, unit, start, end in schedules_by_stage(text):
        left, _ = _sentence(text, start, end)
        before, _ = _sentence(text, max(0, left - 2), max(0, left - 2))
        if not re.search(r"learning[ -]rate|\bLR\b", text[before: end], _I):
            continue
        yield Found("learning_rate", rates[0], start, end)
        ratios = [later / earlier for earlier, later in zip(rates, rates[1:])]
        if all(abs(r - ratios[0]) <= 1e-6 * ratios[0] for r in ratios) and 0.01 <= ratios[0] <= 0.99:
            points = [sum(counts[: k + 1]) for k in range(len(counts) - 1)]
            yield Found("lr_decay_factor", round(ratios[0], 8), start, end)
            yield Found("lr_milestones", points, start, end)
            yield Found("lr_milestone_unit", unit, start, end)


def _augmentation(text: str) -> Iterator[Found]:
    seen: set[str] = set()
    for pattern, name in ((_FLIP, "horizontal_flip"), (_PAD, "crop_padding"), (_SCALE, "scale_augment"),
                          (_CROP, "crop_size")):
        for m in pattern.finditer(text):
            if name in seen:
                break
            left, right = _sentence(text, m.start(), m.end())
            sentence = text[left:right]
            # "we also augment the test set by horizontal flipping", "a 224×224 crop at test time": evaluation, not
            # training (a test mentioned later in the sentence, after the range it gives, is another matter)
            value = _SIDE_RANGE.search(sentence) if name == "scale_augment" else \
                _CROP_SIZE.search(sentence, m.start() - left) if name == "crop_size" else None
            if _TEST.search(text, left, min(right, max(m.end(), left + value.end() if value else 0) + 20)):
                continue
            if name == "horizontal_flip":
                if re.search(r"\bvertical", m.group(0), _I) or (not re.search(r"flip|horizontal", m.group(0), _I)
                                                             and not re.search(r"augment|random", sentence, _I)):
                    continue  # "missing input data is extrapolated by mirroring": a border, not an augmentation
                seen.add(name)
                yield Found(name, True, m.start(), m.end())
            elif name == "crop_padding":
                if not _CROP.search(sentence):
                    continue  # padding for a random crop ("4 pixels are padded on each side, and a 32×32 crop")
                seen.add(name)
                yield Found(name, int(next(g for g in m.groups() if g)), m.start(), m.end())
            elif name == "scale_augment":
                side = _SIDE_RANGE.search(sentence)
                if side is None:
                    continue
                low, high = int(side.group(1)), int(side.group(2))
                if not 16 <= low < high <= 4096:
                    continue
                seen.add(name)
                a, b = min(m.start(), left + side.start()), max(m.end(), left + side.end())
                yield Found(name, [low, high], a, b)
            else:  # a crop of a square size the training images are cut to ("a 224×224 crop is randomly sampled")
                # the square size nearest the crop word; one an image is resized or rescaled to is not the crop
                # ("resized to 256×256 and randomly cropped to 224×224")
                sizes = [s for s in _CROP_SIZE.finditer(sentence) if s.group(1) == s.group(2)
                         and not _RESIZED.search(sentence[max(0, s.start() - 24): s.start()])]
                size = min(sizes, key=lambda s: abs(s.start() - (m.start() - left)), default=None)
                if size is None or not re.search(r"\brandom(?:ly)?\b|\btrain", sentence, _I):
                    continue
                seen.add(name)
                a, b = min(m.start(), left + size.start()), max(m.end(), left + size.end())
                yield Found(name, int(size.group(1)), a, b)


def find_procedure(text: str) -> Iterator[Found]:
    """Step schedules, Nesterov momentum and data augmentation stated on one page's text."""
    yield from _decays(text)
    yield from _staged(text)
    for m in _NESTEROV.finditer(text):
        left, right = _sentence(text, m.start(), m.end())
        if _WE.search(text[left:right]):
            yield Found("nesterov", True, m.start(), m.end())
            break
    yield from _augmentation(text)
