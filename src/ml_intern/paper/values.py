"""How papers state hyperparameter values, as general rules: names (words, symbols and subscripts as text
extraction leaves them), numbers (lost superscripts, k/M/B suffixes, ``2^19 = 524,288``), lists, grids and
ranges, ``name = value``, ``value name`` and hyperparameter-table rows; and the contexts in which a number is
not that field's value for training this model (inference batch sizes, corpus sizes, warm-up lengths, figure
captions, other works' numbers).

``find_values(text)`` yields every (name, value, start, end) these rules find on one page's text; the extractor
gives each its quote and setting.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

_I = re.IGNORECASE

# A number as papers print it: 0.001, 1e-3, 1,797, 3 × 10^-4, 2^19, 370K, 1.2M, and text whose superscripts were lost:
# "10−4" (unicode minus straight after 10) is 1e-4, "5 · 10−4" and "5.10−4" are 5e-4; another number then a minus sign
# and a digit is a power whose base is lost ("5−5" of 5·10⁻⁵), no number; a times sign may be a star ("6 ∗ 10−4");
# an exponent's minus may stand apart ("5e − 4", as a formula sets it).
_N = (r"(?<![\w.^])(?:\d{1,2}\s*\^\s*\d{1,2}(?![\d.])|(?:\d+(?:\.\d+)?\s*[×x·∗*]\s*|\d(?:\.\d+)?\.(?=10−))?10\s*\^?\s*[-−]\s*\d+(?!\d|\.\d)"
      r"|(?:\d{1,3}(?:,\d{3})+|\d+(?!,\d{3}))(?:\.\d+)?(?:\s*[eE](?:[-−+]?\d+|\s*[-−]\s*\d+))?(?:\s*[×x·∗*]\s*10\s*\^?\s*[-−]?\d+)?"
      r"(?:[KkMB]|\s(?:million|billion))?(?![\w]|−\d)"
      r"|\.\d+)")
NUM = "(" + _N + ")"


def parse_number(text: str) -> float | int:
    """Parse a number as printed in a paper; ints stay ints."""
    t = text.replace("−", "-").replace(",", "").replace(" ", "").replace("million", "M").replace("billion", "B")
    t = t.replace("∗", "×").replace("*", "×")
    scale = 1
    if t[-1:] in ("K", "k", "M", "B"):
        scale, t = {"K": 1000, "k": 1000, "M": 1_000_000, "B": 1_000_000_000}[t[-1]], t[:-1]
    if m := re.fullmatch(r"(\d{1,2})\^(\d{1,2})", t):  # a power as typed: 2^19
        return int(m.group(1)) ** int(m.group(2))
    m = re.fullmatch(r"(?:([\d.]+?(?:[eE][-+]?\d+)?)[×x·.])?10\^?(-\d+)", t)
    if m:  # a lost superscript: 10−4, 5·10−4, 5.10−4
        return float(f"{float(m.group(1) or 1) * 10.0 ** int(m.group(2)):.12g}")
    m = re.fullmatch(r"([\d.]+(?:[eE][-+]?\d+)?)(?:[×x·]10\^?(-?\d+))?", t)
    if not m:
        raise ValueError(f"not a number: {text!r}")
    base = float(m.group(1))
    if m.group(2) is not None:
        base = float(f"{base * 10.0 ** int(m.group(2)):.12g}")  # 6.0 × 10−4 is 0.0006, not 0.0006000000000000001
        if int(m.group(2)) > 0 and base.is_integer():
            return int(base)  # a count: 60 × 10^4 iterations
    elif re.fullmatch(r"\d+", m.group(1)):
        return int(m.group(1)) * scale
    return base * scale if scale == 1 else int(base * scale) if (base * scale).is_integer() else base * scale


# a value as stated: a number, "2^19 = 524,288" (the evaluated side counts), or a percentage
_VALUE = _N + r"(?:\s*=\s*" + _N + r")?(?:\s*%)?"
# several values: "0.9, 0.98 and 0.999", "16 or 32", "0.1/0.4/0.5", "{1e-5, 2e-5}", "(5e-4, 3e-4, 5e-5)"
_SEP = r"\s*(?:,\s*(?:and\s+|or\s+)?|/|\bor\b|\band\b)\s*"
# (a number run into a word is not one of the list: "dff = 2,048, 8-headed attention")
_VALUES = r"(" + _VALUE + r"(?:" + _SEP + _VALUE + r"(?![-‐][A-Za-z]))*)"
_BRACED = r"[{(]\s*(" + _VALUE + r"(?:" + _SEP + _VALUE + r")+)\s*[})]"
_RANGE = (r"(?:from|between)\s+(" + _VALUE + r")\s+(?:(?:[\w-]+\s+){0,4}?to|and)\s+(" + _VALUE
          + r")")  # ("between 1e-5 and 1e-3": a range too)

# How papers name each canonical field: words, abbreviations, and symbols with their subscripts flattened.
NAMES: dict[str, str] = {
    "learning_rate": r"(?:(?:initial|base|peak|maximum|max|starting|constant|global)\s+)?(?:learning[ _-]?rates?|LR)"
                     r"(?:\s*\(LR\))?|shrinkage(?:\s*\(?(?:η|eta)\)?)?"
                     # the optimizer's step size, as optimization and RL papers name the rate ("Adam stepsize 3e-4",
                     # "step size α = 0.001"); not a step schedule's "step size of 30 epochs"
                     r"|(?:Adam\w*|SGD|Adagrad|Adadelta|RMSprop|optimi[sz]er(?:['’]s)?)\s+(?:with\s+(?:an?\s+)?)?"
                     r"(?:global\s+)?step[ -]?sizes?"
                     r"(?:\s+parameters?)?|step[ -]?size\s+(?:α|η|alpha|eta)(?![\w-])"
                     r"|(?<![\w-])eta(?=\s*=\s*\d)",  # (a boosting library's parameter: "eta = 0.1")
    # (an AWD-LSTM's "BPTT batch size of 70" is the length it unrolls, ``seq_len``)
    "batch_size": r"(?<!BPTT )(?:(?:training|global|total|effective)\s+)?(?:mini-?)?batch[ _-]?sizes?|(?<![\w-])bsz?(?=\s*=\s*\d)"
                  r"|(?:mini-?)?batch(?:es)?\s+of\s+size"  # ("minibatches of size 32")
                  r"|(?<![\w-])bsz(?=\s+(?:to|of)\s+\d)|(?<![\w-])(?-i:bsz?)(?=\s+\d+\s*[,;.)]|\s+\d+$)"
                  # the terse "batch 128" (not "batch 3 of the second epoch")
                  r"|(?<![\w-])(?:mini-?)?batch(?=\s*[=:]?\s*\d[\d,.kK]*(?!\s*(?:%|[×x]|GB|MB|hours?|images? per|"
                  r"\w*\s+of\b)))",
    "epochs": r"(?:(?:number of|training|total)\s+)+epochs|(?<!warmup )(?<!warm-up )(?<!warm up )epochs"
              r"|(?:num|n|max|train|num_train)_epochs",
    "max_steps": r"(?:number of|total|training)\s+(?:(?:training|gradient|optimi[sz]ation)\s+)?(?:steps|iterations|updates)"
                 r"|(?:training|train|max(?:imum)?|total)\s+steps|max_steps"
                 # a boosting library's rounds: "num_round = 500", "n_estimators=1000"
                 r"|(?<![\w-])(?:n_estimators|num_boost_round|num_rounds?|nrounds?)(?=\s*=\s*\d)"
                 # ("The number of trees is 5000")
                 r"|number\s+of\s+(?:boosting\s+)?(?:trees|boosting\s+rounds|estimators)",
    "warmup_steps": r"(?:number of\s+)?warm-?up[ _](?:steps|iterations|updates)|warmup_steps",
    "weight_decay": r"weight[ _-]?decay(?:\s+(?:rate|coefficient|factor))?|(?<![\w-])wd(?=\s*[=:]?\s*\d)"
                    r"|(?:L|ℓ|𝓁)2[ -](?:regulari[sz]ation|penalty|weight|coefficient)(?:\s+(?:weight|coefficient|multiplier|"
                    r"strength|term|parameter))?(?:\s+with\s+(?:a\s+)?(?:regulari[sz]ation\s+)?(?:coefficient|weight|"
                    r"strength))?",
    "momentum": r"(?:Nesterov\s+|SGD\s+)?momentum(?:\s+(?:coefficient|term|parameter|rate))?(?!\s+(?:term\s+)?(?:β|beta)_?[12])",
    # (not "weight dropout", DropConnect's on a layer's weights: "weight dropout of 0.5 to the hidden-to-hidden matrix";
    # nor a dropout of other things than units: "an expert dropout of 0.4", "word dropout", "token dropout", "edge
    # dropout"; nor a predictor's or a discriminator's: "Variance Predictor Dropout 0.5")
    "dropout": r"(?<!weight )(?<!weight-)(?<!expert )(?<!word )(?<!token )(?<!edge )(?<!path )(?<!predictor )"
               r"(?<!discriminator )"
               r"(?:(?:residual|attention|hidden|embedding|classifier|input|output)\s+)?drop-?out"
               # ("a dropout layer with rate = .5", "a dropout layer with a rate of 0.3")
               r"(?:\s+layers?(?=\s+(?:with|of)\s+(?:a\s+)?(?:rate|ratio|probability)\b))?(?:\s+(?:(?:with|of)\s+"
               r"(?:a\s+)?)?"
               r"(?:rate|ratio|probability|prob\.?|value))?|drop-?outs(?:\s+with\s+a\s+rate)?|P_?drop"
               r"|(?<![\w-])lora_dropout(?=\s*[=:]\s*\d)",  # (peft's key: a LoRA paper's dropout is its adapters')
    # stochastic depth (Huang et al., 2016): the rate at which a network's blocks are dropped ("stochastic depth rate
    # of 0.1", a table's "Stoch. depth 0.1", timm's "drop_path = 0.1")
    # (its drop rate, never a survival probability: "stochastic depth with survival probability 0.8" is not read)
    "drop_path_rate": r"stoch(?:astic|\.)\s+depth(?:\s+(?:with\s+(?:a\s+)?)?(?:drop(?:ping)?\s+)?(?:rate|ratio|probability|"
                      r"prob\.?)s?)?(?!\s+(?:with\s+(?:a\s+)?)?(?:survival|keep))"
                      # ("ScheduledDropPath with a drop probability of 0.3")
                      r"|(?:Scheduled)?drop[ _-]?path(?:[ _]rate|\s+with\s+(?:a\s+)?(?:drop\s+)?(?:rate|probability))?"
                      r"|path\s+dropout(?:\s+(?:of\s+)?(?:rate|probability))?",  # ("path dropout of probability 0.2")
    # layer-wise learning-rate decay, as fine-tuning papers name it ("layer-wise learning rate decay of 0.65", a
    # table's "layer-wise lr decay 0.75", "LLRD 0.8", "layer_decay = 0.75")
    "layer_decay": r"layer[- ]?wise\s+(?:learning[ -]rate|lr)\s+decay(?:\s+(?:rate|factor))?|(?<![\w-])LLRD|layer_decay",
    # RandAugment's settings by their names (its usual forms, "RandAugment (9, 0.5)", "N = 2 and M = 9" and timm's
    # "rand-m9-mstd0.5", are read together: ``_RANDAUG_PAIR`` and its kin)
    "randaugment_magnitude": r"rand-?aug(?:ment)?(?:['’]s)?\s+magnitude",
    "randaugment_ops": r"rand-?aug(?:ment)?(?:['’]s)?\s+(?:number\s+of\s+)?(?:operations|ops|layers)",
    "randaugment_std": r"rand-?aug(?:ment)?(?:['’]s)?\s+magnitude\s+(?:std|standard\s+deviation|noise)",
    # the image augmentations and the weight average papers train with: mixup's and CutMix's α (the Beta
    # distribution's: "mixup with α = 0.2", "Mixup alpha 0.8", a table's "cutmix 1.0"), random erasing's probability
    # ("Random Erasing 0.25"), the decay of an exponential moving average of the weights ("EMA decay 0.9999")
    "mixup_alpha": r"mix-?up(?:\s+(?:with\s+(?:a\s+|an\s+)?)?(?:alpha|α|ratio|coefficient|parameter|strength))?",
    "cutmix_alpha": r"cut-?mix(?:\s+(?:with\s+(?:a\s+|an\s+)?)?(?:alpha|α|ratio|coefficient|parameter|strength))?",
    "random_erasing": r"random[ -]erasing(?:\s+(?:with\s+(?:a\s+)?)?(?:prob(?:ability|\.)?|rate|ratio))?"
                      r"|(?<![\w-])erasing\s+prob(?:ability|\.)?",
    "ema_decay": r"(?:exponential\s+moving\s+averages?|exp\.\s+mov\.\s+avg\.|EMA)(?:\s+\(EMA\))?(?:\s+(?:of|on)\s+(?:the\s+)?"
                 r"(?:model\s+)?(?:weights|parameters))?(?:\s+(?:is|are)\s+(?:applied|used),?)?"
                 r"(?:\s+(?:with\s+(?:a\s+)?)?(?:decay|momentum)(?:\s+(?:rate|factor))?)?",
    # RMSProp's smoothing constant, as papers in TensorFlow's terms name it: its "decay" (torch's alpha) where RMSProp
    # itself names it ("RMSProp optimizer with decay 0.9", "RMSProp with a decay of 0.9", "RMSProp (decay = 0.9"); a
    # bare "decay" is a learning rate's or a weight's
    "rmsprop_alpha": r"RMS-?Prop(?:Optimi[sz]er)?(?:['’]s)?(?:\s+optimi[sz]er)?(?:\s*\(\s*|\s+with\s+(?:(?:a|its|both)\s+)?|\s+)"
                     r"(?:decay|smoothing\s+constant)(?:\s+(?:rate|factor|constant))?(?!\s+(?:of|to)\s+(?:the\s+)?"
                     r"(?:learning|lr)\b)",
    "label_smoothing": r"label[ -]smoothing(?:\s+(?:with\s+(?:a\s+)?)?(?:value|factor|rate|parameter|coefficient))?"
                       r"|[ϵε]_?ls|(?<![\w-])smoothing(?=\s*=\s*\d)"  # ("label smoothing (smoothing=0.1)")
                       r"|label[ -]smooth(?=\s+\d)",  # (a table's row: "Label Smooth 0.1 0.1 0.0")
    "grad_clip": r"(?:(?:gradient|grad\.?)(?:\s*\(norm\))?[ -](?:norm[ -])?clip(?:ping)?"
                 r"(?:\s+(?:norm|threshold|value|at(?:\s+(?:a\s+)?global\s+"
                 r"norm)?))?"  # ("gradient clipping at global norm 1")
                 r"|max(?:imum|imal)?[ -]grad(?:ient)?[ -]norm|clip(?:ped|ping)?\s+(?:the\s+)?(?:gradients?|grad(?:ient)?"
                 r"\s+norms?)(?:\s+norms?)?|(?:L2-)?norm of the gradients?)(?:\s+with\s+(?:a\s+)?(?:threshold|max(?:imum|imal)?"
                 # ("gradient clipping with a maximal gradient norm of 0.1", "a maximum norm value of 32")
                 r"\s+(?:gradient\s+)?norm(?:\s+value)?|norm|value))?"
                 # a clipping's value, where its sentence clips gradients (``find_values``: "We apply gradient clipping
                 # by the global norm …, with a clipping value of 0.1"; not a PPO ratio's)
                 r"|clipping\s+(?:value|threshold)"
                 # the passive: "Gradients are clipped at 1.0", "gradient norms were clipped to 5"
                 r"|(?:gradients?|gradient\s+norms?|grad(?:ient)?\s+norm)\s+(?:are|were|is|was)\s+clipped(?=\s+(?:at|to)\s+\d)",
    "adam_beta1": r"β ?_?1|beta_?1",  # (a subscript the PDF's text sets apart: "β 1 = 0.9")
    "adam_beta2": r"β ?_?2|beta_?2",
    "adam_epsilon": r"(?:Adam(?:'s)?\s+)?(?:epsilon|ϵ|ε)(?![\w_])|(?<![\w-])eps(?=\s*=\s*\d)",
    "num_layers": r"(?:number of\s+)?(?:(?:hidden|transformer|encoder|decoder|LSTM)\s+)?(?:layers|blocks)"
                  r"|(?<![\w-])(?:n_layers?|num_(?:hidden_)?layers)(?=\s*[=:]\s*\d)",  # (a config's keys: "n_layer = 12")
    "hidden_size": r"d_?model|d_?hidden|hidden[ -](?:size|dim(?:ension(?:ality)?)?s?|state size|layer size)"
                   r"|(?<![\w-])(?:n_embd|hidden_size)(?=\s*[=:]\s*\d)"
                   r"|model (?:dimension(?:ality)?|width)"
                   # a table's row or a name given its number: "number of hidden units per layer 256", "hidden units: 512"
                   r"|(?:number\s+of\s+)?hidden\s+units(?:\s+(?:per|in\s+each|of\s+each)\s+(?:hidden\s+)?layer)?(?=\s*[=:]?\s*\d)"
                   # "a hidden layer of 256 units": the width of the network's hidden layer
                   r"|hidden[ -]layers?(?=\s+of\s+\d+\s+(?:(?:ReLU|sigmoid|tanh|hidden)\s+)?(?:units|neurons|cells)\b)"
                   r"|hidden[ -]layers?\s+(?:of|with)\s+(?:a\s+)?(?:size|width)(?=\s+(?:of\s+)?\d)",  # ("a hidden layer of size 512")
    # (not the heads of keys and values, grouped or multi-query attention's: "Num KV heads 1 16")
    "num_heads": r"(?:number of\s+)?(?:attention\s+)?(?<!KV )(?<!K/V )(?<!key-value )(?<!key/value )heads|"
                 r"(?:attention\s+)?head\s+number|"  # ("head number H = 16")
                 r"(?<![\w-])(?:n_heads?|nhead|num_(?:attention_)?heads)(?=\s*[=:]\s*\d)",
    # the feed-forward block's width ("dff = 2048", "FFN inner hidden size 4096", "MLP size 3072"), not the model's
    "intermediate_size": r"d_?ff|d_?inner|inner[ -](?:dimension|size|dim)(?!ality)"
                         r"|(?:FFN|FF|MLP|(?:position-?wise\s+)?feed-?forward(?:\s+(?:network|layer|block)s?)?)\s+"
                         r"(?:(?:inner|hidden|intermediate)\s+)*(?:layer\s+)?(?:size|dim(?:ension(?:ality)?)?s?|width)"
                         r"|intermediate[ -]size|(?<![\w-])(?:dim_feedforward|ffn_dim|intermediate_size)(?=\s*[=:]\s*\d)",
    "patch_size": r"patch[ -]sizes?|patch[ -]resolution",
    # a word embedding's width (an LSTM tagger's, a word2vec's): "embedding dimension of 100", "word embedding size 50"
    # ("an embedding layer size of 620")
    "embedding_dim": r"(?:word[ -])?embedding[ -](?:layer[ -])?(?:size|dim(?:ension(?:ality)?)?s?)|d_?emb(?:ed)?"
                     r"|(?:word[ -])?embedding[ -](?:layer|vectors?)\s+(?:of|with)\s+(?:a\s+)?(?:size|dimension)(?=\s+(?:of\s+)?\d)",
    # a generated sequence's length and the beams it is searched with (a seq2seq model's evaluation)
    "target_len": r"(?:max(?:imum)?\s+)?(?:target|output|summary|generation)[ -](?:sequence[ -])?lengths?"
                  r"|max_target_length",
    "num_beams": r"beam[ -](?:size|width)|num_beams|number\s+of\s+beams|(?<![\w-])beam(?=\s+of\s+\d|\s*=\s*\d)",  # ("a beam of 4")
    "seq_len": r"(?:max(?:imum)?\s+)?(?:sequences?|context|input)[ -]lengths?|context (?:size|window)|seq_len"
               r"|BPTT(?:\s+(?:length|window|batch\s+size))?|back-?propagation[ -]through[ -]time\s+length"  # (a recurrent LM's unroll)
               r"|max_seq(?:uence)?_len(?:gth)?(?=\s*=\s*\d)"  # (a config's key: "max_seq_length=384")
               # a length counted in tokens: "truncated to a maximum length of 64 tokens"
               # (or under its symbol: "sequences of maximum length T = 512 tokens")
               r"|(?:max(?:imum)?\s+length|block[ _]size)(?=\s+(?:of\s+|is\s+|was\s+|=\s*|(?-i:[A-Za-z])\s*=\s*)?\d[\d,]*\s+"
               r"(?:sub-?word\s+|BPE\s+|word-?piece\s+)?"
               r"tokens\b)|(?<![\w-])block_size(?=\s*[=:]\s*\d)",  # (nanoGPT's name: "a block size of 1024 tokens")
    # (read only in a paper about LoRA: "LoRA with rank 16 and alpha 32", "r = 8, α = 16")
    "lora_rank": r"LoRA[ -](?:rank|r)(?!\w)|(?<![\w-])lora_(?:r|rank)(?=\s*[=:]\s*\d)|(?<![\w-])r(?=\s*=\s*\d)|(?<![\w-])rank(?=\s+(?:(?:of|to)\s+)?\d)"
                 r"|(?<![\w-])rank\s+\(?r\)?(?=\s*(?:[=:]|to)?\s*\d)",  # (a table's row: "Rank r 8", "rank (r) 16"; "the rank r to 8")
    "lora_alpha": r"LoRA[ -](?:alpha|α)|(?<![\w-])(?:α|alpha|lora_alpha)(?=\s*=\s*\d)|(?<![\w-])alpha(?=\s+(?:(?:of|to)\s+)?\d)"
                  # ("a scaling factor α of 16", "We set the LoRA scaling α to 16")
                  r"|scaling(?:\s+(?:factor|parameter))?\s+(?:α|alpha)(?=\s+(?:of\s+|to\s+|=\s*)?\d)",
    "warmup_ratio": r"warm-?up[ _](?:ratio|fraction|proportion)",
    "warmup_epochs": r"(?:number of\s+)?warm-?up[ _]epochs",
    "lr_decay_factor": r"(?:learning[ -]rate\s+)?decay(?:\s+(?:rate|factor))|lr_decay",
    "max_depth": r"max(?:imum)?[ -](?:tree[ -])?depth|tree[ -]depth|max_depth",  # (boosted trees, forests)
    # a boosting library's row and column sampling and its leaves' minimum weight ("subsample = 0.8",
    # "colsample_bytree = 0.8", "a column subsampling rate of 0.5", "min_child_weight = 1")
    # (LightGBM's names for the same: "bagging_fraction", "feature_fraction")
    "subsample": r"(?<![\w-])subsample(?:\s+(?:ratio|rate))?|(?:row|instance)\s+sub-?sampling(?:\s+(?:ratio|rate))?"
                 r"|bagging[ _]fraction",
    "colsample_bytree": r"colsample_bytree|(?:column|feature)\s+sub-?sampling(?:\s+(?:ratio|rate))?|feature[ _]fraction",
    "min_child_weight": r"min_child_weight|min(?:imum)?\s+child\s+weight",
}
# names a table row or a "name = value" may give with a bare symbol only where the text around it (its sentence
# and the one before) says what the symbol is, and (third) does not say it is another thing's
_SYMBOLS: dict[str, tuple[str, str, str | None]] = {
    "num_layers": (r"(?<![\w-])(?-i:[NL])(?=\s*=\s*\d)", r"\blayers\b|\bblocks\b|\bdepth\b", None),
    "num_heads": (r"(?<![\w-])(?-i:h)(?=\s*=\s*\d)", r"\bheads?\b", None),
    # a bare ε is Adam's where the text around names an optimizer or its betas, not a value something is initialised
    # to ("the LayerScale matrices are initialized to a fixed small value ε: … ε = 10−5 for depth 24")
    "adam_epsilon": (r"(?<![\w-])[ϵε](?![\w_])", r"\bAdam|\boptimi[sz]|\bRMS-?prop|β\s*_?[12]|\bbetas?\b",
                     r"\binitiali[sz]\w*|\bLayerScale\b|\bgreedy\b|\bexplor\w*"),
    # "label smoothing … We fix ε = 0.1": the smoothing's ε, not Adam's
    "label_smoothing": (r"(?<![\w-])[ϵε](?=\s*=\s*\d)", r"\blabel[ -]smooth", r"\bAdam|\boptimi[sz]er"),
    # "12 layers, a width of 768 and 12 heads": a bare width is the model's where its sentence gives its layers or
    # heads (not a width multiplier's, a kernel's or a layer's)
    "hidden_size": (r"(?<![\w-])width(?=\s+(?:of\s+|is\s+|=\s*)?\d)", r"\blayers\b|\bheads\b|\bblocks\b",
                    r"\bmultiplier\b|\bkernel|\bfilter|\bconv|\bchannel|\bwidth\s+of\s+(?:the|each|every)\b|"
                    # (an image's: "Image Width 84")
                    r"\b(?:image|input|frame|crop|screen|observation)\s+(?:width|height)\b"),
    # "Adam (α = 0.0002, β1 = 0.5)": Adam's own name for its step size, where its sentence names Adam or gives the
    # betas and no other α (LoRA's scaling, mixup's or a loss's weight)
    "learning_rate": (r"(?<![\w-])(?-i:α)(?=\s*=\s*\d)", r"\bAdam|β\s*_?[12]\s*=\s*\d",
                      r"\bLoRA\b|\bmix-?up\b|\bcut-?mix\b|\bfocal\b|"
                      r"\bDirichlet\b|\b(?:loss|weight(?:ing|ed)?|trade-?off|balanc\w*|coefficient|temperature)\b"),
}
_CITE = r"(?:\s*\[[\d,\s–-]+\]|\s*\([A-Z][^()]{0,60}\d{4}\))?"  # "[12]", "(Srivastava et al., 2014)"
# between a name and its value: a parenthesis, a citation, or a few words that end in a connector ("was set to")
# ("with p = 0.1", "with λ = 0.01": the value under the symbol the sentence gives it)
# (a symbol, primed for a second model's: "the hidden size d'=312")
_CONNECT = (r"(?:\s+(?:of|is|was|were|to|at|set to|set as|equal to|equals?|as|"
            r"(?:with )?(?-i:[a-zA-Zα-ωϵ])['’′]?(?:_?\w)?(?=\s*=)|"
            r"(?:starts?|started|starting|begins?|began) (?:from|at|with)|"
            r"initiali[sz]ed (?:as|to|at|with))|\s*[:=])*\s*")
# words that end the phrase about one field: "momentum and a batch size of 256" gives no momentum of 256
_STOP = (r"(?:and|with|by|every|after|first|warm-?up|factor|multipliers?|decay(?:ed|s)?|momentum|"
         r"(?:mini-?)?batch(?:es)?|dropout|weight|epochs?|"
         r"steps?|iterations?|updates?|for|then|multiplied|divided|reduced|increased|decreased|halved|doubled|"
         r"times|layers?|heads?|units?|length|size|rate|scaled?|than|but|which|while|whereas)")
# a name's source between it and its value: "L2 regularization proposed in [37], with w = 0.01"
_PROPOSED = (r"(?:,?\s+(?:as\s+)?(?:proposed|introduced|described|suggested|defined)\s+(?:in|by)\s+"
             r"(?:\[[\d,\s–-]+\]|[A-Z][\w-]+(?:\s+et\s+al\.)?\s*(?:\(\d{4}\)|\[[\d,\s–-]+\]))\s*(?=,|\s+with\b),?)?")
_GAP = (r"(?:\s*\([^()]{0,40}\))?" + _CITE + _PROPOSED + r"(?:(?:\s+(?!" + _STOP + r"\b)[\w()'-]+){0,6}?\s*\b(?:of|to|at|is|was|"
        r"are|were|=|be|set\s+as)\s+|" + _CONNECT + ")")  # ("the base learning rate η is set as 1.6")

# a model size as papers name one: a parameter count ("1.3B", "175B", "117M") or a size word, alone or ending a model's
# name ("Large", "BERT-Large", "XXL"); a list of them ("the 1.3B, 6B, and 175B models")
_COUNT = r"(?:[A-Z][\w.]*-)?\d+(?:\.\d+)?\s?[MBT](?![\w-])"
_SIZE_WORD = r"(?:[A-Z][\w.]*[-_ ])?(?:[Bb]ase|[Ll]arge|[Ss]mall|[Tt]iny|[Hh]uge|[Mm]edium|[Bb]ig|XX?L|BASE|LARGE|" \
    r"SMALL|TINY|HUGE|MEDIUM)\b" \
    r"|(?:[a-z]+\s+)?[A-Z][\w.]*-(?:Ti|T|S|M|B|L|H|XX?L)(?:/(?:Ti|T|S|M|B|L|H|XX?L))+(?![\w/-])" \
    r"|(?:[a-z]+\s+)?[A-Z][\w.]*-(?:Ti|T|S|M|B|L|H)(?:/\d{1,2})?(?![\w/-])"
# (variants by letter, of a kind the paper may name: "ConvNeXt-S/B/L", "isotropic ConvNeXt-S/B/L"; one alone,
# "ViT-B", "ViT-L/16")
_ONE_SIZE = rf"[“\"]?(?:{_COUNT}|{_SIZE_WORD})[”\"]?"  # (a size in quotes: 'For the “3B” variant')
_SIZE_LIST = rf"{_ONE_SIZE}(?:(?:,\s*(?:and\s+)?|\s+and\s+|\s*/\s*){_ONE_SIZE})*"
SIZES_NAMED = rf"({_SIZE_LIST})"
MODEL_WORD = r"(?:parameters?\s+)?(?:[\w-]+\s+)?(?:models?|variants?|networks?|versions?|settings?|configurations?)\b"
# "The learning rates for the 1.3B, 6B, and 175B models are 5e-6, 1e-5 and 2e-6, respectively"
_FOR_SIZES = rf"(?:['’]?s)?\s+for\s+(?:the\s+|our\s+)?{_SIZE_LIST}[\s-]+{MODEL_WORD}\s+(?:are|were|is|was)\s+"
# models a value is stated for, by their sizes: "for 1.3B and 6B models", "for the 175B model", "for models up to 13B"
# (a size alone where the clause ends there: "for BERT-Large, and", not "for 1.3B tokens")
SIZE_ALONE = r"(?=\s*(?:[,.;:)]|\s+(?:and|or|while|but|whereas)\b|$))"
_FOR_SIZE = (rf"for\s+(?:the\s+|our\s+|all\s+)?(?:{_SIZE_LIST}(?:[\s-]+{MODEL_WORD}|{SIZE_ALONE})|{MODEL_WORD}\s+"
             rf"(?:(?:of|with)\s+)?(?:up\s+to|below|under|above|over|(?:smaller|larger|bigger)\s+than|at\s+(?:most|least))"
             rf"\s+{_SIZE_LIST})")
# one value per model size, in one clause: "a batch size of 32 for 1.3B and 6B models and 8 for the 175B model",
# "dropout of 0.1 for models up to 13B and 0.05 for 33B and 65B models": after the first value and its sizes, the next
# ("0.1 for ViT-B, 0.2 for ViT-L and 0.3 for ViT-H": each, in a list of them)
_NEXT_FOR_SIZE = re.compile(rf"\s*{_FOR_SIZE}\s*(?:,\s*(?:(?:and|while|but|whereas)\s+)?|\s+(?:and|while|but|whereas)\s+)"
                            rf"({_N}(?:\s*%)?)\s+(?={_FOR_SIZE})")
# the same name's value for other sizes in a clause of their own, the name left out: "The 7B and 13B models use a
# learning rate of 3e-4, while the 33B and 65B models use 1.5e-4", "… and the 12B model 1.2 × 10−4" (its verb left
# out too)
_NEXT_WHILE_SIZE = re.compile(rf"\s*,?\s+(?:while|whereas|but|and)\s+(?:the\s+|our\s+)?{_SIZE_LIST}[\s-]+"
                              rf"{MODEL_WORD}\s+"
                              rf"(?:(?:uses?|used|takes?|took|gets?|got|has|have|had)\s+)?(?:only\s+)?({_N}(?:\s*%)?)"
                              r"(?=\s*(?:[.;,)]|$))")

_SIZE_WORDS = {"tiny": 1, "ti": 1, "small": 2, "s": 2, "base": 3, "b": 3, "medium": 3.5, "m": 3.5, "large": 4, "l": 4,
               "big": 4,
               "xl": 5, "xxl": 6, "huge": 7, "h": 7, "giant": 8, "g": 8}


def size_rank(label: str) -> float | None:
    """How large a model size is, to find a paper's largest: its parameter count, else its size word's rank."""
    if m := re.search(r"(\d+(?:\.\d+)?)\s?([MBT])(?![\w-])", label):
        return float(m.group(1)) * {"M": 1e6, "B": 1e9, "T": 1e12}[m.group(2)]
    for token in reversed(re.split(r"[\s/_-]+", label)):
        if token.lower() in _SIZE_WORDS:
            return float(_SIZE_WORDS[token.lower()])
    if m := re.search(r"(TINY|SMALL|BASE|MEDIUM|LARGE|XXL|XL|HUGE|Tiny|Small|Base|Medium|Large|Huge|"
                      r"(?<=[0-9A-Z])(?:tiny|small|base|medium|large|huge))$", label):
        return float(_SIZE_WORDS[m.group(1).lower()])  # a size set as a subscript, run into the name: "BERTLARGE",
        # "E5small"
    return None


_SIZES = {"num_layers", "hidden_size", "num_heads", "seq_len", "intermediate_size", "patch_size", "embedding_dim"}
# the symbols papers give a size ("N = 6 layers", "h = 8 heads", "dmodel = 512", "T = 512 tokens"); another symbol
# between a size's name and a number is another quantity's ("blocks with k = 5", "all layers λ=1")
_OWN_SYMBOLS = {"num_layers": {"N", "L"}, "num_heads": {"h", "H", "A"}, "hidden_size": {"d", "D", "H", "dmodel", "d_model"},
                "seq_len": {"T", "L", "n", "N"}, "intermediate_size": {"dff", "d_ff", "ff"}, "patch_size": {"P", "p"},
                "embedding_dim": {"d", "E", "e", "demb", "d_emb"}}


def _own_symbol(name: str, symbol: str, named: str) -> bool:
    """Whether ``symbol``, between a size's name (``named``) and its value, is that size's: one papers give it ("N",
    "dmodel"), primed for a second model ("d'" of a student), or any letter, subscripted or not, after the size's
    name in full ("the number of layers M=4", "the filter size d'i=1200"), not after a bare noun ("all layers λ=1")."""
    bare = re.sub(r"['’′]", "", symbol)
    return bare in _OWN_SYMBOLS.get(name, ()) or bool(
        re.fullmatch(r"[A-Za-z]['’′]?_?[A-Za-z\d]?", symbol)
        and re.search(r"\b(?:number(?:\s+of\s+[\w-]+)?|size|dimension\w*|width)\s+$", named, _I))


_CHANGE = r"\b(?:increas|decreas|expand|grow|reduc|enlarg|shrink|scal|extend)\w*"
# a rate's range that is its schedule's, not a search's: "a cosine schedule from 3e-4 down to 3e-5"
_SCHEDULED = re.compile(r"\b(?:cosine|schedul)\w*|\bdown\s+to\b", _I)
_TUNED = re.compile(r"\b(?:tun(?:e|ed|ing)|search\w*|sweep\w*|swept|grid|tr(?:y|ied)|var(?:y|ied))\b", _I)
_RANGE_GAP = _CITE + r"(?:\s+(?!(?:and|with|by|for|but)\b)[\w'-]+){0,4}?\s+"
_STEPS = r"(?:steps|iterations|updates)"
# a schedule that runs over the training: "a cosine schedule over 50 epochs", "annealed to zero over 100k steps"
_SCHEDULE_OVER = re.compile(r"\b(?:cosine|linear(?:ly)?\s+(?:decay\w*|anneal\w*)|polynomial|anneal\w*|decay\w*\s+"
                            r"(?:[\w-]+\s+){0,4}?to\s+(?:zero|0))\b(?:(?!averag|mean|report|measur|evaluat|smooth|comput|warm)[^.;]){0,60}?\bover\s+(?:the\s+(?:course\s+of\s+)?)?$", re.I)
_BEFORE = {  # what, just before a count, makes it a schedule point or a part of something else
    "epochs": r"\b(?:every|first|at|by|last|after|each|per|than|around|about|roughly|nearly|approximately|within|"
              r"least|only|over|warm-?up(?: of)?|in)\s+$|[∼~≈]\s*$"  # ("1.25M iterations (∼1.4 epochs of the data)": the
              # length another way, roughly)
              # an RL update's passes over its rollouts: "each update uses 4 epochs", "every iteration we run 10 epochs"
              r"|\b(?:each|every|per)\s+(?:policy\s+|PPO\s+|training\s+)?(?:update|iteration)\s*,?\s+(?:uses|takes|"
              r"performs|runs|consists\s+of|we\s+(?:run|perform|use|make|do|take))\s+$",
    "max_steps": r"\b(?:every|first|at|by|last|each|per|than|around|about|roughly|nearly|approximately|within|least|"
                 r"only|warm-?up(?: of| for| over)?|burn-?in(?: of| for| over)?|over|in)\s+$|[∼~≈]\s*$"
                 # (a burn-in, Darknet's warm-up: "a burn-in of 1000 iterations"); a recurrent model's unrolling ("The
                 # update operator is unrolled for 12 iterations") and a later
                 # period of a list ("decayed … every 400k and 350k steps, respectively")
                 r"|\bunroll(?:ed|ing|s)?\s+(?:for\s+|over\s+)?$"
                 # a masked span's length ("mask spans of l = 10 steps")
                 r"|\bspans?\s+of\s+(?:length\s+)?(?:(?-i:[a-zA-Z])\s*=\s*)?$"
                 # an epoch's length ("with one epoch being defined as 250 training iterations", "1,000 (× 250
                 # iterations)")
                 r"|\bepoch\s+(?:being\s+|is\s+|was\s+)?(?:defined\s+as\s+|consist(?:s|ing)\s+of\s+|equal\s+to\s+)?$"
                 r"|\(\s*[×x]\s*$"
                 r"|\bevery\s+\d[\d.,]*[kKM]?(?:\s*(?:,|and|or)\s*\d[\d.,]*[kKM]?)*\s*(?:,|and|or)\s*$",
}
# the last of a schedule's points ("divided by 10 at 32k and 48k iterations", "at 20K, 28K iterations", "halved at
# [50k, 100k, 200k] iterations"): a milestone, not the length
_MILESTONE = (r"\b(?:at|after)\s+(?:epochs?\s+)?\[?\d[\d.]*[kK]?(?:\s*,\s*\d[\d.]*[kK]?)*(?:,?\s+(?:and|&)\s+|\s*,\s*)$")
# the value a change starts from, or one replaced: "extended to 300 epochs from the original 90 epochs for ResNets",
# "instead of the usual 100 epochs", "instead of the PyTorch default of β = (.9, .999)" (a library's default named)
_REPLACED = (r"\b(?:from|instead\s+of|rather\s+than)\s+(?:the\s+|its\s+|their\s+)?(?:[A-Z][\w.-]*\s+)?(?:original|"
             r"default|standard|usual|previous|typical|common|baseline|conventional)(?:\s+values?)?(?:\s+of)?\s+$")
# a step schedule's period: "a step size of 30 epochs", "decay step of 10k iterations"
_PERIOD = r"\b(?:step[ -]?size|decay[ -]steps?|step[ -]length|period|interval)\s+(?:of\s+|is\s+|was\s+|=\s*|:\s*)?$"
# a range's upper end: "100–200 epochs depending on the dataset", "100 to 200 epochs", "two or three epochs",
# "between two and three passes over the dataset" (no one length; "from 30 to 90 epochs" is a change, not a range)
_RANGE_END = (r"(?<![\w.-])\d+(?:\.\d+)?[kK]?\s*[–—-]\s*$|(?<!from )(?<![\w.-])(?:\d+(?:\.\d+)?[kK]?|one|two|three|four|"
              r"five|ten)\s+(?:to|or)\s+$|\bbetween\s+\S+\s+and\s+$")
# a phase of the training, not its length: "over the next 100 epochs", "for another 10 epochs", "decaying to 1e-5
# starting after 50,000 iterations"
_PHASE = (r"\b(?:next|following|remaining|additional|further|another|extra)\s+$|"
          r"\b(?:start\w*|begin\w*|commenc\w*|kick\w*\s+in)\s+(?:after|at|from)\s+(?:epoch\s+|iteration\s+|step\s+)?$")
# (and a division's divisor: "2^18 /12 steps")
_BEFORE = {name: rf"(?:{before})|{_MILESTONE}|{_REPLACED}|{_PERIOD}|{_RANGE_END}|{_PHASE}|[/÷]\s*$"
           for name, before in _BEFORE.items()}


def _percent(raw: str, value: float | int) -> float | int:
    return round(float(value) / 100.0, 8) if raw.rstrip().endswith("%") else value


def _one(raw: str) -> float | int:
    """One stated value: ``2^19 = 524,288`` counts as its evaluated side; ``10%`` as 0.1."""
    numbers = re.findall(_N, raw)
    if not numbers:
        raise ValueError(raw)
    return _percent(raw, parse_number(numbers[-1]))


def _many(raw: str) -> list[float | int]:
    parts = re.findall(_VALUE, raw)
    return [_one(p) for p in parts if p.strip()]


class Found:
    """A value found at ``start:end``; ``label``: the row of a table it sits in, where the row names its own setting
    ("7B All 16 2e-4 10000": the row of the 7B model trained on All), else None; ``grid``: a table's cell holds a set of
    values ("{1e-5, 2e-5, 3e-5}"), the values its column was searched over."""

    __slots__ = ("name", "value", "start", "end", "label", "row", "grid")

    def __init__(self, name: str, value: object, start: int, end: int, label: str | None = None, row: bool = False,
                 grid: bool = False):
        self.name, self.value, self.start, self.end, self.label = name, value, start, end, label
        self.row = row or label is not None  # a table's cell: the prose around the table is not its context
        self.grid = grid


_RAMP = (r"\b(?:(?:linearly|gradually)\s+)?(?:increased|ramped(?:\s+up)?|raised)\s+(?:(?:linearly|gradually)\s+)?"
         r"(?:from\s+(?:zero|" + _N + r")\s+)?(?:(?:up\s+)?to\s+(?:its\s+(?:peak|maximum)(?:\s+value)?\s+"
         r"(?:of\s+)?)?" + _N + r"\s+)?(?:over|during|in|for)\s+the\s+first\s+")
# (from any rate: "increased from 0.0002 to 0.002 for the first 3k iterations")
# (name, pattern, which group holds the value(s)); value-then-name forms and the named phrasings of counts
_COUNT_RULES: list[tuple[str, re.Pattern[str]]] = [
    # a warm-up in epochs, as vision papers state it: "20 epochs of linear warm-up", "5 warmup epochs", "a linear
    # warm-up of 5 epochs", "warmed up linearly over the first 5 epochs"
    ("warmup_epochs", re.compile(r"(?<![\w.])(\d+(?:\.\d+)?|one|two|three|five|ten) (?:linear )?warm-?up epochs\b", _I)),
    # (or with no word between: "300 epochs with 5 epochs warm-up")
    ("warmup_epochs", re.compile(r"(?<![\w.])(\d+(?:\.\d+)?|one|two|three|five|ten) epochs (?:(?:of|for) )?(?:a )?"
                                 r"(?:linear |gradual )?"
                                 r"(?:learning[ -]rate )?warm-?up\b", _I)),
    # ("a 5-epoch linear warm-up", "a five-epoch warmup", as a step count is said: "a 1k-step linear warmup")
    ("warmup_epochs", re.compile(r"(?<![\w.])(\d+(?:\.\d+)?|one|two|three|five|ten)[- ]epoch (?:linear |gradual |cosine )?"
                                 r"(?:learning[ -]rate )?warm-?up\b", _I)),
    # ("We warm up the learning rate linearly for 5 epochs": its object between; not "warmup is extended to 50 epochs")
    ("warmup_epochs", re.compile(r"\bwarm(?:ed|ing)?[- ]?up (?:phase |period )?(?:linearly )?(?:(?:the|its|our) (?:[\w-]+ ){0,3}?)?"
                                 r"(?:of |for |over |during |lasting )?"
                                 r"(?:the first )?(\d+(?:\.\d+)?|one|two|three|five|ten) epochs?\b", _I)),
    ("epochs", re.compile(r"(?<![\w.-])((?:\d+,? )+and \d+) (?:training )?epochs\b")),  # (not "CIFAR-10 and 10 epochs")
    # (not "10 epochs per update": the passes over each batch of rollouts an RL update makes, not training's epochs)
    # (a count with its thousands grouped is one: "1,000 epochs", not the 000 after the comma)
    ("epochs", re.compile(r"(?<![\w.,])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|one|two|three|four|five|seven|nine|ten|"
                          r"fifteen|twenty|thirty|forty|fifty) (?:training |more |full )?epochs\b"
                          r"(?!\s+(?:per|for each|of each|in each)\s+(?:[\w-]+\s+)?(?:update|iteration|round)s?\b)")),
    # ("We fine-tune SBERT with a 3-way softmax-classifier objective function for one epoch")
    ("epochs", re.compile(r"\b(?:trained|train|training|fine-?tun(?:e|ed|es|ing)) (?:[\w-]+ ){0,8}?for (one|a single|1) "
                          r"epoch\b")),
    # "for roughly 90 cycles through the training set", "3 passes over the data": epochs
    ("epochs", re.compile(r"(?<![\w.])(\d+(?:\.\d+)?|one|two|three|four|five|ten) (?:full |complete )?(?:cycles|passes|sweeps)"
                          r" (?:over|through) (?:the |our )?(?:entire |whole |full )?(?:training )?(?:data|set|corpus|dataset|"
                          r"data ?set|examples)\b", _I)),
    # ("13k, 13k and 20k updates on SST-2, MNLI and QNLI respectively": one length a data set, as epochs' lists are)
    ("max_steps", re.compile(r"(?<![\w.-])((?:\d+(?:\.\d+)?[kKM]?,? )+and \d+(?:\.\d+)?[kKM]?) (?:training )?" + _STEPS
                             + r"\b")),
    ("max_steps", re.compile(NUM + r" (?:training |gradient |optimi[sz]ation |total )?" + _STEPS + r"\b", _I)),
    # "All networks were trained for 1 million mini-batches of size 2048": a step a mini-batch
    ("max_steps", re.compile(r"\btrain(?:ed|s|ing)?\s+(?:[\w-]+\s+){0,3}?for\s+" + NUM + r"\s+mini-?batch(?:es)?\b",
                             _I)),
    # "training is terminated at 64k iterations", "we stop training after 100K steps": where training ends
    ("max_steps", re.compile(r"\b(?:terminat|stop|end|finish|halt)\w*\s+(?:the\s+)?(?:training\s+)?"
                             r"(?:at|after|within)\s+" + NUM + r"\s+" + _STEPS + r"\b", _I)),
    # ("the training process is terminated within 210 epochs"; not a patience: "stop training after 16 epochs without
    # improvement")
    ("epochs", re.compile(r"\b(?:terminat|stop|end|finish|halt)\w*\s+(?:the\s+)?(?:training\s+)?(?:at|after|within)\s+"
                          r"(\d+)\s+epochs\b(?!\s+(?:without|with\s+no|of\s+no)\b)", _I)),
    # boosting: a tree (per class) a round, so the trees are the rounds ("with 500 trees", "1,000 boosting rounds")
    ("max_steps", re.compile(NUM + r" (?:boosted |regression |decision )?(?:trees|boosting (?:rounds|iterations)|rounds "
                             r"of boosting)\b", _I)),
    ("warmup_steps", re.compile(NUM + r" (?:linear )?warm-?up " + _STEPS, _I)),
    # "with 50 steps of warmup"
    ("warmup_steps", re.compile(NUM + r" " + _STEPS + r" (?:of )?(?:linear )?(?:learning[ -]rate )?warm-?up\b", _I)),
    ("warmup_steps", re.compile(NUM + r"[- ](?:step|iteration|update) (?:linear |cosine |gradual )?(?:learning[ -]rate )?"
                                r"warm-?up\b", _I)),  # "a 1k-step linear warmup"
    # ("a linear warm-up strategy [13] in the first 8k iterations")
    ("warmup_steps", re.compile(r"\bwarm[- ]?up (?:phase |period |stage |strategy |schedule )?(?:\[[\d,\s–-]+\] )?"
                                r"(?:of |for |over |during |in |lasts |lasted |takes |took |"
                                r"spans |is |was )?(?:the first )?(?:about |around |roughly |approximately )?" + NUM + r" "
                                + _STEPS, _I)),
    # "warmed up linearly over the first 4000 steps", "warmed up linearly for 2000 steps" (not "warm up and train for
    # 10k steps": the training's length)
    # ("We linearly warmup the learning rate from 0 to 1e-6 over 150 steps")
    ("warmup_steps", re.compile(r"\bwarm(?:ed|ing)?[ -]?up (?:linearly )?(?:(?!and\b|then\b|train)[\w.−-]+ ){0,8}?"
                                r"(?:over|for|during) (?:the first )?" + NUM + r" " + _STEPS, _I)),
    # a warm-up said by what it does: "increased from zero over the first 4000 steps", "linearly increased from 0 to
    # 1e-3 over the first 10 epochs", "ramped up linearly over the first 5 epochs"
    ("warmup_steps", re.compile(_RAMP + NUM + r" " + _STEPS, _I)),
    ("warmup_epochs", re.compile(_RAMP + r"(\d+(?:\.\d+)?|one|two|three|five|ten) epochs\b", _I)),
    # ("whose learning rate is increased linearly over the first 10% of the steps")
    ("warmup_ratio", re.compile(_RAMP + NUM + r"\s*% of (?:the )?(?:total )?(?:training|steps|iterations|updates)\b", _I)),
    # "warmed up linearly for the first 4% of updates", "warming up the learning rate for the first 8% of updates"
    ("warmup_ratio", re.compile(r"\bwarm(?:ed|ing)?[- ]?up (?:linearly )?(?:the (?:learning[ -]rate|LR) (?:linearly )?)?"
                                r"(?:over |of |for |during )?(?:the first )?" + NUM
                                + r"\s*% of (?:the )?(?:total )?(?:training|steps|iterations|updates)", _I)),
    # "The number of warmup steps is set to 10% of the total training steps": a fraction, not a count of steps
    ("warmup_ratio", re.compile(r"\bwarm-?up (?:steps|iterations|updates|period|phase)\s+(?:is|was|are|were)\s+(?:set\s+to\s+)?"
                                r"(?:equal\s+to\s+)?" + NUM + r"\s*% of (?:the )?(?:total )?(?:training )?(?:steps|iterations|"
                                r"updates|training)\b", _I)),
    # "with 10% warm-up steps", "6% of the steps for linear warmup": the fraction of training warmed up
    ("warmup_ratio", re.compile(NUM + r"\s*% (?:(?:of (?:the )?(?:total |training )*(?:steps|iterations|updates) (?:for|as) )?"
                                r"(?:linear )?warm-?up|linear warm-?up)\b", _I)),
    # "gradients are clipped if their value exceeds 1.0", "renormalize gradients if their norm exceeds 0.1": the
    # threshold of a clipping the sentence words as a condition
    ("grad_clip", re.compile(r"\b(?:(?:clip|renormali[sz]e|rescale|scale)\w*\s+(?:the\s+)?gradients?|gradients?\s+"
                             r"(?:are|were|is|was)\s+(?:clipped|renormali[sz]ed|rescaled|scaled(?:\s+down)?))\s+"
                             r"(?:if|when|whenever)\s+(?:its|their|the)\s+(?:(?:global|L2|ℓ2)[ -])?(?:norms?|values?)\s+"
                             r"(?:exceeds?|exceeded|(?:is|are|was|were)\s+(?:larger|greater|more)\s+than|goes\s+above)\s+"
                             + NUM, _I)),
    # "The learning rate is warmed up over the first 24,000 steps to a peak value of 6e-4": the rate warmed up to
    ("learning_rate", re.compile(r"\b(?:learning[ -]rates?|LR)\b[^.;]{0,80}?\b(?:to|reach(?:es|ing)?|with|and) (?:a|its) (?:peak|"
                                 r"maximum|max(?:imal)?) (?:value|learning[ -]rate|LR)? ?of " + NUM
                                 + r"(?!\s*(?:epochs?|steps|iterations|updates|%|[×x]|times\b))", _I)),
    # (not a multiple of another rate: "a peak value of 5× the GPT3 value")
    # "The learning rate decays from 1e-3 to a minimum of 1e-5": where the decay starts
    ("learning_rate", re.compile(r"\b(?:learning[ -]rates?|LR)\b[^.;]{0,40}?\b(?:decay|decreas|anneal|drop|reduc|lower)\w*\s+"
                                 r"(?:\w+\s+){0,2}?from\s+" + NUM + r"\s+(?:down\s+)?to\b", _I)),
    # "The learning rate is warmed up linearly for 2000 steps to 1e-4", "warmed up to 6e-4": the rate a warm-up reaches
    ("learning_rate", re.compile(r"\b(?:learning[ -]rates?|LR)\b[^.;]{0,60}?\bwarm(?:ed|s)?[ -]?up\b"
                                 r"(?:(?!\b(?:decay|anneal|decreas|reduc|drop|lower)\w*)[^.;]){0,60}?\bto\s+"
                                 r"(?:(?:a|its)\s+(?:peak|maximum)\s+(?:value\s+)?(?:of\s+)?)?" + NUM
                                 + r"(?!\s*(?:epochs?|steps|iterations|updates|%|[×x]))", _I)),
    # "The initial learning rate was increased by a factor of 5, to 0.0075": the start changed from a baseline's (not a
    # schedule's later step: "the learning rate is reduced to 0.001 after 30 epochs" names no initial rate)
    ("learning_rate", re.compile(r"\b(?:initial|base|starting|peak)\s+(?:learning[ -]rate|LR)\s+(?:was|is|has\s+been|were)\s+"
                                 r"(?:increased|decreased|reduced|raised|lowered|changed|scaled(?:\s+up|\s+down)?)"
                                 r"(?:\s+by\s+(?:a\s+factor\s+of\s+)?\d+(?:\.\d+)?(?:\s*[×x])?)?,?\s+to\s+" + NUM
                                 + r"(?!\s*(?:epochs?|steps|iterations|updates|%|[×x]))", _I)),
    # "The learning rate is decreased by a factor of 10 after 30 and 60 epochs, starting from 0.01": where it starts
    ("learning_rate", re.compile(r"\b(?:learning[ -]rates?|LR)\b(?:[^.;]|\.(?=\d)){0,120}?,\s*(?:starting|beginning)\s+(?:from|at|with)\s+"
                                 r"(?:a\s+value\s+of\s+)?" + NUM + r"(?!\s*(?:epochs?|steps|iterations|updates|%|[×x]))", _I)),
    # "a momentum of 0.9 and a decay of 0.0005": a bare "decay" beside the optimizer's momentum, as small as a weight
    # decay is (Darknet's name for it), is the weight decay; not a rate's decay ("decays by 0.97"), nor a larger one
    ("weight_decay", re.compile(r"\bmomentum\b(?:[^.;]|\.(?=\d)){0,60}?(?<!rate )(?<!learning )(?<!LR )(?<!norm )(?<!BN )"
                                r"(?<!EMA )(?<!average )\b(?:a\s+)?decay\s+(?:of\s+|=\s*)?(0\.00\d*[1-9]\d*|"
                                r"\d(?:\.\d+)?\s*[eE][-−][3-6]|\d(?:\.\d+)?\s*[·×x]\s*10\s*\^?\s*[-−]\s*[3-6])(?!\d|\.\d)", _I)),
    # a weight average's decay before its name: "exponential moving average with 0.9999 decay rate"
    ("ema_decay", re.compile(r"\b(?:exponential\s+moving\s+average|EMA)\b(?:\s+of\s+(?:the\s+)?(?:model\s+)?(?:weights|parameters))?"
                             r"\s+with\s+(?:a\s+)?(0\.\d+)\s+decay(?:\s+rate)?\b", _I)),
    # "the moving averages of all weights of the model are maintained with the exponential decay rate of 0.999"
    # ("moving averages of G's weights with a decay of 0.9999": a generator's)
    ("ema_decay", re.compile(r"\b(?:exponential\s+)?moving\s+averages?\s+of\s+(?:all\s+)?(?:the\s+)?"
                             r"(?:[\w-]+(?:['’]s)?\s+)?(?:weights|parameters)\b[^.;]{0,60}?\bdecay(?:\s+rate)?\s+"
                             r"(?:of\s+|=\s*)?(0\.\d+)", _I)),
    # "Variational dropout is used before the input to the GRUs and the linear layers at a rate of 0.2" ("Dropout [31]
    # is applied with a rate of 0.1")
    ("dropout", re.compile(r"\bdrop-?out" + _CITE + r"\s+(?:is|was|are|were)\s+(?:used|applied|added)\b[^.;]{0,80}?\b(?:at|with)\s+a\s+"
                           r"(?:dropout\s+)?(?:rate|probability)\s+of\s+" + NUM + r"(?!\s*%)", _I)),
    # (a batch counted in tokens, "a batch size of 8,192 tokens", is read whole: ``extract`` gives it its unit)
    ("batch_size", re.compile(r"\b(?:mini-?)?batch(?:es)? (?:size )?of (?:about |around )?" + NUM + r"(?![\d.,]\d)(?! ?%)",
                              _I)),
    ("batch_size", re.compile(r"\b(?:mini-?)?batch(?: size)? (?:of|to) (a single|one) (?:image|example|sample|sequence|"
                              r"sentence|document)\b", _I)),
    ("batch_size", re.compile(NUM + r" (?!tokens\b)(?:\w+ ){0,2}?per (?:mini-?)?batch\b", _I)),
    ("batch_size", re.compile(r"(?<![\w.])(\d+) (?:images|examples|samples|sequences|sentences|utterances|clips) per "
                              r"(?:GPU|device|TPU(?: core)?|core|accelerator|replica|worker)\b", _I)),
    # "minibatches containing B = 256 sequences", "batches of 64 images": the batch, counted in its examples (a symbol
    # the sentence gives it between)
    ("batch_size", re.compile(r"\b(?:mini-?)?batch(?:es)? (?:containing|of|with|holding) (?:(?-i:[A-Za-z])\s*=\s*)?(\d[\d,]*) "
                              r"(?:images|examples|samples|sequences|sentences|utterances|clips|documents)\b", _I)),
    # "each training step processes 512 sequences", "each mini-batch contains 64 images": the batch
    ("batch_size", re.compile(r"\beach (?:training |optimi[sz]ation |gradient )?(?:step|iteration|update|(?:mini-?)?batch) "
                              r"(?:processes|contains|holds|consists of|has|uses|sees|includes) (\d[\d,]*) (?:images|examples|"
                              r"samples|sequences|sentences|utterances|clips|documents)\b", _I)),
    # "each GPU processes 16 sequences": a batch per device, as "16 sequences per GPU"
    ("batch_size", re.compile(r"\beach (?:GPU|device|TPU(?: core)?|core|accelerator|replica|worker) (?:processes|holds|sees|"
                              r"handles|gets|receives|takes) (\d+) (?:images|examples|samples|sequences|sentences|utterances|"
                              r"clips)\b", _I)),
    ("num_layers", re.compile(r"(?<![\w.])(\d+|single|one|two|three|four|five|six|eight|ten|twelve)[- ]layer(?!s)"
                              r"(?: (?!(?:of|in|from)\b)[\w-]+){0,2} (?:transformer|network|model|LSTM|biLSTM|RNN|"
                              r"encoder|decoder|net|stack(?!s)|CNN|ConvNet|ResNet|GCN|GNN|GAT|GIN|GraphSAGE|MPNN|TCN|GRU|BiGRU)", _I)),
    # the encoder's layers the model is said to have ("PatchTST contains 3 encoder layers"; not "the task with 13
    # encoder layers at kernel size 3", an ablation's)
    ("num_layers", re.compile(r"\b(?:has|have|contains?|comprises?|consists? of|uses?) (\d+|two|three|four|six|eight|"
                              r"twelve) (?:transformer )?encoder layers\b", _I)),
    ("num_layers", re.compile(r"\b(?:has|have|of|with|uses?|using|contains?|comprises?|consists? of|consisting of|"
                              r"stacks) "
                              r"(?:a (?:stack|total) of |(?-i:[KLN]) ?= ?)?(\d+|two|three|four|six|eight|twelve) "
                              r"(?:identical |such |stacked |fully[ -]connected |hidden |convolutional |conv |transformer |"
                              r"LSTM |biLSTM |residual |message[ -]passing |graph[ -]convolution(?:al)? |GCN |GNN |GAT |"
                              r"attention |self-attention |recurrent |GRU |(?:un)?shared |interaction )*"
                              # a kind of layer named by a proper noun ("4 Fourier layers", "24 Mamba blocks"; not an
                              # MLP's or a head's own, "with 2 MLP layers", nor an activation's, "a feedforward network
                              # composed of two ReLu layers")
                              r"(?:(?!(?:MLP|FC|FFN|Linear|Dense|Highway|ReLU|ReLu|GELU|ELU|Tanh|Sigmoid|Softmax|"
                              r"Maxout)\b)(?-i:[A-Z][\w-]*) )?"
                              r"(?:layers|blocks)\b", _I)),
    ("num_layers", re.compile(r"(?<![\w.])(\d+) (?:layers|blocks) (?:each )?in (?:both )?the (?:encoder|decoder)", _I)),
    # "the LSTM has 512 hidden units; we use a single layer": one layer, said in the singular
    # (not "comparing it with a single layer 2048 unit LSTM": a compared model's)
    ("num_layers", re.compile(r"\b(?:we\s+use|uses|has|have|consists\s+of)\s+(a\s+single|one)\s+(?:hidden\s+|LSTM\s+|"
                              r"recurrent\s+|transformer\s+|encoder\s+)?layer\b"
                              r"(?!\s+(?:of|for|to|in|on|at|per|stacks?)\b|[-‐]|\s+\d)", _I)),
    # "trained with an 8K context window", "a 4k-token context": the context's length
    ("seq_len", re.compile(r"(?<![\w.])(\d+\s?[kK]|\d{3,6})[- ](?:token[- ])?context(?:[- ](?:window|length|size))?\b"
                           r"(?!\s+(?:of|for)\b)", _I)),
    # "Source documents are truncated to 1,024 tokens and summaries to 142 tokens": the target's length
    ("target_len", re.compile(r"\b(?:summar(?:y|ies)|targets?|target\s+sequences?|outputs?|references?)\s+"
                              r"(?:(?:are|were|is|was)\s+)?(?:truncated\s+|limited\s+|capped\s+|cut\s+)?to\s+"
                              r"(?:a\s+maximum\s+of\s+|at\s+most\s+)?"
                              r"(\d[\d,]*)\s+tokens\b", _I)),
    # "Each of the 6 layers has 8 attention heads": the model's layers, each described
    ("num_layers", re.compile(r"\beach of (?:the|its|our) (\d+|two|three|four|six|eight|twelve) (?:identical |transformer |"
                              r"encoder |decoder |hidden )?(?:layers|blocks)\b", _I)),
    # an enumeration of the model's sizes: "Our model has 110M parameters, 12 layers, a hidden size of 768 …"
    ("num_layers", re.compile(r"\b(?:has|have|with|uses?|contains?|comprises?)\s+(?:(?:[^.;,]|\.(?=\d)){1,30}(?:,\s+|\s+and\s+)){1,3}(\d+) "
                              r"(?:transformer |hidden |encoder |decoder )?(?:layers|blocks)\b", _I)),
    # "16×16 patches", "non-overlapping 4 × 4 pixel patches", "patches of size 16 × 16": square patches' side
    ("patch_size", re.compile(r"(?<![\w.])(\d{1,3})\s*[×x]\s*\1\s+(?:(?:non-?overlapping|image|input|pixels?)\s+)*"
                              r"patch(?:es)?\b", _I)),
    ("patch_size", re.compile(r"\bpatch(?:es)?\s+of\s+(?:(?:a|the)\s+)?(?:(?:fixed|same|constant)\s+)?(?:(?:size|resolution)\s+"
                              r"(?:of\s+)?)?(\d{1,3})(?:\s*[×x]\s*(?P=side))?"
                              .replace("(?P=side)", r"\1") + r"(?!\s*[×x\d])(?:\s+pixels)?\b", _I)),
    # "12 layers of width 768", "six blocks with a hidden dimension of 512": the layers' width is the model's
    ("hidden_size", re.compile(r"\b(?:layers|blocks)\s+(?:of|with)\s+(?:a\s+)?(?:hidden\s+)?(?:width|dimension(?:ality)?|"
                               r"size)\s+(?:of\s+)?(\d+)\b(?!\s*[×x%])", _I)),
    # "a 50-dimensional embedding vector", "100-dimensional word embeddings": a word embedding's width
    ("embedding_dim", re.compile(r"(?<![\w.])(\d+)[- ]dim(?:ensional)? (?:word |token |input )?embeddings?\b", _I)),
    # "3072 dimensional inner states", "a 2048-dimensional feed-forward layer": the feed-forward block's width
    ("intermediate_size", re.compile(r"(?<![\w.])(\d+)[- ]dimensional (?:inner|intermediate|feed-?forward|FFN|MLP)\b", _I)),
    # (not a searched network's cells, which are its blocks: "a network of 8 cells", "stacking 20 cells", "The network
    # consists of 14 cells"; nor an index's
    # or a grid's: "we partition the embedding space into P = 2000 cells and search the nearest p = 10 cells")
    ("hidden_size", re.compile(r"(?<!network of )(?<!networks of )(?<!stack )(?<!stacking )(?<!stacked )"
                               r"(?<!into )(?<!= )(?<!consists of )(?<!consisting of )(?<!comprises )(?<!composed of )"
                               r"(?<![\w.])(\d+) "
                               r"(?:hidden |LSTM |recurrent |sigmoid |ReLU )?(?:units|cells|neurons)\b"
                               r"(?! of (?:time|work))", _I)),
    # a width given before its name: "12 layers, 768 hidden size and 12 attention heads", "1024 model dimension" (not
    # "of": "768 hidden size of the teacher" names another's)
    ("hidden_size", re.compile(r"(?<![\w.])(\d[\d,]*) (?:hidden|model) (?:sizes?|dim(?:ension(?:ality)?)?s?)\b"
                               r"(?!\s+of\b)", _I)),
    ("embedding_dim", re.compile(r"(?<![\w.])(\d+) (?:word |token )?embedding (?:size|dim(?:ension(?:ality)?)?s?)\b"
                                 r"(?!\s+of\b)", _I)),
    # ("1150 hidden activations per layer": an LSTM's width, as AWD-LSTM papers say it)
    ("hidden_size", re.compile(r"(?<![\w.])(\d+) hidden activations\b", _I)),
    # ("1024 LSTM nodes per layer": a layer's nodes are its units; a graph's nodes are not)
    ("hidden_size", re.compile(r"(?<![\w.])(\d+) (?:(?:hidden|LSTM|GRU|recurrent) nodes\b|nodes (?:per|in each) "
                               r"(?:hidden )?layer\b)", _I)),
    # ("768-dimensional states", "H = 1024 hidden states")
    ("hidden_size", re.compile(r"(?<![\w.])(\d+)(?:[- ]dim(?:ensional)? (?:hidden )?| hidden )states\b", _I)),
    ("hidden_size", re.compile(r"\bdimensionality of (\d+) (?:is )?(?:used )?for (?:the |all |each )?(?:[\w-]+ )?"
                               r"(?:LSTMs?|GRUs?|RNNs?|hidden|recurrent)\b", _I)),
    ("hidden_size", re.compile(r"(?<![\w.])(\d+) dimensions (?:for|in) (?:all |the |each |both )?(?:[\w-]+ ){0,2}?"
                               r"(?:LSTMs?|GRUs?|RNNs?|hidden|recurrent|layers|states)\b", _I)),
    ("num_heads", re.compile(r"(?<![\w.])(\d+) (?:attention |self-attention )?heads\b", _I)),
    ("num_heads", re.compile(r"(?<![\w.])(\d+)[- ]head(?:ed)? (?:self-)?attention\b", _I)),
    # "Words are embedded into 300-dimensional vectors": the words' embedding width
    ("embedding_dim", re.compile(r"\b(?:words?|tokens?)\s+(?:are|is)\s+(?:first\s+)?(?:embedded|mapped|represented)\s+"
                                 r"(?:in(?:to)?|as)\s+(\d+)[- ]dimensional\s+(?:vectors|embeddings|space)\b", _I)),
    ("seq_len", re.compile(r"\b(?:sequences|contexts?|windows?) of (?:at most |up to |length )?(?:[A-Z] = )?" + NUM
                           + r" (?:contiguous )?tokens", _I)),
    ("seq_len", re.compile(r"\b(?:sequences|inputs|contexts?) of (?:maximum |max(?:imal)? )?length " + NUM
                           + r"(?! (?:words|characters|sentences))", _I)),
    ("seq_len", re.compile(r"\blength-(\d+) sequences", _I)),
    # a bare "max length" in a sentence that lists training's settings (Alpaca's "We use a learning rate of 2e-5, a
    # batch size of 128, 3 epochs, a max length of 512 and …"): the inputs' length
    ("seq_len", re.compile(r"\b(?:learning[ -]rate|batch[ -]size)\b[^.;]{0,120}?,\s+(?:and\s+)?(?:a\s+)?max(?:imum)?\s+length\s+"
                           r"(?:of\s+|=\s*)?(\d[\d,]*)(?![\d,]*\s*(?:words|characters|sentences|seconds))\b", _I)),
    ("seq_len", re.compile(r"(?<![\w.])(\d[\d,]*k?)[- ]token (?:sequences?|segments?|context(?:\s+window)?s?|inputs?|windows?|chunks?)(?!\w)", _I)),
    ("seq_len", re.compile(r"\bcontext (?:size |window )?(?:of )?" + NUM + r" tokens", _I)),
    # "inputs are truncated to 128 tokens", "we truncate each document to at most 512 word pieces"
    ("seq_len", re.compile(r"\b(?:truncat|clipp|cropp|cutt?|limit|capp)\w*\s+(?:[\w-]+\s+){0,3}?to\s+(?:a\s+maximum\s+of\s+|at\s+most\s+"
                           r"|the\s+first\s+)?" + NUM + r"\s+(?:tokens|word\s?pieces|subwords|sub-?word\s+tokens|BPE\s+tokens)\b", _I)),
    # "documents longer than 512 tokens are truncated", "we truncate sequences longer than 512 tokens"
    ("seq_len", re.compile(r"\b(?:longer|more)\s+than\s+" + NUM + r"\s+(?:tokens|word\s?pieces|subwords|BPE\s+tokens)\s+"
                           r"(?:are|were|is|was|get|got)\s+(?:truncated|clipped|cut)\b", _I)),
    ("seq_len", re.compile(r"\btruncat\w*\s+(?:[\w-]+\s+){0,3}?(?:longer|more)\s+than\s+" + NUM + r"\s+(?:tokens|word\s?pieces|"
                           r"subwords|BPE\s+tokens)\b", _I)),
    ("dropout", re.compile(r"(?<![\w.])(\d+(?:\.\d+)?\s*%) (?:\w+ )?drop-?out\b", _I)),
    # values before their names, listed: "we train with 0.3 dropout, 0.2 label smoothing, 3e−5 maximum learning rate"
    # (in lower case, as prose has them: not a flattened table's cell before the next row's name, "0.5 Dropout 0.1")
    ("dropout", re.compile(r"(?<![\w.=])(0?\.\d+) drop-?out\b")),
    ("label_smoothing", re.compile(r"(?<![\w.=])(0?\.\d+) label[- ]smoothing\b")),
    ("momentum", re.compile(r"(?<![\w.=])(0?\.\d+) (?:Nesterov )?momentum\b"
                            r"(?! (?:encoder|teacher|network|model|update)s?\b)")),
    # "trained on 128-sized batches", "256-sized mini-batches"
    ("batch_size", re.compile(r"(?<![\w.])(\d+)[- ]sized (?:mini-?)?batch(?:es)?\b", _I)),
    ("learning_rate", re.compile(r"(?<![\w.=])(\d(?:\.\d+)?\s*[eE][-−]\d+|0?\.\d+) (?:maximum|peak|max|initial|base) "
                                 r"learning[- ]rate\b")),
    # a dropout stated by the units it keeps: "a keep probability of 0.8", "retention probability p = 0.5",
    # "keep_prob = 0.9" (the rate dropped is one minus it)
    ("dropout", re.compile(r"\b(?P<keep>keep[ _-]?prob(?:ability)?|retention\s+probability|retain(?:ing)?\s+probability)"
                           r"(?:\s+of|\s+(?-i:p)\s*=|\s*=|\s+is|\s+was|\s+set\s+to)?\s+(0?\.\d+|1\.0)(?![\d%])", _I)),
    # ("dropout with keep ratio 0.7": a keep ratio said of the dropout; alone, it may be a token pruning's)
    ("dropout", re.compile(r"\bdrop-?out\s+(?:with\s+(?:a\s+)?)?(?P<keep>keep[ _-]?(?:ratio|rate))\s+(?:of\s+|=\s*)?"
                           r"(0?\.\d+|1\.0)(?![\d%])", _I)),
    # "Gradients were clipped to have a maximum L2 norm of 0.25", "gradients are clipped to a norm of 1"
    ("grad_clip", re.compile(r"\bgradients?\s+(?:are|were|is|was)\s+clipped\s+(?:to\s+(?:have\s+)?|at\s+)(?:a\s+)?(?:max(?:imum)?\s+)?"
                             r"(?:(?:global|L2|ℓ2)[ -])?(?:norm|value)\s+(?:of\s+)?" + NUM, _I)),
    ("grad_clip", re.compile(r"\b(?:norm of the gradients?|gradients?'? norms?|gradient norms?)[^.;]{0,60}?\b(?:threshold|"
                             r"at most|maximum|max|exceeds?|clipped (?:at|to))\s*(?:of|=|at)?\s*" + NUM, _I)),
    # "an ℓ2 regularization with 1e−6 weight": the weight after its value
    ("weight_decay", re.compile(r"\b(?:L|ℓ|𝓁)2[ -](?:regulari[sz]ation|penalty)\s+with\s+(?:an?\s+)?" + NUM
                                + r"\s+(?:weight|coefficient|strength)\b", _I)),
    ("lr_decay_factor", re.compile(r"\b(?:decay(?:ed|s)?|multipl(?:ied|y)|reduced?) (?:it )?by (?:a factor of )?"
                                   r"(0\.\d+)\b", _I)),
]
# a count's unit after its number says which field it is: "of 32 and 64 channels" is no layer count
_UNIT_WORDS = (r"(channels|filters|feature maps|units|neurons|cells|dimensions|tokens|heads|layers|epochs|steps|"
               r"iterations|updates|examples|images|sentences|samples|sequences|words|characters|pixels)\b")
_UNIT = re.compile(r"\s*" + _UNIT_WORDS)  # lower case: prose,
# not the next cell of a flattened table ("Batch size 128 Epochs 12")
_UNITS_OF = {"hidden_size": ("units", "neurons", "cells", "dimensions"), "intermediate_size": ("units", "dimensions"),
             "patch_size": ("pixels",), "seq_len": ("tokens", "characters", "pixels"),
             "num_heads": ("heads",), "num_layers": ("layers",), "epochs": ("epochs",),
             "max_steps": ("steps", "iterations", "updates"), "warmup_steps": ("steps", "iterations", "updates"),
             "batch_size": ("examples", "images", "sentences", "samples", "sequences", "tokens")}
_WORDS = {"a single": 1, "single": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
          "eight": 8, "nine": 9, "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
          "fifty": 50,
          "halved": 0.5}

# sentences about inference, other works or figures: no training value is read from them
# a compute or memory estimate ("the gradient size is for batch size 1 and sequence length 512 and is estimated"):
# its numbers are an example's, not training's
_ESTIMATE = r"estimat(?:e|ed|es|ing|ion)|footprint|FLOPs?|(?:input |activation |weight )?gradient size|depict(?:s|ed)"
_EVAL_BATCH = re.compile(r"\b(?:test(?:ing)?|validation|eval(?:uation)?|dev(?:elopment)?|inference)\s+(?:\(?\s*)?$", _I)
_OTHER_WARMED = re.compile(r"\b(?:temperature|momentum|weight[ -]decay|coefficient|KL|mask(?:ing)?\s+ratio)\s+"
                           r"(?:\w+\s+){0,2}?(?:is|was|are|were|gets)\s+(?:\w+\s+)?warm(?:ed)?[ -]?up", _I)
_NOT_TRAINING = {
    "batch_size": re.compile(r"\b(?:inference|latency|test[- ]time|at test|decoding|throughput|serving|memory|FPS|"
                             r"frames\s+per\s+second|timing|"
                             r"(?<!linear )evaluat(?:e|ed|ing|ion)|benchmark(?:ed|ing)|speed|memory footprint|generation|"
                             r"K-?Means|k-means|clustering|"
                             + _ESTIMATE + r")\b", _I),
    # (and a length used at evaluation or inference only: "at evaluation time we use a sequence length of 2048")
    "seq_len": re.compile(r"\b(?:" + _ESTIMATE + r"|latency|throughput|at\s+(?:evaluation|test|inference)(?:\s+time)?|"
                          r"during\s+(?:evaluation|inference|testing|decoding))\b", _I),
    # a batch norm's or a moving average's momentum or decay is not the optimizer's or the schedule's; nor is a
    # momentum encoder's or a teacher's (self-supervised papers' "momentum coefficient m = 0.999", "teacher momentum")
    "momentum": re.compile(r"(?:batch[ -]?norm(?:ali[sz]ation)?|\bBN|moving[ -]averages?|\bEMA)\b(?:\s+(?!(?:and|or|we|"
                           r"while|but)\b)[\w-]+){0,3}?\s+(?:momentum|decay)|\bmomentum[ -](?:encoder|teacher|network|"
                           r"model|update)s?\b|\bmomentum[ -]updated\b|\bteacher\b|\btarget[ -](?:network|encoder)s?\b", _I),
    # nor is a batch norm's running statistics' average a weights' ("Batch normalization statistics were computed as
    # exponential moving averages with momentum 0.9")
    "ema_decay": re.compile(r"(?:batch[ -]?norm(?:ali[sz]ation)?|\bBN)\s+(?:layers?['’]?\s+)?(?:running\s+)?(?:statistics|"
                            r"stats|means?|variances?)\b|\brunning\s+(?:statistics|means?|variances?)\b"
                            # (nor a vector quantiser's codebook, updated by a moving average of its own)
                            r"|\bcodebooks?\b|\bcode\s+(?:vectors|embeddings)\b", _I),
    # (nor a part's rate against the rest's: "Learning rates of the linear projections … are multiplied by 0.1")
    "lr_decay_factor": re.compile(r"\bmoving[ -]averages?\b|\bEMA\b|\bPolyak\b|\blearning[ -]rates?\s+(?:of|for)\s+"
                                  r"(?:the|all|its|their)\s+(?!(?:first|last|next|remaining)\b)", _I),
    # a warm-up of another quantity than the rate: "the teacher temperature is linearly warmed up from 0.04 to 0.07
    # during the first 30k iterations"
    "warmup_steps": _OTHER_WARMED,
    "warmup_epochs": _OTHER_WARMED,
    # steps that are no training's: a sampler's ("For sampling, we report results with the full 4000 steps"), a
    # return's ("n = 10 steps for the value target", "n-step returns")
    "max_steps": re.compile(r"\b(?:for|at|during|when)\s+sampling\b|\bn[- ]step\b|\bsteps?\s+(?:for|of)\s+(?:the\s+)?"
                            r"(?:value|return|bootstrap|TD)\b", _I),
    # DropConnect, on a layer's weights, is no dropout of its units: "a dropout of 0.5 was applied to the recurrent
    # weight matrices", "the weight-dropped LSTM"
    "dropout": re.compile(r"\b(?:appl(?:ied|y|ies)|used)\s+(?:\w+\s+){0,2}?(?:to|on)\s+(?:the\s+|all\s+)?(?:[\w-]+\s+)?"
                          r"weights?(?:\s+matri(?:x|ces))?\b|\bweight[- ]dropped\b|\bDropConnect\b", _I),
}
# (DeepSpeed's and Megatron's "micro batch size": each data-parallel device's batch per step)
# (and "6 sentences on each GPU"; not "32 on each worker", an asynchronous worker's batch being an update's)
_PER_DEVICE = re.compile(r"\bper[- ](?:device|GPU|TPU|core|replica|worker|accelerator)\b|\b(?:on|for|in)\s+each\s+"
                         r"(?:device|GPU|TPU|core|accelerator)\b|\bmicro[- ]?batch(?:[ _-]?size)?\b", _I)
_EFFECTIVE = re.compile(r"\b(?:effective|global|total|overall)\s+(?:mini-?)?batch(?:[ -]?size)?\b", _I)
# how many devices a sentence trains on: "on 8 GPUs", "across 8 V100 GPUs", "using 64 TPUv3 cores", "8×A100"
_DEVICES = re.compile(r"(?<![\w.])(\d+)\s+(?:(?:NVIDIA|Nvidia|Tesla|Cloud|Google)\s+)?(?:[A-Z]\w*\d\w*(?:\s?GB)?\s+)?"
                      r"(?:GPUs|TPUs|devices|accelerators|(?:TPU\s?)?(?:v\d\s+)?cores|chips|IPUs)\b|(?<![\w.])(\d+)\s*[×x]\s*"
                      r"(?:NVIDIA\s+)?[AHVP]\d{2,3}\b")


# devices after a number: "16 NVIDIA A100 GPUs", "8 V100s", "64 TPU v3 cores"
_DEVICES_AFTER = re.compile(r"\s+(?:(?:NVIDIA|Nvidia|Tesla|Cloud|Google)\s+)?(?:[A-Z][\w-]*\d[\w-]*\s+)?(?:GPUs|TPUs|"
                            r"(?:TPU\s?)?(?:v\d\s+)?cores|machines|chips|accelerators)\b|\s+[AHV]100s\b")


def _next_sentence_end(text: str, end: int) -> int:
    """The end of the sentence after the one that ``end`` is in."""
    first = text.find(". ", end)
    second = text.find(". ", first + 2) if first != -1 else -1
    return len(text) if second == -1 else second + 1


# a rate given per batch of some size, scaled linearly with the batch ("0.1 × batch size / 256", "lr = 0.1·B/256",
# "5e-4 × batchsize/512"): the reference batch
_PER_BATCH = re.compile(r"\s*[×x·*∗⋅]\s*(?:the\s+)?\(?\s*(?:(?:global|total|effective)\s+)?(?:(?:mini-?)?batch(?:[ _-]?size)?|"
                        r"batchsize|bs|(?-i:B))\s*\)?\s*/\s*(\d+)\b", _I)


# or under a symbol its sentence says is the batch size: "0.05·n/128, where n is the batch size"
_PER_SYMBOL = re.compile(r"\s*[×x·*∗⋅]\s*\(?\s*([A-Za-z])\s*\)?\s*/\s*(\d+)\b")


# the rule stated before its base value: "a learning rate of lr×BatchSize/256 (linear scaling), with a base lr = 0.05"
_SCALED_BY_BATCH = re.compile(r"[×x·*∗⋅]\s*\(?\s*(?:the\s+)?(?:(?:global|total|effective)\s+)?(?:mini-?)?batch[ _-]?size\s*\)?"
                              r"\s*/\s*(\d+)\b", _I)
_BASE_NAMED = re.compile(r"\bbase\s+(?:learning[ -]rate|lr)\b", _I)


def per_batch(text: str, end: int, start: int | None = None) -> int | None:
    """The batch a learning rate ending at ``end`` is stated for, where the text scales it linearly with the batch
    ("a base learning rate of 0.1 × batch size / 256": 256; "0.05·n/128, where n is the batch size": 128), or, given
    where the value starts, where its sentence gives the rule before a value it names the base rate ("lr×BatchSize/256
    …, with a base lr = 0.05"); None for a rate stated as it is."""
    if m := _PER_BATCH.match(text, end):
        return int(m.group(1)) or None
    if start is not None and (base := _BASE_NAMED.search(text, max(0, start - 40), end)):
        left = max(text.rfind(". ", 0, base.start()) + 2, 0)
        if rule := _SCALED_BY_BATCH.search(text, left, base.start()):
            return int(rule.group(1)) or None
    if (m := _PER_SYMBOL.match(text, end)) is None:
        return None
    stop = text.find(". ", m.end())
    said = re.compile(rf"\b(?:where|with)\s+{re.escape(m.group(1))}\s+(?:is|denotes|being)\s+the\s+(?:total\s+|global\s+|"
                      r"effective\s+)?(?:mini-?)?batch[ -]?size\b", _I)
    return (int(m.group(2)) or None) if said.search(text, m.end(), len(text) if stop == -1 else stop) else None


# one stage of a piecewise-constant schedule: a rate, then how long it holds ("10−2 for 75 epochs", "0.01 for the next
# 30", "a learning rate of 0.01 for 20k steps"); a number run into a name ("ResNet-50 for 90 epochs") is no rate
_STAGE = re.compile(r"(?<![\w.-])(" + _N + r")(?:\s+[\w-]+){0,2}?\s+for\s+(?:the\s+)?(?:(?:first|next|following|last|"
                    r"remaining|final|subsequent|another|further)\s+)?(?<![\w.^])(\d+(?:\.\d+)?[kK]?)"
                    r"(?:\s+(epochs?|steps|iterations|updates|mini-?batches))?\b", _I)
# (a stage of mini-batches is one of steps: "0.001 for 60k mini-batches, and 0.0001 for the next 20k mini-batches")
_STAGE_UNIT = {"epochs": ("epoch", "epochs"), "max_steps": ("steps", "iterations", "updates", "mini-batches",
                                                            "minibatches")}
_CLAUSE_END = re.compile(r"[.;](?:\s|$)")


def _stages_in(text: str, left: int, right: int) -> tuple[list[re.Match[str]], str] | None:
    """The stages of a schedule between ``left`` and ``right`` (two or more, each a rate below 1 then a count, the
    first with its unit, no other unit among them), and their unit's canonical field; None where there are none."""

    def rate(m: re.Match[str]) -> bool:  # (a stage's rate: not "a batch size of 512 and train for 100 epochs")
        try:
            return 0 < parse_number(m.group(1)) < 1
        except ValueError:
            return False

    found = [m for m in _STAGE.finditer(text, left, right) if rate(m)]
    units = {m.group(3).lower() for m in found if m.group(3)}
    if len(found) < 2 or len(units) != 1 or not found[0].group(3):
        return None  # (a stage in steps and one in epochs: no one length)
    return found, next(name for name, words in _STAGE_UNIT.items() if units <= set(words))


def stages(text: str, start: int, end: int, name: str) -> tuple[list[float | int], int, int] | None:
    """Where the count at ``start:end`` (epochs or steps) is one stage of a schedule its sentence gives stage by stage
    ("with 10−2 for 75 epochs, then 10−3 for 30 epochs, and finally 10−4 for 30 epochs"; "0.1 for the first 150
    epochs, 0.01 for the next 75 epochs and 0.001 for the last 75 epochs"), every stage's length, in order: training
    lasts their sum, not one stage; and where the stages start and end. None for a count that is no such stage."""
    if name not in _STAGE_UNIT:
        return None
    left = _own_sentence_start(text, start)
    staged = _stages_in(text, left, _clause_end(text, end))
    if staged is None or staged[1] != name or not any(s.start(2) < end and start < s.end() for s in staged[0]):
        return None
    try:
        return [parse_number(s.group(2)) for s in staged[0]], staged[0][0].start(), staged[0][-1].end()
    except ValueError:
        return None


def schedules_by_stage(text: str) -> Iterator[tuple[list[float], list[float | int], str, int, int]]:
    """Each schedule a sentence of ``text`` gives stage by stage: its rates and its stages' lengths in order, their
    unit ("epochs" or "steps"), and where the stages start and end."""
    done = 0
    for first in _STAGE.finditer(text):
        if first.start() < done:
            continue
        right = _clause_end(text, first.end())
        staged = _stages_in(text, _own_sentence_start(text, first.start()), right)
        done = right
        if staged is None:
            continue
        try:
            rates = [float(parse_number(m.group(1))) for m in staged[0]]
            counts = [parse_number(m.group(2)) for m in staged[0]]
        except ValueError:
            continue
        yield rates, counts, "epochs" if staged[1] == "epochs" else "steps", staged[0][0].start(), staged[0][-1].end()


def said_per_device(text: str, start: int, end: int, left: int = 0, right: int | None = None) -> bool:
    """Whether the value at ``start:end`` is said per device ("a batch size of 32 per GPU", "a per-GPU batch size of
    64"), within 30 characters and no other number between ("a mini-batch size of 256 on 8 GPUs (32 per GPU)": the
    32 is per GPU, not the 256; nor "64 (one example per core)", where the count in words is)."""
    right = len(text) if right is None else right
    for m in _PER_DEVICE.finditer(text, max(left, start - 30), min(end + 30, right)):
        between = text[end: m.start()] if m.start() >= end else text[m.end(): start] if m.end() <= start else ""
        if re.search(r"\b(?:one|two|four|eight|a\s+single)\s+(?:[\w-]+\s+)?(?:examples?|images?|samples?|sequences?|"
                     r"crops?|clips?)\s+$", between, _I):
            continue  # "a batch size of 64 (one example per core)": the count in words is the device's, 64 the total
        if not re.search(r"\d", between):
            return True
    return False


def devices_of(text: str, start: int, end: int) -> int | None:
    """For a batch size stated per device ("a batch size of 32 per GPU on 8 GPUs", "32 images per GPU across 8 V100
    GPUs"), the number of devices its sentence trains on; None where the batch is not per device, the sentence gives
    the effective batch itself, or it names no single device count."""
    left = _own_sentence_start(text, start)
    right = text.find(". ", end)
    sentence = text[left: len(text) if right == -1 else right]
    if not said_per_device(text, start, end, left, left + len(sentence)) or _EFFECTIVE.search(sentence):
        return None
    if re.search(r"\b\d+\s+(?:[\w-]+\s+)?(?:nodes|machines|servers|hosts|pods)\b|\b(?:GPUs|TPUs|devices|cores|chips|"
                 r"accelerators)\s+each\b|\beach\s+(?:node|machine|server|host|pod)\b|\bpipelin", sentence, _I):
        return None  # "on 4 nodes with 8 GPUs each": how the devices multiply is not read (not "Each model was …"),
        # nor where a pipeline splits the model over some of them
    counts = {int(m.group(1) or m.group(2)) for m in _DEVICES.finditer(sentence)}
    return counts.pop() if len(counts) == 1 and 1 < next(iter(counts)) <= 100_000 else None


def effective_beside(text: str, start: int, end: int) -> bool:
    """Whether the sentence a batch stated per device is in, the one before it or the two after it state the effective
    batch ("Each mini-batch has 2 images per GPU … We train on 8 GPUs (so effective minibatch size is 16)"): that one
    is the batch trained on. False for the effective batch itself ("4 images per GPU (hence a total batch size of
    64)": the 64)."""
    if _EFFECTIVE.search(text, max(0, start - 20), end):
        return False
    left = _own_sentence_start(text, max(0, _own_sentence_start(text, start) - 2))
    return bool(_EFFECTIVE.search(text, left, _next_sentence_end(text, _next_sentence_end(text, end))))


# how many micro-batches one optimizer step accumulates: "4 gradient accumulation steps", "gradient accumulation over 8
# steps", "accumulating gradients over 4 batches", "gradient_accumulation_steps=8"
_ACCUMULATION = re.compile(r"(?<![\w.])(\d+)\s+(?:gradient\s+)?accumulation\s+steps\b"
                           r"|\bgradient[ _]accumulation(?:[ _]steps)?\s*(?:[=:]|of|over|with|across|for)\s*(\d+)(?!\w|\.\d)"
                           r"(?!\s*(?:%|GPUs|devices))"
                           r"|\baccumulat(?:e|es|ed|ing)\s+(?:the\s+)?gradients?\s+(?:over|for|across|from)\s+(\d+)\s+"
                           r"(?:steps|(?:micro-?|mini-?)?batches|iterations|forward(?:\s+and\s+backward)?\s+passes)\b", _I)


_SEQUENCE_LENGTH = re.compile(r"\b(?:sequences|examples|documents)\s+of\s+(?:up\s+to\s+)?\d[\d,]*\s+tokens\b", _I)


def accumulation_of(text: str, start: int, end: int) -> int | None:
    """For a batch size whose sentence also says gradients are accumulated ("a batch size of 8 with 4 gradient
    accumulation steps"), how many batches one optimizer step sums; None where it says none, or gives the effective
    batch itself ("… for an effective batch size of 32")."""
    left = _own_sentence_start(text, start)
    right = text.find(". ", end)
    sentence = text[left: len(text) if right == -1 else right]
    if _EFFECTIVE.search(sentence):
        return None
    # (not where another number or a bracket stands between: "a batch size of 128 (16 per device with 8 gradient
    # accumulation steps)" says how the 128 is made)
    # (a length of the batch's sequences between is no other number: "a batch size of 8 sequences of 1024 tokens, and
    # gradient accumulation of 4 steps")
    counts = {int(next(g for g in m.groups() if g)) for m in _ACCUMULATION.finditer(sentence)
              if not re.search(r"[\d(]", _SEQUENCE_LENGTH.sub(" ", text[end: left + m.start()] if left + m.start() >= end
                                                            else text[left + m.end(): start]))}
    return counts.pop() if len(counts) == 1 and 1 < next(iter(counts)) <= 4096 else None


# memory as the purpose of a training choice ("to make maximum use of the GPU memory, we … reduce the batch to a
# single image", "so that it fits in memory"): training's, not a measurement's
_MEMORY_PURPOSE = re.compile(r"\b(?:to|so as to|in order to|so that)\s+(?:[\w-]+\s+){0,10}?(?:GPU\s+)?memory\b|"
                             r"\bfits?\s+(?:in(?:to)?|on)\s+(?:the\s+|a\s+)?(?:single\s+)?(?:GPU\s+)?memory\b", _I)
_OTHER_WORK = re.compile(r"\bet al\.|\[\d+(?:[,–-]\s*\d+)*\]\s+(?:used|uses|trained|consisted|had|reported)|"
                         r"\b(?:consisted|originally)\b", _I)
# early stopping's patience, and the time a model took to reach a figure: not how long training runs
_PATIENCE = re.compile(r"(?:not|n['’]t|no longer|stops?|stopped|fails? to|without)\s+improv\w*(?:\s+\w+)?\s+"
                       r"(?:for|in|after|within)"
                       r"\s+$|\bpatience(?:\s+(?:for|of|in)\s+(?:the\s+)?early[ -]stopping)?(?:\s+(?:of|is|was|(?:is\s+|was\s+)?set\s+to|=|:))?\s*$",
                       _I)  # ("a patience of 10 epochs", "The patience for early stopping is 10 epochs")
_REACHED = re.compile(r"\b(?:reach|achiev|attain|match)\w*\b(?:(?!\. )[^;]){0,60}\b(?:after|in|within)\s+(?:only\s+)?$", _I)
_COMPARED = re.compile(r"\b(?:as|than|compar(?:ed|ing|es?)(?: it| them)? (?:to|with|against)|versus|vs\.|outperform(?:s|ed|ing)?|"
                       r"over|like)\s+(?:a|an|the)\s+$",
                       _I)
_CAPTION = re.compile(r"(?:^|\s)(?:Figure|Fig\.)\s*\d+\s*[:.]")
# a value that is the subject of a hypothesis ("a batch size of 2048 would result in", "1e-3 could cause divergence"):
# argued about, not used
_WOULD = re.compile(r"(?:\s+[\w-]+){0,4}?\s+(?:would|could|might)\s+(?!be\s+(?:used|set|chosen|applied))[a-z]+\b")
# a statement of what is usual, not of what this paper does ("the hidden layer size is typically 500 to 1000")
_HEDGE = re.compile(r"\b(?:typically|usually|a common choice|might be|could be|(?:standard|common|usual) practice|"
                    r"commonly|conventionally)\b", _I)
# another work as the subject of what was done: "Previous work (Smith et al., 2020) used a learning rate of 0.1", "He
# et al. (2016) trained for 90 epochs", "[12] used" (not "as in He et al. (2016)", which names no doer)
# another work did it: prior work, or a cited work, used, trained, set …; after a citation the passive is another
# work's only where it trains ("EfficientNet [29] was trained for 350 epochs", "BERT (Devlin et al., 2019) was
# trained"): "The Adam optimizer [23] was used with a learning rate of 1e-3" and "Dropout [31] is applied" are ours
_DID = r"(?:used|use|uses|trained|train|trains|set|chose|adopted|employed|reported|applied|fine-?tuned|pre-?trained)\b"
_OTHERS_DID = re.compile(r"(?:\b(?:(?:previous|prior|earlier|related|existing|other)\s+(?:work|works|studies|approaches|"
                         r"methods|papers?|models)|\bthe\s+authors|\bthe\s+original\s+(?:[\w-]+\s+){0,2}?(?:model|"
                         r"implementation|version|paper)s?)(?:\s*\([^()]{0,60}\))?(?:,?\s+who)?"
                         r"\s+(?:also\s+|instead\s+|originally\s+)?(?:(?:is|was|are|were)\s+)?" + _DID + r"|"
                         r"(?:\bet\s+al\.?(?:,?\s*\d{4}[a-z]?\))?|\[\d+(?:[,–-]\s*\d+)*\]|\((?-i:[A-Z])[^()]{0,60}\d{4}[a-z]?\)|"
                         r"(?<=[A-Za-z] )\(\d{4}[a-z]?\))"
                         r"(?:\s*\([^()]{0,60}\))?(?:,?\s+who|,?\s+whose\s+(?:[\w-]+\s+){1,2}?)?"
                         r"\s+(?:also\s+|instead\s+|originally\s+)?(?:(?:is|was|are|were)\s+(?:originally\s+)?"
                         r"(?:trained|pre-?trained|fine-?tuned|reported)\b|" + _DID + r"))", _I)
# a count of another thing than layers or heads, its noun after it ("N = 100 decoder query slots")
_COUNT_OF_OTHER = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:slots|quer(?:y|ies)|samples|examples|points|tokens|images|"
                             r"classes|neighbou?rs|clusters|proposals|anchors|frames|patches|words|experts|instances|molecules|"
                             r"sequences|trajectories|episodes|environments|tasks|runs|seeds|shots|pairs)\b", _I)
# a count inside each part of a network, its part after it ("2 convolutional layers per block", "3 layers in each
# stage")
_PER_PART = re.compile(r"\s+(?:[\w-]+\s+){0,2}?(?:per|in\s+each|for\s+each|of\s+each|within\s+each)\s+(?:[\w-]+\s+)?"
                       r"(?:blocks?|stages?|modules?|groups?|cells?|units?|branch(?:es)?)\b", _I)
# a relative clause about a model named before it ("from BERT, which was also trained for 1M steps on …"): its values
# are that model's
_WHICH_OTHER = re.compile(r"\b[A-Z][\w.-]*(?:\s*\([^()]{0,60}\))?,\s+which\s+(?:was|were|is|are|had\s+been|"
                          r"has\s+been)\s+(?:also\s+|originally\s+)?(?:pre-?)?trained\b[^,;.]{0,40}$")
# a value that failed: "a learning rate of 1e-2 diverged", "… led to instability"
_FAILED = re.compile(r"(?:,?\s+(?:which|that|but|and)\b)?(?:\s+[\w-]+){0,3}?\s+(?:diverged|diverges|(?:was|were|is|are)\s+unstable|led\s+to\s+(?:divergence|"
                     r"instability)|caused\s+(?:divergence|instability)|failed\s+to\s+converge)\b", _I)
# a value that a formula scales by the model's width or a root: the value is not the number alone (a rate per batch,
# "0.1 × batch size / 256", is read by ``per_batch``)
_FORMULA = re.compile(r"\s*(?:[/÷]\s*(?:√|sqrt\b|\\sqrt)|[·×*]\s*(?:d|d_?model|dmodel)\s*\^?\s*[-−])", _I)
# a rate relative to another ("0.5 relative to the pre-training learning rate", "a learning rate 1/10 as large as used
# for fine-tuning Codex"): a ratio
_RELATIVE = re.compile(r"\s*(?:relative\s+to|times|of)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:learning[ -]rate|LR)\b"
                       r"|\s*(?:times\s+)?as\s+(?:large|high|big|small|low)\s+as\b", _I)
# a scale after a count in words ("six million tokens"): the count is not the number before it
_SCALE_AFTER = re.compile(r"\s+(?:million|billion|thousand|hundred)\b", _I)
# a point in training, not a value: "decay the learning rate at 0.9 and 0.95 fractions of the total number of steps"
_FRACTION_OF = re.compile(r"\s*(?:fractions?\s+of|of\s+the\s+(?:total|whole|entire)\s+(?:number\s+of\s+)?"
                          r"(?:training|steps|iterations|epochs|updates))\b", _I)
# a concession's condition, not a setting: "even when training for 2^23 steps", "even with a batch size of 8"
_EVEN = re.compile(r"\beven\s+(?:when|if|with|after|though|at)\b(?:\s+[\w-]+){0,6}?\s+$", _I)
# the items of a list before a count, which the count ends: "6, 12 and 24 layers" (not "768 and 12 layers")
# (", " apart: 4,096 is one; two after what has them: "2 hidden layers with 400 and 300 units", each layer's width)
_LIST_BEFORE = re.compile(r"(?<![\w.=,])\d+\s*,\s+(?:\d+\s*,\s+)*\d+\s*,?\s+(?:and|or)\s+$"
                          r"|\b(?:with|ha(?:ve|s|d|ving)|contain(?:s|ed|ing)?)\s+\d+\s+(?:and|or)\s+$", _I)
# a value judged wrong: "the suggested learning rate of 0.001, to be too high", "β1 at the suggested value of 0.9
# resulted in training oscillation"
_REJECTED = re.compile(r"\s*,?\s*(?:(?:was|were|is|are|proved|seemed|turned\s+out)\s+(?:to\s+be\s+)?|to\s+be\s+)"
                       r"(?:much\s+|far\s+)?too\s+(?:high|low|large|small|big|aggressive)\b|(?:\s+[\w-]+){0,3}?\s+(?:resulted|"
                       r"results)\s+in\s+(?:training\s+)?(?:oscillations?|instability|divergence)\b", _I)
# and the value used in its place, later in the sentence: "using 0.0002 instead", "while reducing it to 0.5"
_USED_INSTEAD = re.compile(r"\b(?:using|used|use|chose|choosing|(?:set|setting|reduc\w*|lower\w*|increas\w*|decreas\w*|"
                           r"rais\w*|chang\w*)\s+it\s+to)\s+(" + _N + r")(?=\s+instead\b|\s+helped\b|\s+(?:was|worked)\b|\s*[.,;]|$)",
                           _I)
# a size a result is given for: "the top-5 error is 7.3% with 16 layers and 6.8% with 19 layers"
_RESULT_WITH = re.compile(r"\d(?:\.\d+)?\s*%\s+(?:with|for|using)\s+(?:an?\s+|the\s+)?$|\d+\.\d+\s+(?:with|for|using)\s+"
                          r"(?:an?\s+|the\s+)?$", _I)
# cropping, not a ViT's patches: "we randomly crop 64×64 patches", "we extract 32 × 32 patches at random locations"
_CROPPED = re.compile(r"\b(?:crop\w*|extract\w*|random(?:ly)?|sampl\w*|tiles?)\b", _I)
_TABLE_CAPTION = re.compile(r"(?:^|\s)Table\s*\d+\s*[:.]")
# a result that changes with the model's size ("the error decreases with the increased depth: from 11 layers in A
# to 19 layers in E", "accuracy keeps increasing with more layers"): the sizes are an ablation's variants
_TREND = re.compile(r"\b(?:with|as)\s+(?:the\s+|an?\s+)?(?:increas\w*|decreas\w*|more|fewer|deeper|shallower|wider|"
                    r"narrower|larger|smaller|greater|growing|additional)\s+(?:[\w-]+\s+)?(?:depth|layers|width|"
                    r"units|heads|size|capacity|dimensions?)\b", _I)
# what a variant did to a result: "Using 8 heads instead of 16 reduces accuracy by 0.4 points"
_EFFECT = re.compile(r"\b(?:reduc|improv|hurt|degrad|increas|decreas|lower|rais|boost)\w*\s+(?:the\s+)?(?:top-\d\s+)?"
                     r"(?:accuracy|performance|BLEU|F1|perplexity|error|loss|results?|scores?)\b", _I)
# and what a variant led to, in words that name no metric: "leads to faster convergence", "gives a small gain"
_OUTCOME = re.compile(r"\b(?:leads?|led)\s+to\s+(?:much\s+)?(?:faster|slower|better|worse|lower|higher|more|less|unstable|"
                      r"divergence|overfitting)\b|\bgives?\s+(?:only\s+)?(?:a\s+)?(?:small|large|significant|marginal|slight|"
                      r"big|minor|substantial)\s+(?:gain|improvement|drop|boost)\b|\b(?:hurts|helps|improves|degrades)\b", _I)
# the words that make a value a variant compared with another: "a larger learning rate", "halving the batch size"
_VARIED = re.compile(r"\b(?:larger|smaller|higher|lower|bigger|greater|more|fewer|longer|shorter|increas\w*|decreas\w*|"
                     r"doubl\w*|halv\w*|reduc\w*|rais\w*|lower\w*)\b", _I)
# a value this paper sets, in a clause with no "we": "a learning rate of 1e-3 is used, which improves stability"
_SET = re.compile(r"\b(?:is|was|are|were)\s+(?:\w+\s+)?(?:used|set|chosen|applied|adopted|employed|fixed)\b", _I)
# a part of the network, not the network: "separable convolutions are made up of two layers", "the MLP contains two
# layers", "each block has 3 layers" (its subject names no model, network, encoder or decoder)
_IS_MADE_OF = (r"\b(?:\s+[\w-]+){0,3}?\s+(?:is|are|was|were|consists?|consisting|contains?|comprises?|made up|composed|"
               r"has|have)\b")  # (the part as the subject of what it is or holds)
_PART = re.compile(r"\b(?:convolutions?|blocks?|modules?|units?|cells?|MLPs?|classifiers?|branch(?:es)?|projections?|"
                   r"adapters?|bottlenecks?|stages?|heads?)" + _IS_MADE_OF, _I)
# a part whose width is its own, not the model's: a head, an MLP on top, a projection, an adapter
_PART_WIDTH = re.compile(r"\b(?:(?:projection|prediction|classification|output)\s+)?(?:heads?|MLPs?|classifiers?|projections?|"
                         r"projectors?|adapters?|bottlenecks?|predictors?)" + _IS_MADE_OF, _I)
# the brackets after a model compared with hold its sizes: "we compare with BERT-large (24 layers, 1024 hidden units)"
_COMPARED_SIZES = re.compile(r"\b(?:compar\w*(?:\s+(?:it|them|ours|our\s+model))?\s+(?:to|with|against)|versus|vs\.|than|"
                             r"baselines?)\s+(?:the\s+|a\s+|an\s+)?[\w.-]+(?:\s+[\w.-]+)?\s*\([^()]*$", _I)
_WHOLE_NET = re.compile(r"\b(?:network|model|net|encoder|decoder|transformer|architecture|stack|ResNet|ConvNet)s?\b", _I)
# widths of some of the layers ("768 units in the subsequent three layers", "the final two layers have 2048 units"):
# a network whose layers differ, not one hidden size
_SOME_LAYERS = r"\b(?:first|next|subsequent|last|final|remaining|following|middle|top|bottom)\s+(?:[\w-]+\s+)?layers\b"
# a field's name as the owner of another quantity: "the kernel width for layers in the encoder is 3"
_OWNER = re.compile(r"\b(?:width|size|stride|kernel|filter|window|resolution|dimensions?|dimensionality|rate|"
                    r"probability|channels)\s+(?:for|of|in)\s+(?:the\s+|all\s+|each\s+)?"
                    r"(?:(?:two|three|four|five|six|\d+|[\w-]+ing)\s+){0,2}$", _I)  # ("the channels of the three
# upsampling layers to 256, 128, 64")
# the width of a feed-forward block ("FFN inner hidden size 4096", "intermediate hidden dimension") is not the model's
_INNER = re.compile(r"\b(?:FFN|feed-?forward|inner|intermediate|filter|MLP)\s+(?:inner\s+)?$", _I)
# a bound, not a value: "up to 7200 epochs", "until up to 9 layers"
_WE = re.compile(r"\b(?:we|our)\b", _I)
_END_RATE = re.compile(r"\b(?:final|minimum|minimal|min|end|ending|lowest|smallest|terminal)\.?\s+$", _I)
_UNDER = re.compile(r"\b(?:under|below|beneath|(?:smaller|less|lower)\s+than|threshold)\b", _I)
_BOUND = re.compile(r"\bup\s+to\s+$", _I)
# a part that trains beside the model, with its own rate: a GAN's discriminator or critic, an actor-critic's critic or
# value function (the generator's and the policy's rates are the model's)
_AUXILIARY = r"(?:discriminator|critic|Q[- ]?(?:function|network)s?|value[- ](?:function|network)s?)"
_AUXILIARY_BEFORE = re.compile(r"\b" + _AUXILIARY + r"(?:['’]s)?\s+(?:\(?[A-Z]\)?\s+)?(?:initial\s+|base\s+)?$", _I)
_AUXILIARY_AFTER = re.compile(r"(?:[\w-]+\s+){0,3}?(?:learning[ -]rates?|LR)\s+(?:for|of)\s+(?:the\s+)?" + _AUXILIARY
                              + r"\b", _I)
# parts of the model with values of their own: an expert layer, a predictor ("Variance Predictor Dropout 0.5"), a
# distillation's teacher
_OWN_PART = r"(?:expert|(?:[\w-]+\s+)?predictor|teacher)"
# a row of a part that trains beside the model or of one of its parts, not the model's own
_PART_ROW = re.compile(r"^\s*" + _AUXILIARY + r"|\b" + _OWN_PART + r"\b", _I)
# a dropout's place after its value, where it is such a part's ("0.4 at expert layers"), not the model's units
_AT_PART = re.compile(r"\s*\)?\s*(?:at|on|in|to|for)\s+(?:the\s+|each\s+|all\s+|every\s+)?(?:" + _AUXILIARY + r"|"
                      + _OWN_PART + r")s?\b", _I)
_EPOCH_DEFINED = re.compile(r"\b(?:one|an|each|every|a)\s+(?:single\s+)?(?:training\s+)?epoch\s+"
                            r"(?:is\s+|was\s+|being\s+)?(?:defined\s+as|consist(?:s|ing)?\s+of|equals?|"
                            r"correspond(?:s|ing)?\s+to|of|=)\s+$", _I)
# but a training's length all the same: "the models are trained for up to 60 × 10^4 iterations" (with early stopping)
# (or without the "for": "the model is trained up to 800k steps", "trained with a batch size of 16 up to 2.5M steps")
_TRAINED_UP_TO = re.compile(r"\b(?:train(?:ed|ing|s)?|run|ran|optimi[sz]ed)\s+(?:[\w-]+\s+){0,6}?(?:for\s+)?"
                            r"up\s+to\s+$", _I)


# one value per data set, in one clause: "The learning rate is 0.1 for CIFAR-10 and 0.01 for SVHN"
_DATA_AFTER = r"\s+(?:for|on)\s+(?:the\s+)?([A-Z][\w.-]*[\w])(?:\s+(?:data\s?set|benchmark|task))?"
_NEXT_FOR_DATA = re.compile(_DATA_AFTER + r"\s*,?\s+(?:and|while|but|whereas)\s+(" + _N + r"(?:\s*%)?)(?=" + _DATA_AFTER + ")")
# the value for the rest: "… 0.01 for Pubmed, and 0.005 for all other datasets", "… and 3e-5 otherwise": the paper-wide
# value, where the one before it is its data set's
_OTHERS = (r"(?i:\s+(?:for|on|in|with)\s+(?:all\s+)?(?:the\s+)?(?:other|remaining)\s+(?:data\s?sets|tasks|benchmarks|"
           r"languages|domains|experiments|settings|models)\b|\s+otherwise\b)")
FOR_OTHERS = re.compile(_OTHERS)
BEFORE_OTHERS = re.compile(_DATA_AFTER + r"\s*,?\s+(?:and|while|but|whereas)\s+(" + _N + r"(?:\s*%)?)(?=" + _OTHERS + ")")


# the sizes first, the name left out: "For the 7B model we use a learning rate of 3e-4, and for the 70B model 1.5e-4"
_NEXT_SIZE_FIRST = re.compile(rf"\s*,?\s+(?:and|while|but|whereas)\s+{_FOR_SIZE}\s*,?\s+(?:(?:we\s+)?(?:use|used|set|take|took)"
                              rf"\s+)?({_N}(?:\s*%)?)(?=\s*(?:[.;,)]|$))", _I)


def _next_value(text: str, end: int, column_kind) -> tuple[int, int] | None:
    """Where the next value of a name stated for some model sizes or a data set stands, after ``end``: "… of 32 for 1.3B
    and 6B models and 8 for the 175B model", "… is 0.1 for CIFAR-10 and 0.01 for SVHN", "… 0.01 for Pubmed and 0.005
    for all other datasets"; None where none follows."""
    if m := _NEXT_FOR_SIZE.match(text, end) or _NEXT_WHILE_SIZE.match(text, end) or _NEXT_SIZE_FIRST.match(text, end):
        return m.span(1)
    if column_kind and (m := _NEXT_FOR_DATA.match(text, end)) and column_kind(m.group(1)) == column_kind(m.group(3)) \
            == "data":
        return m.span(2)
    if m := BEFORE_OTHERS.match(text, end):
        return m.span(2)
    return None


def _next_values(text: str, name: str, end: int, emit, column_kind) -> Iterator[Found]:
    """The values of ``name`` for other model sizes or data sets that follow one stated for some: each is that name's,
    its setting the sizes after it or the nearest data set."""
    while span := _next_value(text, end, column_kind):
        try:
            value = _one(text[span[0]: span[1]])
        except ValueError:
            return
        found = list(emit(name, value, *span, span))
        if not found:
            return
        yield from found
        end = span[1]


# a table that compares variants: its rows' several values are the variants, none of them a setting
_VARIED_CAPTION = re.compile(r"\b(?:ablat\w*|compar\w*|effect\s+of|impact\s+of|influence\s+of|vary(?:ing)?|varied|"
                             r"sensitivity|different\s+(?:[\w-]+\s+)?(?:numbers?|values|sizes|choices|settings|widths|"
                             r"depths))\b", _I)


def _varied_table(lines: list[tuple[int, str]], k: int) -> bool:
    """Whether line ``k`` is in a table whose caption, at most 12 lines above it, says the table compares variants
    ("Table 4: Ablation over the number of layers", "Table 2: Effect of the batch size")."""
    for _, line in reversed(lines[max(0, k - 12): k]):
        if re.match(r"\s*Table\s*\d+\s*[:.]", line):
            return bool(_VARIED_CAPTION.search(line))
    return False


def _caption_spans(lines: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """Where figure captions lie: from the line that opens "Figure 4." to the first line that ends a sentence (a
    caption's later sentences describe what the figure plots: "the first baseline has 18 layers")."""
    spans = []
    for i, (offset, line) in enumerate(lines):
        if not re.match(r"(?:Figure|Fig\.)\s*\d+\s*[:.]", line):
            continue
        end = offset + len(line)
        for later, text in lines[i: i + 8]:
            end = later + len(text)
            if text.rstrip().endswith("."):
                break
        spans.append((offset, end))
    return spans


# a result reported: "reaches 76.5% top-1 accuracy", "achieves 28.4 BLEU"
_RESULT_VERB = re.compile(r"\b(?:reach|achiev|obtain|attain|scor|yield|get)\w*\s+(?:an?\s+|the\s+|only\s+)?(?:[\w-]+\s+){0,3}?"
                          r"\d+(?:\.\d+)?\s*(?:%|BLEU|F1|points|mAP|AP\b|FID|perplexity|accuracy|top-\d)"
                          # a change in a result: "accuracy improves by only 0.1 points", "drops by 2%"
                          r"|\b(?:improv|drop|increas|decreas|gain|fall|fell|degrad)\w*\s+(?:by\s+|from\s+)?(?:only\s+|just\s+|about\s+)?"
                          r"\d+(?:\.\d+)?\s*(?:%|points?|pp\b|BLEU)"
                          # a comparison of two models' results: "Mask2Former trained for 12 epochs already
                          # outperforms MaskFormer trained for 300 epochs"
                          r"|\b(?:already\s+|still\s+|clearly\s+)?(?:outperform|surpass|beat|match)(?:s|es|ed|ing)?\s+"
                          r"(?-i:[A-Z])[\w-]*(?:\s+(?:\[\d+\]|\([^()]{0,40}\)))?\s+(?:trained|pre-?trained|with)\b", _I)
_POSSESS = re.compile(r"\b(?:has|have|had|uses?|used|consists?|contains?|comprises?|is\s+composed)\b", _I)
# a contrast between another model's clause and ours: "…, while our model uses 12 layers", "While BERT uses 24 layers,
# our model …"
_OURS_AFTER = re.compile(r"(?:,\s*|\s+)(?:while|whereas|but)\s+(?:in\s+)?(?:our|we)\b", _I)
_OURS_OPENS = re.compile(r"\s*((?:While|Whereas|Unlike|In\s+contrast\s+to|Contrary\s+to)\b[^,;]{0,160}"
                         r"(?:,\s*(?:who|which|where)\b[^,;]{0,160})?),\s*(?:our|we)\b")
# ours given as a bare number after another's named value: "Unlike [12], which used a batch size of 256, we use 1024",
# "BERT-large uses 24 layers, while our model uses 12"
_OURS_BARE = re.compile(r"\b(?:we|our\s+(?:[\w-]+\s+)?(?:model|method|approach|network|system|implementation|variant)s?)\s+"
                        r"(?:instead\s+)?(?:use|uses|used|choose|chose|adopt|adopts|adopted|opt\s+for|train\s+with|trains\s+with|"
                        r"keep|keeps|set\s+it\s+to|has|have)\s+(?:only\s+)?(" + _N + r")(?=\s*(?:instead\b)?\s*(?:[.,;)]|$))", _I)
_CONTRAST = re.compile(r"\b(?:while|whereas|unlike|in\s+contrast|contrary|but|instead)\b", _I)


# a sentence whose first part, up to a contrast, is ours: "Our model has 12 layers, whereas …" (a citation in brackets
# that attributes what we use is ours too: "We use a standard Transformer architecture (Vaswani et al., 2017), with
# 12 layers …"; after a run-in heading, "Architecture We use …")
_OURS_FIRST = re.compile(r"\s*(?:[A-Z][a-z-]+\s+(?=We\b))?(?:Our|We|In\s+our)\b"
                         r"(?:\([A-Z][^()]{0,60}?et al\.,?\s*\d{4}[a-z]?\)"
                         r"|(?!\b(?:whereas|while|but|unlike|like|than|which)\b|et al\.|\[\d)[^.;])*$")


# RandAugment (Cubuk et al., 2020) as papers give it: its magnitude and that magnitude's noise in brackets
# ("RandAugment (9, 0.5)", a table's "randaugment [14] (9, 0.5)"), its N and M named ("RandAugment with N = 2 and
# M = 9", "RandAugment (N=2, M=10)"), or timm's string ("rand-m9-mstd0.5-inc1", "rand-m9-n2-mstd0.5")
_RANDAUG_PAIR = re.compile(r"\bRand-?Aug(?:ment)?\b(?:\s*\[[\d,\s]+\])?\s*\(\s*(\d{1,2}(?:\.\d+)?)\s*,\s*(\d*\.\d+|0)\s*\)", _I)
_RANDAUG_NM = re.compile(r"\bRand-?Aug(?:ment)?\b[^.;]{0,20}?\b(?:N\s*=\s*(\d)\s*(?:,|and)\s*M\s*=\s*(\d{1,2})"
                         r"|M\s*=\s*(\d{1,2})\s*(?:,|and)\s*N\s*=\s*(\d))\b", _I)
_RANDAUG_TIMM = re.compile(r"\brand-m(\d{1,2})(?:-n(\d))?(?:-mstd(\d*\.?\d+))?")
# in words: "RandAugment with 2 layers and magnitude 15" (its layers are the operations applied, no network's depth)
_RANDAUG_WORDS = re.compile(r"\bRand-?Aug(?:ment)?\s+with\s+(\d)\s+(?:layers|ops|operations|transformations)\s+and\s+"
                            r"(?:a\s+)?magnitude\s+(?:of\s+)?(\d{1,2})\b", _I)
_PAIRED_LENGTHS = re.compile(r"\b(?:input|source)\s+and\s+(?:target|output)\s+(?:sequence\s+)?lengths?\b(?:(?!\. )[^;]){0,40}?"
                             r"\b(?:are|were|of|is)\s+(\d[\d,]*)\s+and\s+(\d[\d,]*)(?:\s*,?\s*respectively)?", _I)


def _clause_end(text: str, end: int) -> int:
    """Where the clause around ``end`` ends: the next full stop or semicolon, else the text's end."""
    m = _CLAUSE_END.search(text, end)
    return m.start() if m else len(text)


# a results table's header: its rows' label, then a metric's column ("Network Top-1 Error Top-5 Error Cost",
# "Method BLEU Params")
_RESULTS_HEADER = re.compile(r"\s*(?:[A-Za-z][\w.-]*\s+){1,2}?(?:Top-?[15]\b|Error\b|Err\.|Acc(?:uracy)?\b|Acc\.|"
                             r"BLEU\b|ROUGE|F1\b|mAP\b|AP\b|FID\b|PPL\b|Perplexity\b|WER\b|CER\b|EM\b|mIoU\b)")
_STANDALONE = re.compile(r"(?<![\w.-])\d")  # a number of its own (not the 2 of "Inception-v2", the 1 of "Top-1")


# a batch on a kind of hardware, said bare ("8 for GPU and 1 for ARM", "For ARM, the batch size is 1"), not a count
# of devices trained on ("for 8 GPUs") nor a training's ("for GPU training")
_FOR_HARDWARE = re.compile(r"\bfor\s+(?:GPU|CPU|ARM|mobile|phones?)\b(?!\s*(?:training|memory|-))", _I)
_THEIR = re.compile(r"\b(?:their\s+(?:paper|work|setting|setup|implementation)|as\s+reported\s+(?:in|by))\b", _I)


def others_did(text: str, start: int, end: int) -> bool:
    """Whether the sentence up to ``end`` says another work did it ("EfficientNet [29] was trained for 350 epochs
    with RMSProp", "BERT (Devlin et al., 2019) was trained for 1M steps") and not that we do."""
    own = text[_own_sentence_start(text, start): end]
    reported = re.sub(r"\bwe\s+(?:observed|observe|noted|note|saw|see|recall|mentioned)\s+(?:above\s+)?that\b", " ", own,
                      flags=_I)  # ("we observed that the original BERT model was trained …": a report of theirs)
    return bool(_OTHERS_DID.search(own)) and not _WE.search(reported)


def _their_bracket(text: str, at: int) -> bool:
    """Whether the value at ``at`` is in a bracket that gives another work's values ("MobileNet v2 [14] (decay rate 0.98
    per epoch, as reported in their paper)"), not ours."""
    opened = text.rfind("(", max(0, at - 160), at)
    if opened == -1 or ")" in text[opened: at]:
        return False
    closed = text.find(")", at, at + 200)
    inside = text[opened: len(text) if closed == -1 else closed]
    return bool(_THEIR.search(inside)) and not re.search(r"\b(?:we|our|us)\b", inside, _I)


# a hyperparameter search, whose iterations or rounds are its trials
_SEARCH_RUNS = re.compile(r"\b(?:random|grid)\s+search|\bhyper-?parameters?\s+(?:optimi[sz]ation|search|tuning|sweeps?)\b|"
                          r"\bBayesian\s+optimi[sz]ation\b", _I)


def _results_row(text: str, lines: list[tuple[int, int]], at: int) -> bool:
    """Whether the number at ``at`` (``lines``: each line's span in ``text``) is the first of a table row under a
    results table's header: the row's result ("Inception-v2 Label Smoothing 22.8% 6.1 3.8"), not a value of the name
    its label holds."""
    i = next((i for i, (s, e) in enumerate(lines) if s <= at <= e), None)
    if i is None or _STANDALONE.search(text, lines[i][0], at) or len(_STANDALONE.findall(text[lines[i][0]: lines[i][1]])) < 2:
        return False
    for s, e in reversed(lines[max(0, i - 15): i]):  # up over the table's other rows to its header
        above = text[s: e]
        if not above.strip() or re.search(r"[.:]\s|[.:]$", above):
            return False  # a blank line or prose: no table's header above
        if not _STANDALONE.search(above):  # (a line of prose is none: "The AP of our model improves when")
            return bool(_RESULTS_HEADER.match(above)) and not re.search(r"\b(?:the|we|our|is|are|was|when|which|that)\b",
                                                                        above, _I)
    return False


def _theirs(text: str, at: int) -> bool:
    """Whether the value at ``at`` is in the part of a sentence about another model, contrasted with ours."""
    left = _own_sentence_start(text, at)
    right = _clause_end(text, at)
    sentence = text[left: right]
    where = at - left
    if (m := _OURS_AFTER.search(sentence)) and where < m.start() and not _WE.search(sentence[: m.start()]):
        return True
    m = _OURS_OPENS.match(sentence)
    return bool(m and where < m.end(1) and not _WE.search(m.group(1)))


_PART_SPLIT = re.compile(r",\s+(?:so|and|thus|hence|therefore|but|while|whereas|which|since|because)\b", _I)


def _part_of(clause: str, at: int) -> str:
    """The part of a clause, between ", so", ", and", ", which" and the like, that holds position ``at``: "increasing
    the epochs to 300 improves accuracy, so all models are trained for 300 epochs" has two."""
    cuts = [0] + [m.start() for m in _PART_SPLIT.finditer(clause)] + [len(clause)]
    return next((clause[a:b] for a, b in zip(cuts, cuts[1:]) if a <= at < b), clause)


def _clause_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the clause around a match lies: from the last sentence end or semicolon before it to the next after it."""
    left = max(text.rfind(". ", 0, start), text.rfind("; ", 0, start), text.rfind(": ", 0, max(start - 30, 0)))
    right_candidates = [i for i in (text.find(". ", end), text.find("; ", end)) if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    return left + 1, right + 1


def _clause(text: str, start: int, end: int) -> str:
    """The clause around a match (``_clause_span``)."""
    a, b = _clause_span(text, start, end)
    return text[a:b]


_SENTENCE_END = re.compile(r"(?<!\bal)(?<!\be\.g)(?<!\bi\.e)(?<!\bFig)(?<!\bvs)(?<!\bcf)[.?!;]\s+(?=[A-Z(\[])")


def _own_sentence_start(text: str, start: int) -> int:
    """Where the sentence around ``start`` starts, a citation's "et al." or an "e.g." not ending it."""
    return max((m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 400), start)), default=max(0, start - 400))


own_sentence_start = _own_sentence_start  # (for ``extract``: a sentence's opening, past its citations' "et al.")


def _name_chain(before: str) -> list[tuple[int, int, str]]:
    """The fields a list of names ending ``before`` names, in order: names joined by commas and "and" ("the dropout,
    weight decay and label smoothing"), the last where ``before`` ends (the values' verb begins there); (start, end,
    name) each, none where a name comes twice."""
    spans = sorted({(n.start(), n.end(), name) for name, p in _FORMS_NAME.items() for n in p.finditer(before)},
                   key=lambda x: (x[0], -x[1]))
    chain: list[tuple[int, int, str]] = []
    for a, b, name in reversed(spans):  # from the last name back, each joined to the next by a list separator
        if chain and not (b <= chain[-1][0] and re.fullmatch(r"\s*(?:,\s*(?:and\s+)?|,?\s+and\s+)(?:(?:the|both)\s+)?",
                                                              before[b: chain[-1][0]])):
            if b <= chain[-1][0]:
                break
            continue  # (a shorter name inside the one taken)
        if not chain and before[b:].strip():
            continue  # the last name ends where the values' verb begins
        chain.append((a, b, name))
    chain.reverse()
    return chain if len({name for *_, name in chain}) == len(chain) else []


def _sentence_start(text: str, start: int) -> int:
    return max(text.rfind(". ", 0, start), text.rfind("? ", 0, start)) + 1


# a paper's definition of its dropout p as the probability a unit is kept (Srivastava et al.'s: "each unit is
# retained with a fixed probability p", "p is the probability of retaining a unit"), not of dropping it
_P_KEEPS = re.compile(r"\b(?:retain|keep|kept|present)(?:ed|s|ing)?\s+(?:[\w-]+\s+){0,4}?with\s+(?:a\s+)?(?:fixed\s+)?"
                      r"probability\s+(?-i:p)\b|(?<!\w)(?-i:p)\s+(?:is|=|denotes)\s+the\s+probability\s+(?:of|that)\s+"
                      r"(?:retaining|keeping|a\s+unit\s+is\s+(?:retained|kept))|\b(?:retention|keep)\s+probability\s+(?-i:p)\b",
                      re.I)


# symbols a paper defines as a training value's, to read the values it gives by the symbol alone elsewhere
# ("Require: α, the learning rate. m, the batch size." and "the default values α = 0.00005, m = 64"): a symbol defined
# before a name ("α, the learning rate", "where m is the batch size"), or a Greek one after it ("the learning rate η",
# "weight decay (λ)"); a symbol defined as anything else anywhere ("c, the clipping parameter", "λ is the weight of the
# auxiliary loss") is no field's
_DEFINED_FIELDS = ("learning_rate", "batch_size", "weight_decay", "momentum", "dropout", "epochs", "max_steps",
                   "warmup_steps", "grad_clip")
_GREEK_SYMBOL = r"[α-ωϵϑϕ](?:_?\d|_?\{?[a-z]{1,3}\}?(?![a-z]))?"
_SYMBOL_DEFINED = r"(?<![\w-])(" + _GREEK_SYMBOL + r"|(?-i:[A-Za-z])(?:_?\d)?)"
_DEFINES = re.compile(_SYMBOL_DEFINED + r"(?:\s*[,:]\s*(?:the\s+|a\s+|an\s+)?|\s+(?:is|denotes|represents|being)\s+(?:the|a|an)"
                      r"\s+)((?:[A-Za-z][\w-]*\s+){0,3}[A-Za-z][\w-]*)", _I)  # (not "η is decayed by …")
_NAMED_SYMBOL = {name: re.compile(r"(?:" + NAMES[name] + r")\s+\(?(" + _GREEK_SYMBOL + r")\)?(?![\w(])(?!\s*[=∈])", _I)
                 for name in _DEFINED_FIELDS}
_FIELD_PHRASE = {name: re.compile(r"^(?:(?:initial|base|peak|maximum|max|global|total|mini|training)[ -]+)*(?:"
                                  + NAMES[name] + r")\b", _I) for name in _DEFINED_FIELDS}


# a quantity's name right before a symbol given a value: the symbol is that quantity's there, whatever else it is
_ANOTHER_QUANTITY = re.compile(r"\b(?:[\w-]+\s+)?(?:penalty|temperature|coefficient|weight|factor|ratio|margin|threshold|"
                               r"scale|scaling|smoothing|parameter|rank|decay|discount|probability|rate|size|constant)"
                               r"\s+(?:of\s+|is\s+|was\s+)?\(?$", _I)


def defined_symbols(text: str) -> dict[str, str]:
    """The symbols ``text`` (a whole paper's) defines as one training value each, with the field: those defined as
    one field only (``_DEFINES``, ``_NAMED_SYMBOL``)."""
    meanings: dict[str, set[str]] = {}
    for m in _DEFINES.finditer(text):
        symbol, phrase = m.group(1), m.group(2)
        if symbol.isascii() and (symbol.lower() in ("a", "i") or re.search(
                r"\b(?:Table|Tab|Figure|Fig|Section|Sec|Appendix|App|Algorithm|Alg|Step|Stage|Phase|Eq|Equation|Part|"
                r"Model|Setting|Setup|Config(?:uration)?)\.?\s*$", text[max(0, m.start() - 16): m.start()], _I)):
            continue  # an article, a pronoun; a part of the paper or a variant named by a letter ("In Table A, the …")
        fields = [name for name, p in _FIELD_PHRASE.items() if p.match(phrase)]
        meanings.setdefault(symbol, set()).update(fields or ["other"])
    for name, pattern in _NAMED_SYMBOL.items():
        for m in pattern.finditer(text):
            meanings.setdefault(m.group(1), set()).add(name)
    return {symbol: fields.pop() for symbol, fields in meanings.items() if len(fields) == 1 and "other" not in fields}


def p_keeps_units(text: str) -> bool:
    """Whether a paper defines its dropout p as the probability of keeping a unit (``_P_KEEPS``)."""
    return bool(_P_KEEPS.search(text))


def loses_superscripts(text: str) -> bool:
    """Whether a paper's text shows powers with their superscripts lost: "219 = 524,288" (2^19) or "104 = 10,000"."""
    for m in re.finditer(r"(?<![\w.,])(2|10)(\d{1,2})\s*=\s*(\d{1,3}(?:,\d{3})+|\d{3,})(?![\d.,]\d)", text):
        if int(m.group(3).replace(",", "")) == int(m.group(1)) ** int(m.group(2)) >= 1000:
            return True
    return False


# counts a paper may print as powers of two or ten ("2^18 steps", "10^4 warm-up steps")
_POWERED = {"max_steps", "batch_size", "warmup_steps", "seq_len"}


def _power(value: object) -> object:
    """A count printed as 2^10..2^40 or 10^3..10^9 with its superscript lost (218, 104): the power it was."""
    if isinstance(value, int) and 210 <= value <= 240:
        return 2 ** (value - 200)
    if isinstance(value, int) and 103 <= value <= 109:
        return 10 ** (value - 100)
    return value


def find_values(text: str, lines: list[tuple[int, str]], lora: bool, lost_powers: bool = False,
                column_kind: Callable[[str], str | None] | None = None, p_keeps: bool = False,
                symbols: dict[str, str] | None = None) -> Iterator[Found]:
    """Every value the rules find in one page's text (``lines``: each line's offset in ``text`` and its words).
    ``lost_powers``: the paper prints powers with their superscripts lost (``loses_superscripts``), so a bare count
    such as "218 steps" is 2^18. ``column_kind``: what a word names, "data" (a data set) or "stage" (of training), else
    None (a table's columns may be data sets or stages). ``p_keeps``: the paper's dropout p is the probability that a
    unit is kept (``p_keeps_units``), so "dropout with p = 0.8" drops 0.2. ``symbols``: the symbols the paper defines
    as one field each (``defined_symbols``), so "α = 0.00005" is a learning rate where "α, the learning rate"."""
    taken: list[tuple[int, int, str]] = []

    def free(name: str, start: int, end: int) -> bool:
        """A number already read as one field's value (or inside a table row read as one) is no other's."""
        return not any(a <= start < b for a, b, _ in taken)

    rows = [(offset, offset + len(line)) for offset, line in lines if row_like(line)]
    captions = _caption_spans(lines)
    all_lines = [(offset, offset + len(line)) for offset, line in lines]

    def across_rows(a: int, b: int) -> bool:
        """A name and a number on different lines of a table ("batch size 4096 4096 / training epochs 300")."""
        line_a = next(((s, e) for s, e in rows if s <= a <= e), None)
        line_b = next(((s, e) for s, e in rows if s <= b <= e), None)
        return line_a is not None and line_b is not None and line_a != line_b

    def row_then_name(a: int, b: int) -> bool:
        """A table row's last number and a name that starts the table's next row ("layer-wise lr decay 0.7 0.8" over
        "warmup epochs None None"): not a count of that name (a caption's "… with DeiT, 300 / epochs of pre-training."
        is prose)."""
        line_a = next(((s, e) for s, e in rows if s <= a <= e), None) or next(
            ((s, e) for s, e in all_lines if s <= a <= e and _NAME_THEN_VALUE.fullmatch(text, s, e)), None)  # ("# Epoch
        # 5" over "Warmup Steps 500": a row of one name and one value)
        line_b = next(((s, e) for s, e in all_lines if s <= b <= e), None)
        if line_a is None or line_b is None or line_a == line_b or re.match(r"(?:Table|Fig)", text[line_a[0]:]):
            return False
        below = text[line_b[0]: line_b[1]]
        return not re.search(r"[.;:]\s|[.;:]$", below)

    def under_header(a: int, b: int) -> bool:
        """A name in a line without numbers and its "value" in a line of numbers only below it: a table's column
        header over its first row ("Kernel width Encoder layers" over "5 9 13"), not a value."""
        line_a = next(((s, e) for s, e in all_lines if s <= a <= e), None)
        line_b = next(((s, e) for s, e in all_lines if s <= b <= e), None)
        if line_a is None or line_b is None or line_a == line_b:
            return False
        row = text[line_b[0]: line_b[1]]
        return not re.search(r"\d", text[line_a[0]: a]) and len(re.findall(_N, row)) >= 2 and \
            not re.search(r"[A-Za-z]{3}", row)

    def emit(name: str, value: object, start: int, end: int, span: tuple[int, int] | None = None,
             row: bool = False, label: str | None = None, grid: bool = False) -> Iterator[Found]:
        value_at, value_end = span or (start, end)  # the number itself, in the match that found it
        if not lora and name in ("lora_rank", "lora_alpha"):
            return
        if lost_powers and name in _POWERED:
            value = [_power(v) for v in value] if isinstance(value, list) else _power(value)
        if name == "seq_len" and not row and isinstance(value, int) and (k := re.fullmatch(
                r"(\d{1,3})\s*[kK]", text[value_at: value_end].strip())) and \
                int(k.group(1)) in (1, 2, 4, 8, 16, 32, 64, 128, 256):
            value = int(k.group(1)) * 1024  # a context of "4k tokens" is 4,096 of them, as lengths are powers of two
        if name in NONE_AT_ZERO and value == 0:
            value = None  # "Gradient clipping 0.0", "0 warm-up steps": the paper says there is none
        elif not _plausible(name, value, row) and not (name == "batch_size" and isinstance(value, int) and
                                                        value <= _TOKEN_BATCH_LIMIT and TOKENS_AFTER.match(
                                                            text, value_end)):
            return  # (a batch of millions counted in tokens is one: "a batch size of 4M tokens")
        if name == "num_layers" and (isinstance(value, list) and re.search(
                r"(?:layers|blocks|MLPs?)\s*\(\s*$", text[start: value_at], _I) or re.search(
                r"(?:layers|blocks)\s+of\s+$", text[start: value_at], _I)):
            return  # "shared fully-connected layers (64, 64, 128, 256)", "MLP(64, 128, 1024)", "two hidden layers of
            # 100 ReLU units": the layers' widths
        if _results_row(text, all_lines, value_at):
            return  # "Inception-v2 Label Smoothing 22.8% 6.1 3.8" under "Network Top-1 Error Top-5 Error": a result
        if not row and re.search(r"[a-zα-ω)]\s*[/÷]\s*$", text[max(0, value_at - 6): value_at],
                                 _I):
            return  # "ηl−1 = ηl /2.6 as the learning rate": a divisor, not the value
        if row:  # a table's cell: the sentences around the table are not its context
            taken.append((start, end, name))
            yield Found(name, value, start, end, label, row=True, grid=grid)
            return
        clause_at, clause_end = _clause_span(text, start, end)
        clause = text[clause_at: clause_end]
        sentence = text[_sentence_start(text, start): end]
        about = _MEMORY_PURPOSE.sub(" ", clause) if _WE.search(clause) else clause
        if name == "batch_size" and _EFFECTIVE.search(around := text[_sentence_start(text, start): _next_sentence_end(
                text, end)]) and (said_per_device(text, start, end) or _ACCUMULATION.search(around)) and \
                not _EFFECTIVE.search(text, max(0, start - 40), end):
            return  # "a per-device batch size of 8 … an effective batch size of 32" (in its sentence or the next), "a
            # batch size of 8 and accumulate gradients over 4 batches for an effective batch size of 32": the batch
            # trained on is 32
        if _CAPTION.search(sentence) or (name in _NOT_TRAINING and _NOT_TRAINING[name].search(about)):
            return
        if name == "batch_size" and re.search(r"\b(?:sampl|generat|decod)(?:e|es|ed|ing)\s+(?:a\s+|one\s+)?(?:mini-?)?"
                                              r"batch(?:es)?\s+of\s+(?:size\s+)?$", text[max(0, start - 50): value_at],
                                              _I):
            return  # "sampling a batch of 128 images takes 300 seconds": a sampler's batch, not training's
        if name == "batch_size" and _FOR_HARDWARE.search(clause):
            return  # "Batch size is 8 for GPU and 1 for ARM": a speed benchmark's batch on each kind of hardware
        if _their_bracket(text, start):
            return  # "MobileNet v2 [14] (decay rate 0.98 per epoch …, as reported in their paper)": the baseline's
        if name in ("num_layers", "num_heads") and _COUNT_OF_OTHER.match(text, value_end):
            return  # "N = 100 decoder query slots": a count of another thing, its noun after it
        if name == "grad_clip" and re.match(r"clipping\s", text[start: start + 9], _I) and not re.search(
                r"\bgrad(?:ients?|\.)?\b", sentence + text[end: _next_sentence_end(text, end)], _I):
            return  # "a clipping value of 0.2" names no gradient's clipping where its sentence clips no gradient
        if name == "num_layers" and re.match(r"\s*(?:→|->)\s*\d", text[value_end:]):
            return  # "the neural CF layers is 32 → 16 → 8": a tower's widths
        if name == "max_steps" and _SEARCH_RUNS.search(clause):
            return  # "random search, using 240 iterations for Volatility": a hyperparameter search's trials
        if name == "max_steps" and re.match(r"\s*(?:training\s+)?(?:iterations|steps|updates|batches)\s+(?:(?:per|each|every|in\s+"
                                             r"(?:each|an?|one))\s+(?:epoch|level|scale|stage|update|rollout)|of\s+(?:the\s+)?flow)\b",
                                             text[value_end:], _I):
            return  # "we use 30 iterations per epoch": an epoch's length; "K = 32 steps per level", a flow's depth;
            # "2048 steps per update", a rollout's
        if name == "max_steps" and re.search(r"\b(?:perturbation|attack|PGD|adversar\w*)\b"
                                             r"(?:(?!\btrain)(?:[^.;]|\.(?=\d))){0,60}$", text[max(0, start - 80): start], _I):
            return  # "perturbation step size η1 = 0.01, number of iterations K = 40": an attack's iterations
        if name == "max_steps" and (re.search(r"\b(?:DDIM|DDPM|sampler|sample[ds]?\s+with|sampling\s+(?:with|using)|"
                                              r"diffusion\s+(?:schedule|process)|noise\s+schedule)\b"
                                              r"(?:(?!\btrain)(?:[^.;]|\.(?=\d))){0,40}$",
                                              text[max(0, start - 60): start], _I) or re.match(
                r"\s*(?:sampling|denoising|diffusion|inference)\s+steps\b", text[value_end:], _I)):
            return  # a diffusion model's sampler or noise schedule: "we sample with DDIM using 20 steps", "a diffusion
            # schedule with 1000 steps", "50 sampling steps" (not "We train for 600k steps and sample with DDIM")
        if name == "adam_epsilon" and re.search(r"\b(?:bound|budget|radius|ball|perturbation|constraint)\s+"
                                                r"(?:of\s+|is\s+)?$", text[max(0, start - 30): start], _I):
            return  # "an L∞ norm bound of ε = 5 × 10−4": a constraint's ε, not Adam's
        if name == "max_steps" and re.search(r"\b(?:windows?|horizons?|look-?back)\s+(?:(?:is|are|was|were|of|=)\s+)?"
                                             r"(?:set\s+to\s+)?$", text[max(0, start - 40): start], _I):
            return  # "the input and the forecast windows are 12 steps": a window's length in time steps
        if name == "num_layers" and _PER_PART.match(text, value_end):
            return  # "16 residual blocks with 2 convolutional layers per block": a part's count, not the network's
        if name == "max_steps" and re.search(r"\bevery\s+[\d,.]+\s*[\w-]*\s*\(\s*$",
                                             text[max(0, start - 60): value_at], _I):
            return  # "every 2,097,152,000 tokens (1,000 iterations)": an interval, said again in steps
        if name == "max_steps" and (verbs := re.findall(r"\b(evaluat|tested|train)", text[clause_at: value_at], _I)) and verbs[-1].lower() != "train":
            return  # "… trained using 5 gradient steps, and evaluated using 10 gradient steps", "We evaluate robustness
            # with PGD using 20 iterations": the steps of an evaluation (the verb nearest before them), not training's
        if name == "batch_size" and _EVAL_BATCH.search(text, max(0, start - 30), start):
            return  # "The test batch size is 1000", "… and a validation batch size of 256": not training's
        if isinstance(value, list) and _TABLE_CAPTION.search(sentence):
            taken.append((start, end, name))  # (nor is its last number one value: "… trained for 100, 200 and 300
            return  # epochs") "Table 3: Results with batch sizes 256, 512 and 1024": the table's variants
        if others_did(text, start, end):
            return  # another work's value
        if _WHICH_OTHER.search(text, max(_sentence_start(text, start), start - 100), start):
            return  # "… published numbers from BERT, which was also trained for 1M steps": a named model's, not ours
        if name in ("learning_rate", "weight_decay", "momentum", "dropout") and _FRACTION_OF.match(text, value_end):
            return  # "at 0.9 and 0.95 fractions of the total number of training steps": where, not a value
        if name == "batch_size" and re.match(r"(?:\.\d+)?\s*(?:minutes|seconds|hours|mins?|secs?|hrs?|h|s)\b",
                                             text[value_end: value_end + 12], _I):
            return  # "a batch size of 63 minutes of audio", "the total batch size is 1.6h", "1,600sec": a batch
            # measured in time, no count of examples
        if name in ("max_steps", "warmup_steps") and re.search(r"(?<![\w-])[α-ωϵ]_?\w?\s*=\s*$",
                                                              text[max(0, value_at - 8): value_at]):
            return  # "we linearly anneal τ using τ0 = 0.999, τe = 0.9999 and τn = 30,000 updates": another
            # quantity's schedule, by its Greek symbol
        if name == "learning_rate" and _RELATIVE.match(text, value_end):
            return  # "a learning rate of 0.5 relative to the pre-training learning rate": a ratio, not a rate
        if _SCALE_AFTER.match(text, value_end):
            return  # "from three to six million tokens per batch": a count in words its scale multiplies, not six
        if name == "dropout" and _AT_PART.match(text, value_end):
            return  # "a much larger dropout rate (0.4) at expert layers": a part's, not the model's units
        if _FORMULA.match(text, value_end) or (_PER_SYMBOL.match(text, value_end) and per_batch(text, value_end) is None):
            return  # a formula's coefficient: "a peak learning rate of 0.05/√d", "0.2 · d^−0.5", "0.05·n/128, where n
            # is the number of GPUs" is no value alone
        if _FAILED.match(text, value_end) or _REJECTED.match(text, value_end):
            # a value that failed or was judged too high; the one the sentence used in its place is the value
            # ("We found the suggested learning rate of 0.001 to be too high, using 0.0002 instead")
            stop = text.find(". ", value_end)
            if (used := _USED_INSTEAD.search(text, value_end, len(text) if stop == -1 else stop)) and not isinstance(
                    value, list):
                try:
                    yield from emit(name, _one(used.group(1)), start, max(end, used.end(1)), used.span(1), row, label)
                except ValueError:
                    pass
            return
        if name in _SIZES and _RESULT_WITH.search(text, max(0, value_at - 30), value_at):
            return  # a size a result is given for
        if name == "num_beams" and not re.search(r"\bbeam[- ]search\b|\bdecod\w*", text[_own_sentence_start(
                text, max(0, _own_sentence_start(text, start) - 2)): _clause_end(text, end)], _I):
            return  # the beams of a decoding its sentence or the one before describes ("we use beam search with a
            # beam size of 4"), not a results table's rows ("…, beam size 12 26.17")
        if name == "patch_size" and _CROPPED.search(sentence):
            return
        if any(a <= start < b for a, b in captions) or (_HEDGE.search(clause) and not _WE.search(clause)):
            return
        if _EVEN.search(text, max(_sentence_start(text, value_at), value_at - 60), value_at):
            return  # a concession's condition: "we do not complete one pass over the data even when training for
            # 2^23 steps"
        if _WOULD.match(text, value_end):
            return  # the subject of a hypothesis: "our large batch size of 2^11 sequences would result in …"
        if _RESULT_VERB.search(sentence_all := text[_own_sentence_start(text, start): _clause_end(text, end)]) and \
                not _WE.search(sentence_all) and not (_POSSESS if name in _SIZES else _SET).search(sentence_all):
            return  # a value a result is reported for: "With 16 layers, the model reaches 76.5% top-1 accuracy",
            # "Full fine-tuning with a learning rate of 1e-4 reaches 91.0%"
        if _theirs(text, value_at):
            return  # the other model's, in a sentence that contrasts it with ours: "BERT-large uses 24 layers and a
            # hidden size of 1024, while our model uses 12 layers"
        if name in _SIZES and (_TREND.search(clause) or (_EFFECT.search(clause) and not _WE.search(clause))):
            return  # an ablation's finding over sizes ("using 8 heads reduces accuracy"), not the model's size
        part = _part_of(clause, value_at - clause_at)
        if (_EFFECT.search(part) or _OUTCOME.search(part)) and _VARIED.search(part) and not _WE.search(part) \
                and not _SET.search(part):
            return  # a variant's effect, any field's: "increasing the batch size from 256 to 1024 improves accuracy",
            # "a larger learning rate of 1e-3 leads to faster convergence" (not "a warm-up of 4000 steps helps")
        if name == "num_layers":
            subject = text[_sentence_start(text, start): value_at]
            if _PART.search(subject) and not _WHOLE_NET.search(subject):
                return
        if name == "hidden_size" and _PART_WIDTH.search(text[_sentence_start(text, start): value_at]):
            return  # "the projection head is a two-layer MLP with a hidden dimension of 2048": a part's width
        if name == "hidden_size" and (re.search(_SOME_LAYERS, text[start: min(end + 50, len(text))], _I) or re.search(
                _SOME_LAYERS + r"\s+(?:have|has|use|with)\b(?:(?!\. ).){0,40}$", text[max(0, start - 80): start], _I)):
            return
        ours = _OURS_FIRST.match(text, _own_sentence_start(text, start), value_at)  # ("Our model has 12 layers,
        # whereas GPT-3 has 96 layers (Brown et al., 2020)": the citation is the other's)
        if name in ("num_layers", "hidden_size") and (not ours and (_OTHER_WORK.search(clause) or re.search(
                r"\bet al\.|\[\d+(?:,\s*\d+)*\]", sentence)) or _COMPARED.search(text, max(0, start - 40), start)):
            return  # another work's size, a cited one, or a model compared with ("as a 101-layer ResNet")
        if name in _SIZES and _COMPARED_SIZES.search(text[_sentence_start(text, start): value_at]):
            return  # the sizes in brackets after a model compared with ("we compare with BERT-large (24 layers, …")
        taken.append((value_at, value_end, name))
        yield Found(name, value, start, end)

    def bracketed(name: str, at: int) -> Iterator[Found]:
        """Another setting's value of ``name`` in brackets after one that ends at ``at``: "a dropout of 0.3 (0.1 for
        En-Fr)", "300 epochs (40 for SVHN)" (the setting is the one the bracket names: ``extract``'s to find)."""
        if (other := BRACKET_FOR.match(text, at)) and free(name, *other.span(1)):
            try:
                value = _one(other.group(1))
            except ValueError:
                return
            yield from emit(name, value, other.start(1), other.end(1), other.span(1))

    # the names the page holds at all (one scan each): the rules of the others cannot match, and are not run
    present = {name for name, pattern in _PRESENT.items() if pattern.search(text)}

    # 1. hyperparameter-table rows: "Learning rate 2e-5 3e-5 2e-5 1e-5", "Number of steps 500K"; in a table whose
    #    columns are model sizes ("Hyperparam RoBERTaLARGE RoBERTaBASE"), each value is its column's size's
    for k, (offset, line) in enumerate(lines):
        if not re.search(r"\d", line):
            continue
        for name, row in _ROWS.items():
            if name not in present:
                continue
            m = row.fullmatch(line)
            if m and _PART_ROW.search(line[: m.start(1)]):
                taken.append((offset, offset + len(line), name))
                break  # "Discriminator learning rate 0.0004", "Expert dropout 0.4": a part's row, not the model's
            if m:
                try:  # each cell, a dash as None (the column has no value in this row), a set as its values ("{16, 32}")
                    cells = [None if c in "-–—" else _many(c) if c.startswith("{") else _one(c)
                             for c in re.findall(_SET_CELL + r"|" + _VALUE + r"|(?<!\S)[-–—](?!\S)", m.group(1)) if c.strip()]
                except ValueError:
                    continue
                scale, unit = _row_unit(line[: m.start(1)])
                if unit == "tokens" and name == "batch_size":
                    taken.append((offset, offset + len(line), name))
                    break  # "Batch size (K tokens) 512": a batch counted in tokens, no batch of sequences
                if scale != 1:  # "Learning rate (×10−4) 6.0 3.0", "Steps (K) 500"
                    def scaled(v: float | int) -> float | int:
                        return float(f"{v * scale:.12g}") if scale < 1 or not float(v * scale).is_integer() \
                            else int(v * scale)
                    cells = [v if v is None else [scaled(x) for x in v] if isinstance(v, list) else scaled(v)
                             for v in cells]
                stated = [v for v in cells if v is not None]
                values = list({repr(v): v for v in stated}.values())
                named = _named_columns(lines, k, len(cells), column_kind) if len(cells) > 1 else None
                # each column its own value where they differ or one is missing; a value equal in every column of
                # stages ("weight decay 0.05 0.05" under "Config Pre-training Fine-tuning") each stage's too
                sizes = named if named and (len(values) > 1 or len(cells) > len(stated) or (
                    column_kind is not None and all(column_kind(w) == "stage" for w in named))) else None
                if sizes:
                    for size, one in zip(sizes, cells):
                        if one is not None:
                            yield from emit(name, one, offset, offset + len(line), row=True, label=size,
                                            grid=isinstance(one, list))
                    break
                if len(cells) == 1 and isinstance(cells[0], list):  # "Learning rate {1e-5, 2e-5, 3e-5}": a search
                    yield from emit(name, cells[0], offset, offset + len(line), row=True, grid=True)
                    break
                values = list(dict.fromkeys(x for v in values for x in (v if isinstance(v, list) else [v])))
                value = values[0] if len(values) == 1 else values
                if len(values) > 1 and _varied_table(lines, k):
                    taken.append((offset, offset + len(line), name))
                    break  # "Table 4: Ablation over the number of layers" over "Layers 6 12 24": the variants compared
                yield from emit(name, value, offset, offset + len(line), row=True)
                break

    # 1b. tables whose header names the columns ("Parameters Layers dmodel" over "117M 12 768")
    yield from _column_tables(lines, emit)

    # 2. paired symbols: "β1, β2 = 0.9, 0.999", "(β1, β2) = (0.9, 0.98)", "(β1, β2) set to (0.9, 0.95)"; a bare β
    #    given a pair: "β = (0.5, 0.999)"
    for m in re.finditer(r"(?:\(?\s*(?:β|beta)_?1\s*,\s*(?:β|beta)_?2\s*\)?\s*(?:=|of|:|(?:(?:is|are|was|were)\s+)?set\s+to"
                         r"|(?:is|are|was|were)(?=\s*[(\[]))|\b(?:betas|β's|βs)\s*(?:=|of|:)?"
                         r"|(?<![\w-])(?:β|beta)\s*(?:=\s*)?(?=[(\[]\s*0?\.\d))"  # (a table's "Adam β (0.9, 0.999)")
                         r"\s*[(\[]?\s*" + NUM + r"\s*[,/]\s*" + NUM, text, _I):  # (or slashed: "betas 0.9/0.95")
        if re.search(_REPLACED, text[max(0, m.start() - 60): m.start()], _I):
            continue  # "instead of the PyTorch default of β = (.9, .999)": the pair replaced
        yield from emit("adam_beta1", parse_number(m.group(1)), m.start(), m.end(), (m.start(1), m.end(1)))
        yield from emit("adam_beta2", parse_number(m.group(2)), m.start(), m.end(), (m.start(2), m.end(2)))

    # 2b. a model's sizes in the notation BERT made common, after its name: "BERTBASE (L=12, H=768, A=12, ...)"
    #     (layers, hidden size, attention heads), or after its verb, another symbol between ("PEGASUSBASE had L = 12,
    #     H = 768, F = 3072, A = 12"); the name is the sizes' setting
    for m in re.finditer(r"(?:(?:([A-Z][\w.-]*[A-Za-z])\s*)?\(|([A-Z][\w.-]*[A-Za-z])\s+(?:had|has|have|uses|used)\s+)"
                         r"\s*L\s*=\s*(\d+)\s*,\s*H\s*=\s*(\d+)\s*,\s*(?:[B-Z]\s*=\s*\d+\s*,\s*)?A\s*=\s*(\d+)", text):
        for name, group in (("num_layers", 3), ("hidden_size", 4), ("num_heads", 5)):
            if free(name, m.start(group), m.end(group)):
                yield from emit(name, int(m.group(group)), m.start(group), m.end(group), row=True,
                                label=m.group(1) or m.group(2))

    # 2b'. an input's and a target's lengths named together: "The input and target sequence lengths used in finetuning
    #     are 1024 and 256, respectively" (each its own field, not one list)
    for m in _PAIRED_LENGTHS.finditer(text):
        for name, group in (("seq_len", 1), ("target_len", 2)):
            if free(name, m.start(group), m.end(group)):
                yield from emit(name, parse_number(m.group(group)), m.start(), m.end(), (m.start(group), m.end(group)))

    # 2b''. RandAugment's operations per image, magnitude and magnitude noise, in the forms papers give them together
    for m in _RANDAUG_PAIR.finditer(text):
        for name, group in (("randaugment_magnitude", 1), ("randaugment_std", 2)):
            if free(name, m.start(group), m.end(group)):
                yield from emit(name, parse_number(m.group(group)), m.start(), m.end(), (m.start(group), m.end(group)))
    for m in _RANDAUG_NM.finditer(text):
        for name, group in (("randaugment_ops", 1 if m.group(1) else 4), ("randaugment_magnitude", 2 if m.group(2) else 3)):
            if free(name, m.start(group), m.end(group)):
                yield from emit(name, parse_number(m.group(group)), m.start(), m.end(), (m.start(group), m.end(group)))
    for pattern, groups in ((_RANDAUG_WORDS, (("randaugment_ops", 1), ("randaugment_magnitude", 2))),
                            (_RANDAUG_TIMM, (("randaugment_magnitude", 1), ("randaugment_ops", 2),
                                             ("randaugment_std", 3)))):
        for m in pattern.finditer(text):
            for name, group in groups:
                if m.group(group) and free(name, m.start(group), m.end(group)):
                    yield from emit(name, parse_number(m.group(group)), m.start(), m.end(),
                                    (m.start(group), m.end(group)))

    # 2c. a value, then its name in brackets, as a list of settings gives them: "We used: 0.5 (dropout rate), 5 · 10−4
    #     (L2 regularization) and 16 (number of hidden units)"; or then "as" and its name, the name ending its phrase:
    #     "We use 0.1 as the dropout rate and 0.01 as weight decay" (not "91.0 as the batch size grows": what follows
    #     the name says the value is no setting of it)
    #     A value, then "for" and its name, after the verb that chooses it: "We use 0.1 for dropout and 0.01 for weight
    #     decay", "We set λ = 0.01 for weight decay"
    for lead, names in ((_VALUE_BRACKET, _NAMED_AFTER), (_VALUE_AS, _NAMED_AS), (_VALUE_FOR, _NAMED_FOR)):
        for m in lead.finditer(text):
            while m:
                named = None
                for name, pattern in names.items():
                    named = pattern.match(text, m.end())
                    if named and free(name, m.start(1), m.end(1)):
                        try:
                            value = _one(m.group(1))
                        except ValueError:
                            break
                        yield from emit(name, value, m.start(), named.end(), (m.start(1), m.end(1)))
                        break
                else:
                    named = None
                m = _VALUE_FOR_NEXT.match(text, named.end()) if named and lead is _VALUE_FOR else None

    # 2d. the value a search or a trial ended on, for the field its sentence names before it: "We swept the learning
    #     rate in [1e-5, 1e-3] and found 3e-4 to work best"
    for m in _FOUND_BEST.finditer(text):
        before = text[_sentence_start(text, m.start()): m.start()]
        named = max(((n.end(), name) for name, p in _FORMS_NAME.items() for n in p.finditer(before)), default=None)
        a, b = m.span(1) if m.group(1) else m.span(2)
        if named and free(named[1], a, b):
            try:
                value = _one(text[a:b])
            except ValueError:
                continue
            yield from emit(named[1], value, a, m.end(), (a, b))

    # 2d'. names listed, then as many values, "respectively": "The learning rate, batch size and number of epochs are
    #     1e-4, 256 and 30, respectively", "We set the dropout and weight decay to 0.2 and 0.01, respectively" (the
    #     names a chain joined by commas and "and" that ends where the values' verb begins)
    for m in _RESPECTIVE.finditer(text):
        numbers = list(re.finditer(_N, m.group("values")))
        before = text[_sentence_start(text, m.start()): m.start()]
        offset = m.start() - len(before)
        chain = _name_chain(before)
        if len(chain) < 2 or len(chain) != len(numbers):
            continue
        for (_, _, name), n in zip(chain, numbers):
            a, b = m.start("values") + n.start(), m.start("values") + n.end()
            if free(name, a, b):
                try:
                    value = _one(n.group(0))
                except ValueError:
                    continue
                yield from emit(name, value, offset + chain[0][0], m.end(), (a, b))

    # 2d''. names listed, then one value that each of them takes: "RMSProp with decay and momentum both set to 0.9",
    #     "Dropout and weight decay were set to 0.1" (a name twice, "the dropout and attention dropout", is no list)
    for m in _SHARED.finditer(text):
        before = text[_sentence_start(text, m.start()): m.start()]
        chain = _name_chain(before)
        if len(chain) < 2 or not free(chain[0][2], *m.span("value")):
            continue
        try:
            value = _one(m.group("value"))
        except ValueError:
            continue
        for _, _, name in chain:  # (the one number is each name's: read it for all before any takes it)
            yield from emit(name, value, m.start() - len(before) + chain[0][0], m.end(), m.span("value"))

    # 2e. ours as a bare number after another's value named in the same sentence ("Unlike [12], which used a batch size
    #     of 256, we use 1024"): the field named there, when the sentence names one field and contrasts the two
    for m in _OURS_BARE.finditer(text):
        before = text[_sentence_start(text, m.start()): m.start()]
        named = {name for name, p in _FORMS_NAME.items() if p.search(before)}
        if len(named) == 1 and _CONTRAST.search(before) and free(name := named.pop(), m.start(1), m.end(1)):
            try:
                value = _one(m.group(1))
            except ValueError:
                continue
            yield from emit(name, value, m.start(), m.end(), m.span(1))

    # 3a. a value given by a symbol the paper defines as one field's ("All experiments used the default values α =
    #     0.00005, m = 64", where "α, the learning rate. m, the batch size."), not a formula's term ("η = 0.1 × k")
    for symbol, name in (symbols or {}).items():
        for m in re.finditer(r"(?<![\w-])" + re.escape(symbol) + r"\s*=\s*" + NUM + r"(?!\w|\.\d|\s*[×x·*∗/+^(])", text):
            if not free(name, m.start(1), m.end(1)) or across_rows(m.start(), m.start(1)):
                continue
            before = text[max(_sentence_start(text, m.start()), m.start() - 40): m.start()]
            if _ANOTHER_QUANTITY.search(before) and not re.search(r"(?:" + NAMES[name] + r")\s*(?:of\s+|is\s+|\()?$",
                                                                  before, _I):
                continue  # the symbol under another quantity's name here ("a length penalty of α = 0.6")
            try:
                value = _one(m.group(1))
            except ValueError:
                continue
            yield from emit(name, value, m.start(), m.end(), m.span(1))

    # 3. name, then its value or values: "a learning rate of 3e-4", "β2 = 0.98", "dropout rate (0.1)", grids
    for name, forms in _FORMS.items():
        if name not in present:
            continue
        symbol = _SYMBOLS.get(name)
        for form, pattern in forms:
            for m in pattern.finditer(text):
                if not free(name, m.start(1), m.end(1)) or across_rows(m.start(), m.start(1)):
                    continue
                if name in ("epochs", "max_steps", "warmup_steps") and re.search(
                        r"\d\s*[kKM]?\s+$", text[next((s for s, e in all_lines if s <= m.start() <= e), m.start()): m.start()]):
                    continue  # "320 epochs (with drops at 270 and 300)": the name is the unit of the count before it
                if (name in _WHOLE or name == "epochs") and "%" in text[m.start(1): m.end()]:
                    continue  # "50 epochs (10%)": the labelled data's share a length is for, no count of epochs
                if form is _LIST_ITEM and text.startswith(".", m.end(1)) and not _LAST_ITEM.search(
                        text, max(0, m.start() - 12), m.start()):
                    continue  # a full stop ends a list's item only where a semicolon ended the item before
                if _BOUND.search(text, m.start(), m.start(1)) or (name in ("num_layers", "num_heads") and _OWNER.search(
                        text, max(0, m.start() - 40), m.start())):
                    continue  # "until up to 9 layers"; "the kernel width for layers … is 3"
                if name == "hidden_size" and _INNER.search(text, max(0, m.start() - 30), m.start()):
                    continue
                if re.search(r"\b(?:instead\s+of|rather\s+than|in\s+place\s+of)\s+$", text[m.start(): m.start(1)], _I):
                    continue  # "heads instead of 16": the value replaced, not this one
                if re.search(_REPLACED, text[max(0, m.start() - 60): m.start()], _I):
                    taken.append((m.start(1), m.end(1), name))
                    continue  # "β1 = 0.7 instead of the default β1 = 0.9": the value replaced, its name given again
                if name == "learning_rate" and (_AUXILIARY_BEFORE.search(text, max(0, m.start() - 30), m.start())
                                                or _AUXILIARY_AFTER.match(text, m.start())):
                    taken.append((m.start(1), m.end(1), name))
                    continue  # "a Q-function learning rate of 3e-4", "the learning rate for the discriminator is
                    # 4e-4": a part that trains beside the model (a GAN's discriminator, a critic), not the model
                if name == "learning_rate" and (_END_RATE.search(text, max(0, m.start() - 20), m.start()) or re.search(
                        r"\b(?:decay\w*|anneal\w*|decreas\w*|reduc\w*|lower\w*|dropp\w*|drops?|cut)\s+"
                        r"(?:\w+\s+){0,2}?to\s+$",
                        text[m.start(): m.start(1)], _I) or _UNDER.search(text, m.start(), m.start(1))):
                    continue  # "the final learning rate is equal to 10% of the maximal", "a cosine learning rate schedule
                    # decaying to 8 × 10−7": where the schedule ends, or a later step's rate; "stopped when the
                    # learning rate goes under the threshold of 10−5": where training stops
                symbol_given = re.search(r"(?:^|[\s(])([^\s(]{1,3})\s*=\s*$", text[m.start(): m.start(1)]) \
                    if name in _SIZES else None
                if under_header(m.start(), m.start(1)) or (symbol_given and not _own_symbol(
                        name, symbol_given.group(1), text[m.start(): m.start() + symbol_given.start(1)])):
                    continue  # "stacking 6 blocks with k = 5", "all layers λ=1": a symbol of another quantity
                if symbol and re.match(symbol[0], m.group(0), _I):
                    around = text[_sentence_start(text, max(_sentence_start(text, m.start()) - 2, 0)): m.end()] + \
                        _clause(text, m.start(), m.end())
                    if name == "learning_rate":  # α is Adam's where its own sentence names Adam or gives its betas
                        # ("default values of λ = 10, α = 0.0001, β1 = 0, β2 = 0.9"), not where Adam is the sentence
                        # before's and this α another's ("We use α = 4.0 on the 1% data condition")
                        around = text[_sentence_start(text, m.start()): m.end()] + _clause(text, m.start(), m.end())
                    if not re.search(symbol[1], around, _I) or (symbol[2] and re.search(symbol[2], around, _I)):
                        continue
                if name in ("max_steps", "warmup_steps") and re.match(r"\s*(?:epochs?|%)", text[m.end():]):
                    continue
                if name in ("epochs", "max_steps") and re.search(r"\b(?:at|after|by|every)\s+(?:the\s+)?$",
                                                                 text[max(0, m.start() - 12): m.start()], _I):
                    continue  # "decayed by 0.1 at epochs 30 and 60": a schedule's points, not the training length
                try:
                    if form.endswith(_RANGE):
                        values = [_one(m.group(1)), _one(m.group(m.lastindex or 2))]
                        sentence = text[_sentence_start(text, m.start()): m.end()]
                        if re.search(r"\bbetween\s+$", text[m.start(): m.start(1)], _I) and (
                                name in _SIZES or not re.search(r"\b(?:tun|search|sweep|swept|select|chos|pick|grid)\w*",
                                                                sentence, _I)):
                            taken.append((m.start(), m.end(), name))
                            continue  # "we vary the number of heads between 4 and 16": variants compared, not a
                            # search's range ("the learning rate is tuned between 1e-5 and 1e-3")
                        if name == "learning_rate" and re.search(r"\b(?:warm|increas|ramp|rais)\w*", sentence, _I):
                            values = values[1:]  # "warmed up from 0 to 1e-3": the peak
                        elif name == "learning_rate" and (re.search(r"\b(?:anneal|decay|decreas|reduc|lower|drop)\w*",
                                                                    sentence, _I) or (_SCHEDULED.search(sentence)
                                                                                      and not _TUNED.search(sentence))):
                            values = values[:1]  # "annealed from 1e-3 to 1e-5", "a cosine schedule from 3e-4 down
                            # to 3e-5": where training starts
                        if name == "momentum" and re.search(r"\b(?:increas|decreas|anneal|cycl|ramp|rais|lower|warm|"
                                                             r"schedul|vari)\w*", sentence, _I):
                            taken.append((m.start(), m.end(), name))
                            continue  # "momentum increased from 0.85 to 0.95": a schedule the optimizer does not take
                        if name in _SIZES and re.search(_CHANGE, sentence, _I):
                            # a size changed "from 512 to 1024": the new one is this model's, where the sentence
                            # says we changed it; otherwise another model's change
                            if not re.search(r"\b(?:we|our)\b", sentence, _I):
                                taken.append((m.start(), m.end(), name))
                                continue
                            values = values[1:]
                    else:
                        values = _many(m.group(1))
                except ValueError:
                    continue
                span = (m.start(1), m.end(m.lastindex or 1) if form.endswith(_RANGE) else m.end(1))  # (a range: both ends)
                counted = re.match(r"\s*(?:[\w-]+\s+)?(?:[A-Za-z-]+\s+)?" + _UNIT_WORDS, text[m.end(): m.end() + 40])
                # the last number is another field's: it counts the noun after it ("a hidden size of 768 and 12
                # attention heads", "wd=0.05 and 10 epochs"; "layers of 32 and 64 channels": all of them channels), or
                # that field is named right after it ("a peak learning rate of 2e-5 and 3% warmup", "1e-4 and 0.1
                # dropout")
                tail = len(values) > 1 and not form.endswith(_RANGE) and (
                    (counted and counted.group(1) not in _UNITS_OF.get(name, ())
                     and any(counted.group(1) in units for units in _UNITS_OF.values()))
                    or any(other != name and pattern.match(text, m.end()) for other, pattern in _NAME_AFTER.items()))
                if tail:
                    last = list(re.finditer(_N, m.group(1)))[-1]
                    span = (m.start(1), m.start(1) + len(re.sub(_SEP + r"$", "", m.group(1)[: last.start()])))
                    values = values[:-1]
                values = [v for v in dict.fromkeys(values)]
                if not values:
                    continue
                after = text[m.end(): m.end() + 12]
                unit = _UNIT.match(text, m.end())
                if unit and unit.group(1) not in _UNITS_OF.get(name, ()) and not tail:
                    continue  # "two layers of 32 and 64 channels": the numbers count channels, not layers
                if _DEVICES_AFTER.match(text, m.end()):
                    continue  # "50 epochs on a cluster of 16 NVIDIA A100 GPUs": a count of devices
                if re.match(r"\s*(?:[·*/+]\s*[\d(]|times|×|x\b|fold|words|GB|MB|hours|days|seconds|minutes|%|M\b|B\b|million|"
                            r"billion|parameters|examples ahead)", after) and name not in ("dropout",) and not (
                                name == "learning_rate" and per_batch(text, m.end())):
                    continue
                if re.match(r"\s*(?:of|times)\s+(?:the\s+|its\s+)?(?:original|initial|peak|maximum|maximal|max|base|starting|value)\b",
                            text[m.end(): m.end() + 40], _I):
                    continue  # "down to 10% of the original learning rate": a fraction of a value, not one
                if name == "dropout" and p_keeps and re.search(r"(?<!\w)(?-i:p)\s*=\s*$", text[m.start(): m.start(1)]):
                    values = [round(1.0 - float(v), 8) for v in values]  # the paper's p keeps: one minus it drops
                yield from emit(name, values[0] if len(values) == 1 else values, m.start(), m.end(), span)
                if len(values) == 1 and taken and taken[-1][:2] == span:
                    yield from _next_values(text, name, m.end(), emit, column_kind)
                if len(values) == 1:
                    yield from bracketed(name, m.end())

    # 3b. a count written in words after its name: "a batch size of sixty-four", "the number of training epochs is
    #     twenty" (a count's fields only: a rate is never written so)
    for name, pattern in _WORDED.items():
        if name not in present:
            continue
        for m in pattern.finditer(text):
            if free(name, m.start(1), m.end(1)) and (value := word_number(m.group(1))) is not None:
                yield from emit(name, value, m.start(), m.end(), m.span(1))

    # 4. value, then name: "for 90 epochs", "500K steps", "12-layer transformer", "1024 hidden units"
    for name, pattern in _COUNT_RULES:
        keep = "keep" in pattern.groupindex  # (a dropout by what it keeps: its value is the rule's last group)
        group = pattern.groups if keep else 1
        for m in pattern.finditer(text):
            if not free(name, m.start(group), m.end(group)) or across_rows(m.start(group), m.end()) or \
                    row_then_name(m.start(group), m.end()):
                continue
            before = text[max(0, m.start() - 24): m.start()]
            if name in _BEFORE and re.search(_BEFORE[name], before, _I) and not (
                    name == "epochs" and re.search(r"\b(?:trained|train|training|run|ran)\b[\w\s]{0,30}\bfor\s+(?:about|roughly|"
                                                   r"approximately|around|nearly)\s+$", text[max(0, m.start() - 60): m.start()], _I)) \
                    and not _SCHEDULE_OVER.search(text, max(0, m.start() - 90), m.start()) \
                    and not stages(text, m.start(group), m.end(group), name) \
                    and not (re.search(r"(?<!for )(?<!after )(?<!than )\bover\s+$", before)
                             and re.match(r"\s+of\s+(?:pre-?|fine-?)?(?:training|tuning)\b", text[m.end(): m.end() + 30], _I)):
                continue  # ("trained … for roughly 90 cycles", "a cosine schedule over 50 epochs": the length trained, not
                # an equivalence, a point or an average)
            if name in _SIZES and (_LIST_BEFORE.search(text, max(0, m.start(1) - 40), m.start(1)) or (
                    re.search(r"(?<![\w.=,])\d+\s+and\s+$", text[max(0, m.start(1) - 20): m.start(1)])
                    and re.match(r",?\s+(?:[\w-]+\s+){0,4}?respectively\b", text[m.end():]))):
                continue  # the last of a list of variants' sizes: "models with 6, 12 and 24 layers"; of layers' widths,
                # each its own: "a network of 400 and 300 hidden nodes respectively"
            if _BOUND.search(before) and not (name in ("epochs", "max_steps")
                                              and _TRAINED_UP_TO.search(text, max(0, m.start() - 60), m.start())) \
                    or text[max(0, m.start(1) - 1): m.start(1)] == "/":
                continue  # "up to 7200 epochs"; "L/2 layers each": a bound, a division's divisor
            if name in ("epochs", "max_steps") and (_PATIENCE.search(text, max(0, m.start() - 40), m.start())
                                                    or _REACHED.search(text, max(0, m.start() - 90), m.start())):
                continue  # "until validation F1 does not improve for 200 epochs"; "reached 72.2% after 31M steps"
            # (the warm-up looked for at its clause's start and in the words just before the value: a clause that runs
            # on from a title or heading with no full stop is long, and its start far away)
            if name in ("max_steps", "epochs") and re.search(
                    r"warm(?:ed|ing)?[ -]?up|warming",
                    _clause(text, m.start(), m.end())[:200] + " " + text[max(0, m.start() - 150): m.end()], _I) \
                    and "warm" in (lead := text[max(_sentence_start(text, m.start()), m.start() - 60): m.start()].lower()) \
                    and not re.search(r"\bwarm.*(?:\b(?:and|then)\s+(?:\w+\s+){0,3}(?:train|run|continu)|,\s*(?:and\s+)?(?:then\s+)?"
                                      r"(?:over|for)\s+$)", lead) \
                    and not _SCHEDULE_OVER.search(text, max(0, m.start() - 90), m.start()) \
                    and not re.search(r"\btotal\s+of\s+$", before, _I):
                continue  # (a warm-up's length; not "2000 warmup steps and cosine decay to zero over 250k steps", nor
                # "warm up and then train for 10k steps", nor "with warmup over 750 steps, … for a total of 36,000
                # steps")
            if name in ("max_steps", "epochs") and re.match(
                    r"\s+(?:of\s+)?(?:linear\s+)?(?:learning[ -]rate\s+)?warm(?:ing)?[ -]?up",
                    text[m.end():m.end() + 40], _I):
                continue  # "with 50 steps of warmup", "with 5 epochs warm-up": the warm-up's
            if name == "max_steps" and _EPOCH_DEFINED.search(text, max(0, m.start() - 50), m.start()):
                continue  # "1000 epochs, with one epoch being defined as 250 training iterations": an epoch's length
            raw = m.group(group)
            try:
                value = _WORDS[raw.lower()] if raw.lower() in _WORDS else _one(raw) if " and " not in raw else \
                    [parse_number(n) for n in re.findall(r"\d+(?:\.\d+)?[kKM]?", raw)]
            except ValueError:
                continue
            if isinstance(value, list):
                yield from emit(name, value, m.start(), m.end(), (m.start(1), m.end(1)))
                continue
            if name in ("epochs", "max_steps", "warmup_steps", "num_layers", "num_heads", "hidden_size", "seq_len") and \
                    (float(value) != int(value) or value < 0 or (value == 0 and name not in NONE_AT_ZERO)) and \
                    name != "epochs":
                continue
            if name == "warmup_ratio":
                value = round(float(value) / 100.0, 8)
            if keep:  # the probability kept: the rate dropped is one minus it
                value = round(1.0 - float(value), 8)
            yield from emit(name, value, m.start(), m.end(), m.span(group))
            yield from bracketed(name, m.end())
            if (other := _NEXT_FOR.match(text, m.end(group))) and free(name, *other.span(1)):
                try:  # "to a peak of 5 × 10−4 for BASE and 3 × 10−4 for LARGE": the next setting's value
                    yield from emit(name, _one(other.group(1)), other.start(1), other.end(1), other.span(1))
                except ValueError:
                    pass


_ONES = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_WORD_NUMBER = (r"(?:(?:a|one|two|three|four|five)\s+hundred(?:\s+(?:and\s+)?[a-z]+(?:-[a-z]+)?)?|(?:" + "|".join(_TENS)
                + r")(?:-(?:" + "|".join(_ONES[:9]) + r"))?|" + "|".join(sorted(_ONES, key=len, reverse=True))
                + r")")


def word_number(words: str) -> int | None:
    """The number a count written in words is ("sixty-four" 64, "twenty" 20, "one hundred and twenty-eight" 128); None
    where the words are not one."""
    words = words.lower().replace(" and ", " ")
    total = 0
    if m := re.match(r"(a|one|two|three|four|five)\s+hundred\s*", words):
        total, words = 100 * (1 if m.group(1) == "a" else _ONES.index(m.group(1)) + 1), words[m.end():]
    if not words:
        return total
    tens, _, unit = words.partition("-")
    if tens in _TENS:
        total += 10 * (_TENS.index(tens) + 2)
        if unit:
            if unit not in _ONES[:9]:
                return None
            total += _ONES.index(unit) + 1
        return total
    return total + _ONES.index(words) + 1 if words in _ONES and not unit else None


# the counts a paper may write in words, after their names (not "one" alone: "the batch size is one of …")
_WORDED = {name: re.compile(r"(?<![\w-])(?:" + NAMES[name] + r")(?![\w-])" + _GAP + r"(" + _WORD_NUMBER + r")(?![\w-])"
                            r"(?!\s+of\b)", _I)
           for name in ("batch_size", "epochs", "num_layers", "num_heads")}


# a table's cell that holds the values searched for its column: "{1e-5, 2e-5, 3e-5}"
_SET_CELL = r"\{\s*" + _VALUE + r"(?:\s*,\s*" + _VALUE + r")+\s*\}"
# (a word before the name, not one that makes the row another thing's: "Warmup steps", "Minimal learning rate", "Eval
# batch size"; a stage's, hyphenated, is the table's: "Fine-tuning epochs 100 50")
_ROWS = {name: re.compile(r"(?:(?!warm|decay|ema\b|layer|inner|intermediate|ffn|feed|eval|test|valid|inference|dev\b|"
                          r"min(?:imal|imum)?\b|final\b|end\b|lowest\b)"
                          r"[A-Za-z][A-Za-z-]*\s+)?(?:" + names + r")(?:\s*\([^)]{0,20}\)|\s+(?-i:[α-ωϵ])_?\w?)?\s*[:=]?"
                          r"\s*((?:[-–—]\s+)*(?:" + _VALUE + r"|" + _SET_CELL + r")(?:\s+(?:" + _VALUE + r"|" + _SET_CELL
                          + r"|[-–—]))*)", _I)
         for name, names in NAMES.items()}  # (a dash: a column the row has no value for, "label smoothing - 0.1")
# another field named right after a number ("… and 3% warmup", "… and 0.1 dropout"): the number is that field's
_NAME_AFTER = {name: re.compile(r"\s*%?\s*(?:linear\s+|cosine\s+)?(?:" + names + r")(?![\w-])", _I)
               for name, names in {**NAMES, "warmup": r"warm-?up"}.items()}
# whose value it is, between the name and its verb: "the learning rate for Adam was set to 6.25e-5", "the batch size for
# CIFAR-10 is 128" (not a phase's, a device's or a use's other than training: "for the first 5 epochs is", "for each GPU
# is", "for inference is")
_FOR_WHOM = (r"\s+for\s+(?:(?!(?:first|last|next|remaining|final|initial|later|each|every|per|one|inference|evaluation|"
             r"test\w*|validation|decoding|generation|sampling)\b)[A-Za-z][\w-]*\s+){1,3}?(?:is|was|are|were)\s+"
             r"(?:set\s+to\s+|fixed\s+(?:at|to)\s+|equal\s+to\s+)?")
# an item of a list whose items a semicolon ends, each name then a comma and its value ("the following values: max
# learning rate, 1 × 10−3; warmup steps, 10,000; …"), or the list's last item, which a full stop ends after a semicolon
# ("…; dropout, 0.2."; see _LAST_ITEM)
_LIST_ITEM = r",\s+(" + _VALUE + r")(?=\s*;|\.(?!\d))"
_LAST_ITEM = re.compile(r";\s*(?:and\s+)?(?:the\s+)?$")
_FORMS = {name: [(form, re.compile(r"(?<![\w-])(?:" + names + ("|" + _SYMBOLS[name][0] if name in _SYMBOLS else "")
                                   + r")(?![\w-])" + form, _I))
                 # (where it was chosen, between: "a learning rate selected on a validation set from {0.05, 0.1}")
                 for form in (r"\s*(?:(?:(?:is\s+|was\s+|are\s+|were\s+)?(?:chosen|selected|searched|picked|tuned|"
                              r"swept)\s+"
                              r"(?:(?:on|using|by|via|with)\s+(?:the\s+|an?\s+)?(?:[\w-]+\s+){1,2}?)?)?"
                              r"(?:in|from|of|among|over|∈|=|:)"
                              r"\s*)?" + _BRACED,
                              # a set in square brackets, after its connector only ("the batch size of [128, 256, 512]";
                              # "the learning rate [12, 13]" is a citation)
                              r"\s*(?:(?:is\s+|was\s+)?(?:chosen|selected|searched|picked|tuned|swept)\s+)?"
                              r"(?:in|from|(?:out\s+)?of|among|over|∈|=|:)\s*\[\s*(" + _VALUE + r"(?:" + _SEP + _VALUE
                              + r")+)\s*\]",
                              _RANGE_GAP + _RANGE,
                              # ("dropout (0.1)", "Dropout (p = 0.5) is applied")
                              r"\s*\(\s*(?:(?-i:[a-zα-ω])\s*=\s*)?(" + _VALUE + r")\s*\)", _FOR_SIZES + _VALUES,
                              _GAP + _VALUES, _FOR_WHOM + _VALUES,
                              _LIST_ITEM)]
          for name, names in NAMES.items()}


_FORMS_NAME = {name: re.compile(r"(?<![\w-])(?:" + names + r")(?![\w-])", _I) for name, names in NAMES.items()}
# a name's words or symbol anywhere in a page (a superset of where its rules can match)
_PRESENT = {name: re.compile(r"(?:" + names + ("|" + _SYMBOLS[name][0] if name in _SYMBOLS else "") + r")", _I)
            for name, names in NAMES.items()}
_FOUND_BEST = re.compile(r"\b(?:found|find|finding)\s+(?:a\s+value\s+of\s+|that\s+)?" + NUM + r"\s+(?:to\s+)?"
                         r"(?:works?|performs?|be|is|was|gives?|gave)\s+(?:the\s+)?(?:best|optimal|well)\b"
                         r"|(?:,\s*(?:and\s+)?|\band\s+)(?:we\s+)?(?:chose|selected|picked|settled\s+on|went\s+with)\s+" + NUM
                         + r"(?=\s*(?:[.,;)](?!\d)|$)|\s+(?:as|for|and|which|because)\b)", _I)  # (not "selected 64 examples")
_VALUE_BRACKET = re.compile(r"(?<![\w.])(" + _N + r"(?:\s*%)?)\s*\(\s*(?:the\s+)?")  # "0.5 (", then a name
_UNITS_NAMED = r"|(?:number\s+of\s+)?(?:hidden|recurrent|LSTM)\s+(?:units|cells|neurons)"  # ("16 (number of hidden units)")
_NAMED_AFTER = {name: re.compile(r"(?:" + names + (_UNITS_NAMED if name == "hidden_size" else "") + r")\s*\)", _I)
                for name, names in NAMES.items()}

_RESPECTIVE = re.compile(r"\s*\b(?:(?:are|were|is|was)(?:\s+set)?(?:\s+(?:to|as))?|set\s+(?:to|as)|to|of)\s+(?P<values>" + _N
                         + r"(?:\s*,\s*" + _N + r")*\s*,?\s*and\s+" + _N + r")\s*,?\s*respectively\b", _I)
# one value for the names before it: "(are) both set to 0.9", "are set to 0.1", "were both 0.5" (a second value, or
# "respectively", makes it the list above)
_SHARED = re.compile(r"\s*\b(?:(?:are|were)\s+(?:both\s+|all\s+)?(?:set\s+)?(?:(?:to|as|at|equal\s+to)\s+)?|"
                     r"(?:both\s+|all\s+)?set\s+(?:to|as|at)\s+)(?P<value>" + _N + r")(?!\d|\.\d|\s*%|\s*,?\s*(?:and|or)\s+"
                     + _N + r"|\s*,\s*" + _N + r"|\s*,?\s*respectively)", _I)
# another setting's value in brackets after one: "a dropout of 0.3 (0.1 for En-Fr)", "1e-4 (5e-5 for the large model)"
# (not a part of training: "0.01 for the first 400 iterations" is a warm-up's; "32 for each GPU" a device's share)
BRACKET_FOR = re.compile(r"\s*\(\s*(" + _N + r"(?:\s*%)?)(?:\s+(?:epochs?|steps|iterations|updates))?\s+(?:for|on)\s+"
                         r"(?!(?:all|each|every|both|per|one|two|"
                         r"\d)\b|(?:the\s+)?(?:first|last|remaining|rest|final|initial|next|other)\b|(?:a|an)\s)"
                         r"(?:the\s+)?([^()]{1,40})\)", _I)
_VALUE_AS = re.compile(r"(?<![\w.])(" + _N + r"(?:\s*%)?)\s+as\s+(?:the\s+|our\s+|its\s+)?")  # "0.1 as", then a name
_NAMED_AS = {name: re.compile(r"(?:" + names + r")(?=\s*(?:[,;.)]|and\b|in\s+(?:all|each|every)\b|for\b|$))", _I)
             for name, names in NAMES.items()}
# a value chosen, then "for" and its name: "We use 0.1 for dropout", "We set λ = 0.01 for weight decay", "a value of
# 0.5 for the dropout rate", "… and 0.1 for label smoothing" after one of them (not "91.2 for the batch size of 32": a
# result; the verb that chooses it, or the list it continues, comes first)
_VALUE_FOR = re.compile(r"(?:\b(?:use[ds]?|using|set|sets|setting|chose|choose|chooses|choosing|select(?:s|ed|ing)?|"
                        r"pick(?:s|ed|ing)?|fix(?:es|ed|ing)?|take|takes|took|taking|adopt(?:s|ed|ing)?|employ(?:s|ed|ing)?)"
                        r"\s+(?:(?:a|the)\s+values?\s+(?:of\s+)?)?|\b(?:a|the)\s+values?\s+(?:of\s+)?)"
                        r"(?:(?-i:[a-zA-Zα-ωϵ])(?:_?\w)?\s*=\s*)?(" + _N + r"(?:\s*%)?)\s+for\s+(?:the\s+|our\s+|all\s+)?", _I)
# a value for one setting, then another's value for the next: "… of 5e-4 for BASE and 3e-4 for LARGE"
_NEXT_FOR = re.compile(r"\s+for\s+(?:the\s+|our\s+)?[^,;.()]{1,30}?\s+and\s+(" + _N + r")\s+for\s+", _I)
_VALUE_FOR_NEXT = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?:(?-i:[a-zA-Zα-ωϵ])(?:_?\w)?\s*=\s*)?(" + _N
                             + r"(?:\s*%)?)\s+for\s+(?:the\s+|our\s+|all\s+)?", _I)
_NAMED_FOR = {name: re.compile(r"(?:" + names + r")(?=\s*(?:[,;.)]|(?:and|in|on|with|when|of\s+all)\b|$))", _I)
              for name, names in NAMES.items()}

# column names only a table header uses: "#heads" (a count), "embedding" over "dimension" (a width)
_HEADER_ONLY = {"max_steps": r"(?:train(?:ing)?\s+)?(?:steps|iterations|updates)", "batch_size": r"batch", "epochs": r"epochs?",
                "hidden_size": r"(?:embed(?:ding)?|hidden)(?:[ -]?dim(?:ension)?s?)?|dimension|(?-i:[Mm]odel[ -]dim)\b"}
# and the symbols a table of model sizes heads its columns with (case matters): N or L layers, h or A heads, H width
_HEADER_SYMBOLS = {"num_layers": r"(?-i:N|L)(?=\s|$)", "num_heads": r"(?-i:h|A)(?=\s|$)", "hidden_size": r"(?-i:H)(?=\s|$)"}
_HEADER = {name: re.compile(r"(?:" + NAMES[name] + ("|" + _HEADER_ONLY[name] if name in _HEADER_ONLY else "")
                            + ("|" + _HEADER_SYMBOLS[name] if name in _HEADER_SYMBOLS else "") + r")\b", _I)
           for name in NAMES if name != "target_len"}  # (a table's "Source Length Target Length" columns: lengths of
# examples the paper does not count as the model's; their two-word names are skipped so the named columns line up)


def _row_unit(name: str) -> tuple[float, str | None]:
    """The scale and the unit a table row's name gives its numbers in brackets: "(×10−4)" is 1e-4, "(K)" 1,000, "(M)"
    1,000,000, "(K tokens)" 1,000 and tokens; (1, None) where it gives none."""
    m = re.search(r"\(([^()]{1,20})\)\s*[:=]?\s*$", name)
    if m is None:
        return 1, None
    inner = m.group(1).replace("−", "-")
    unit = "tokens" if re.search(r"\btokens?\b", inner, _I) else None
    if power := re.fullmatch(r"\s*(?:[×x*]|times)\s*10\s*\^?\s*(-?\d{1,2})\s*", inner) or \
            re.fullmatch(r"\s*(?:[×x*]\s*)?1e(-?\d{1,2})\s*", inner):
        return 10.0 ** int(power.group(1)), unit
    if count := re.match(r"\s*(?:in\s+)?(K|k|thousands?|M|millions?)\b", inner):
        return (1_000 if count.group(1)[0] in "Kkt" else 1_000_000), unit
    return 1, unit


def _header(line: str) -> list[str | None] | None:
    """A table's header line as its columns, each the canonical name it is or None ("Parameters Layers dmodel");
    None when fewer than two columns are canonical names or the line holds numbers (then it is a row)."""
    if re.search(r"\d{2,}|\d\.\d|\de[-−]?\d", line) or len(line.split()) > 16:
        return None  # (a decimal makes it a row: "mixup / cutmix – 0.8" names no columns)
    if re.search(r"[a-z]{2}[,;]\s+\S|[a-z]{2}\.\s+(?:The|We|This|Our|In|It|An?)\b", line):
        return None  # prose, a line of a sentence: "learning rate of 3e-5, using BERT’s default optimizer. The …"
    columns: list[str | None] = []
    rest = line.strip()
    while rest:
        # "#heads", "n layers", "num. heads", "number of": a count of what follows, one column
        counted = re.match(r"#", rest)
        rest = re.sub(r"^(?:#\s*(?:of\s+)?|n\s+(?=[a-z]{2})|n_?(?=(?:layers|heads|params|ctx)\b)|(?i:num)\.?\s+"
                      r"|(?i:no)\.\s+)", "", rest)
        hits = [(m.end(), name) for name, p in _HEADER.items() if (m := p.match(rest))]
        if not columns and (dim := re.match(r"Model\s+Dim\b\.?\s*", rest)):
            columns += [None, "hidden_size"]  # "Model Dim Heads Layers" over "300M 1024 16 24": the rows' names, then
            rest = rest[dim.end():]  # the width ("Model dim" in lower case is the width's name alone)
            continue
        if hits:
            end, name = max(hits)
            if counted and name == "hidden_size" and re.match(r"H(?=\s|$)", rest):
                name = "num_heads"  # ("#L #H dmodel": a count of heads; a width is no count)
            columns.append(name)
            rest = re.sub(r"^\.(?=\s|$)", "", rest[end:]).lstrip()  # (an abbreviation's full stop: "Embedding dim.")
            # the column's symbol after its name ("Hidden size D", "Layers L"): part of the name
            if not any(p.match(rest) for p in _HEADER.values()):  # (not a column of its own: "L H A")
                rest = re.sub(r"^[A-Za-z](?=\s|$)\s*", "", rest)
        else:
            word, _, rest = rest.partition(" ")
            rest = rest.lstrip()
            if columns and columns[-1] is None and not counted and re.fullmatch(
                    r"data|set|size|type|name|resolution|ratio|mode|source|shape|split|domain", word):
                continue  # a lower-case noun after a column the reader has no field for ends its name: "Training
                # data", "Crop size" are one column each
            columns.append(None)
            if re.fullmatch(r"MLP|FFN|FF|inner|intermediate|feed-?forward|filter|vocab(?:ulary)?|patch|kernel|image",
                            word, _I):  # "MLP size", "FFN dim": one column of a size the reader has no field for
                rest = re.sub(r"^(?:size|dim(?:ension)?s?)(?=\s|$)\s*", "", rest, flags=_I)
    # a name again is another model's column ("Vision Transformer layers width heads / Text Transformer layers width
    # heads"): the first model's are read
    columns = [c if c is None or c not in columns[:k] else None for k, c in enumerate(columns)]
    return columns if sum(c is not None for c in columns) >= 2 else None


def _row_cells(row: str, width: int) -> list[str]:
    """A table row's cells under a header of ``width`` columns: split at spaces ("6.0 × 10−4", a size "368 × 496", a
    pair "(0.9, 0.95)", a name with its size "XLS-R (0.3B)" and a count with its unit, "0.5M tokens", one cell each);
    where that makes too many, a set ("{0.003, 0.01, 0.03}": the values its column was searched over) and a count
    grouped by spaces ("20 000", the SI way, its groups of zeros) are one cell each."""
    row = re.sub(r"(\d)\s+([×x·])\s+(?=10)", r"\1\2", row)  # "6.0 × 10−4": one cell
    row = re.sub(r"(?<!\S)(\d+)\s+[×x]\s+(\d+)(?!\S)", r"\1×\2", row)  # and a size, "368 × 496"
    row = re.sub(r"\(\s*(\d*\.?\d+)\s*,\s*(\d*\.?\d+)\s*\)", r"(\1,\2)", row)  # a pair, "(0.9, 0.95)"
    row = re.sub(r"(?<=[A-Za-z\d])\s+\((\d+(?:\.\d+)?\s?[KMB])\)", r"(\1)", row)  # a name's size, "XLS-R (0.3B)"
    row = re.sub(r"(?<!\S)(\d[\d.]*[KMBkmb]?)\s+(tokens|images|examples|sequences|samples)(?!\S)", r"\1_\2", row)  # (one)
    cells = row.split()
    if len(cells) <= width + 1:
        return cells
    joined = [re.sub(r"(?<=\d) (?=000)", "", cell)
              for cell in re.findall(_SET_CELL + r"|(?<!\S)\d{1,3}(?: 000)+(?!\S)|\S+", row)]
    return joined if len(joined) < len(cells) else cells


def _column_tables(lines: list[tuple[int, str]], emit) -> Iterator[Found]:
    """Rows under a header that names columns. A row has a cell per header word, or, where the header's last
    columns are names of two words ("Source Length Target Length"), fewer cells: those after the last named column
    are not read, so the named ones still line up."""
    for i, (_, line) in enumerate(lines):
        columns = _header(line)
        if columns is None:
            continue
        named = max(k for k, c in enumerate(columns) if c is not None) + 1
        width, rows = None, 0
        for offset, row in lines[i + 1: i + 40]:
            cells = _row_cells(row, len(columns))
            here = columns
            if (len(cells) == len(columns) + 1 or (len(cells) == len(columns) and columns[-1] is None)) and \
                    columns[0] is not None and re.search(r"[A-Za-z]", cells[0]) and not re.fullmatch(_N, cells[0]):
                # the rows' names under an empty corner ("base 6 512 ..."), also where the header ends in a name of
                # two words the reader has no field for, which counts as two columns ("… batch size prefix length",
                # "E2E 8e-05 5 10 5")
                here = [None, *columns]
            last = named + (len(here) - len(columns))
            fits = len(cells) == len(here) or (last <= len(cells) < len(here) and width in (None, len(cells)))
            if not fits:
                if rows:
                    break
                continue
            named_cells = [c for name, c in zip(here, cells) if name is not None]
            if sum(bool(re.fullmatch(_N, c) or re.fullmatch(_SET_CELL, c)) for c in named_cells) * 2 < len(named_cells) or \
                    not any(re.fullmatch(_N, c) or re.fullmatch(_SET_CELL, c) for c in cells):
                break  # a row holds numbers under most named columns; "input (224 × 224 RGB image)" is none
            width, rows = len(cells), rows + 1
            # the row's own name: its cells under the columns before the first named one ("7B All" under
            # "Parameters Dataset"), where they hold a word (a model, its size, a data set), not only numbers; of its
            # counts, the first (its parameters: "Net Large 760M"; "T5-Base 0.2B 124B" under "Model Parameters
            # FLOPs/seq" is "T5-Base 0.2B")
            first = next(k for k, c in enumerate(here) if c is not None)
            counted = [k for k, c in enumerate(cells[:first]) if re.fullmatch(_COUNT + r"|" + _N, c)]
            # (a number that is no count of parameters, beside a word, is a column the header names in words the
            # reader has no field for: "ViT-B/32 5 × 10−4" under a two-line header's "Model rate", not the row's name)
            worded = any(re.search(r"[A-Za-z]", c) and not re.fullmatch(_COUNT, c) for c in cells[:first])
            label = " ".join(c for k, c in enumerate(cells[:first])
                             if c not in "-–—" and k not in counted[1:]
                             and not (worded and re.fullmatch(_N, c) and not re.fullmatch(_COUNT, c))) or None
            label = label if label and re.search(r"[A-Za-z]", label) else None
            for name, cell in zip(here, cells):
                grid = name is not None and bool(re.fullmatch(_SET_CELL, cell))
                if name is None or not (grid or re.fullmatch(_N, cell)):
                    continue
                try:
                    value = _many(cell) if grid else parse_number(cell)
                except ValueError:
                    continue
                yield from emit(name, value, offset, offset + len(row), row=True, label=label, grid=grid)


def _named_columns(lines: list[tuple[int, str]], k: int, count: int,
                   column_kind: Callable[[str], str | None] | None) -> list[str] | None:
    """The names of a table's ``count`` value columns, from the header above row ``k``, where they are model sizes
    ("Hyperparam RoBERTaLARGE RoBERTaBASE", "Model ViT-B ViT-L"), stages ("Hyperparameter Pre-training Fine-tuning":
    all of them stages, by ``column_kind``) or data sets ("Hparam RACE SQuAD MNLI Yelp-5": each a name, most of them
    data sets ``column_kind`` knows): the header's last ``count`` words that hold a letter, distinct;
    None where no such header stands above the row within the table (up to 40 short lines, no prose: DeiT's and
    ELECTRA's tables run past 15 rows)."""
    for _, line in reversed(lines[max(0, k - 40): k]):
        words = [w for w in line.split() if re.search(r"[A-Za-z]", w)]
        named = words[-count:]
        if len(named) == count and len(set(named)) == count:
            kinds = [column_kind(w) for w in named] if column_kind else []
            sized = [w for w in named if size_rank(w) is not None]
            if len(sized) == count or (count >= 2 and kinds.count("stage") == count):
                return named  # (or stages: "Hyperparameter Pre-training Fine-tuning")
            if count >= 2 and len(sized) == count - 1 and all(
                    w.startswith(bare) and len(w) > len(bare) for bare in set(named) - set(sized) for w in sized):
                return named  # the model, then its sized variants: "Graphormer GraphormerSMALL"
            if kinds and all(re.match(r"[A-Z0-9]", w) for w in named) and 2 * kinds.count("data") >= count >= 2:
                return named
        if len(line.split()) > 12 or re.search(r"[a-z]\. [A-Z]|\.$", line):
            return None  # prose: the table ends here
    return None


# a table's row of one name and one value ("# Epoch 5", "Batch Size 8"): a few words, then the number
_NAME_THEN_VALUE = re.compile(r"\s*#?\s*[A-Za-z][A-Za-z ./()-]{0,30}\s" + _N + r"\s*")


def row_like(line: str) -> bool:
    """A line of a table: short, with two numbers or more making a third of its words, and no sentence end."""
    words, numbers = len(line.split()), len(re.findall(_N, line))
    return words <= 14 and numbers >= 2 and numbers * 3 >= words and not re.search(r"[a-z]\. [A-Z]", line)


# a batch counted in tokens, its unit after it ("8,192 tokens", "4M tokens", "4096 source tokens"): one of up to a
# hundred million (``extract`` gives it its unit by the same pattern)
TOKENS_AFTER = re.compile(r"\s*(?:(?:source|target|sub-?word|BPE|text)\s+)?tokens\b", _I)
_TOKEN_BATCH_LIMIT = 100_000_000
# what a value of each field can be: a number outside is another field's or a misread (a batch of millions is a count
# of tokens, "4M" in a table of LLM sizes)
_LIMITS = {
    "learning_rate": (1e-7, 100), "momentum": (0.5, 0.9999), "weight_decay": (0, 0.5), "dropout": (0, 0.9),
    "label_smoothing": (0, 0.5), "drop_path_rate": (0, 0.9), "mixup_alpha": (0.01, 10),
    "cutmix_alpha": (0.01, 10), "random_erasing": (0, 1), "ema_decay": (0.9, 0.999999),
    "layer_decay": (0.05, 1), "rmsprop_alpha": (0.5, 0.9999), "randaugment_magnitude": (0, 30), "randaugment_ops": (1, 10),
    "randaugment_std": (0, 10), "adam_beta1": (0.5, 0.9999), "adam_beta2": (0.5, 0.99999),
    "adam_epsilon": (1e-12, 1e-3), "grad_clip": (1e-3, 1000), "batch_size": (1, 100_000), "epochs": (0.1, 10_000),
    "max_steps": (10, 100_000_000), "warmup_steps": (1, 10_000_000), "num_layers": (1, 1000),
    "hidden_size": (8, 100_000), "num_heads": (1, 1024), "seq_len": (16, 1_000_000), "lora_rank": (1, 4096),
    "lora_alpha": (1, 4096), "intermediate_size": (8, 1_000_000), "patch_size": (1, 128), "warmup_ratio": (0, 0.5),
    "warmup_epochs": (0, 100), "lr_decay_factor": (0.01, 0.999), "embedding_dim": (2, 100_000),
    "subsample": (0.01, 1), "colsample_bytree": (0.01, 1), "min_child_weight": (0, 10_000),
    "target_len": (1, 1_000_000), "num_beams": (1, 100),
}
# a value outside its field's limits that is still that field's: GAN papers' Adam without momentum, "β1 = 0" (a β1 of
# 10−4 is a diffusion paper's noise variance, not Adam's)
_ALSO = {"adam_beta1": {0}}


# fields whose zero is no value but the paper saying there is none (no clipping, no warm-up, no momentum): a Found's
# value is then None
NONE_AT_ZERO = {"grad_clip", "warmup_steps", "momentum"}
_WHOLE = {"batch_size", "max_steps", "warmup_steps", "num_layers", "hidden_size", "num_heads", "seq_len", "lora_rank",
          "randaugment_ops",
          "target_len", "num_beams",
          "intermediate_size", "patch_size", "embedding_dim"}


def slashed(value: list, quote: str) -> bool:
    """The values are written as one slash list ("0.1/0.2/0.5", "0.1/0.4/0.5/0.5"): one per variant, in order (of a
    slash list of variants, as "respectively" pairs them: "… are 0.1/0.2/0.5 for ConvNeXt-S/B/L"), not a search."""
    for m in re.finditer(r"(?<![\d./])\d*\.?\d+(?:e-?\d+)?(?:\s*/\s*\d*\.?\d+(?:e-?\d+)?)+(?![\d/])", quote):
        try:
            numbers = list(dict.fromkeys(float(n) for n in re.split(r"\s*/\s*", m.group(0))))
        except ValueError:
            continue
        if len(numbers) == len(value) and all(isinstance(v, (int, float)) and abs(v - n) <= 1e-12 + 1e-9 * abs(n)
                                              for v, n in zip(value, numbers)):
            return True
    return False


def _plausible(name: str, value: object, row: bool = False) -> bool:
    low, high = _LIMITS.get(name, (float("-inf"), float("inf")))
    if row and name == "learning_rate":
        high = 10  # (a recurrent language model's rate of 20 or 30 is said in prose; in a row it is a batch's cell,
        # "Unsup. BERT base 64 3e-5")
    values = value if isinstance(value, list) else [value]
    return all(isinstance(v, (int, float)) and (low <= v <= high or v in _ALSO.get(name, ()))
               and (name not in _WHOLE or float(v).is_integer()) for v in values)
