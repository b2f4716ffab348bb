"""Task: tabular classification or regression on standardised numeric features, with a multilayer perceptron
(``model_type: mlp``) or gradient-boosted decision trees (``model_type: gbdt``, XGBoost).

Data: a table (``sklearn:load_wine``, ``csv:PATH``, a Hub data set) with one target column; the other numeric
columns are the features (categorical ones are one-hot encoded). Metric: accuracy for classification, RMSE (and
R²) for regression.

Boosted trees train by rounds, not gradient steps: the loop calls the model's ``fit_round(learning_rate)`` once a
step, and each round adds a tree (one per class for several classes) fitted to the whole training split, shrunk by
the step's rate (XGBoost's eta): ``max_steps`` is the number of rounds, ``learning_rate`` the shrinkage. The trees
are XGBoost's own model (UBJSON, no pickle) held in a uint8 buffer, so checkpoints, the saved model (safetensors)
and its reloading are the loop's usual state dict.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import NamedTuple

import torch
from torch import nn

import sources

NAME = "tabular"
METRIC = "accuracy"


@dataclass
class TaskConfig:
    dataset: str = "sklearn:load_wine"
    target_column: str = "target"
    problem: str = "auto"  # auto (classification for integer or string targets) | classification | regression
    model_type: str = "mlp"  # mlp | gbdt (gradient-boosted trees: max_steps rounds at learning_rate, see above)
    hidden_sizes: list[int] = field(default_factory=lambda: [128, 64])
    dropout: float = 0.1
    max_depth: int = 6  # gbdt: XGBoost's settings (its defaults), the rounds and rate being the loop's
    min_child_weight: float = 1.0
    subsample: float = 1.0  # rows sampled for each tree
    colsample_bytree: float = 1.0  # columns sampled for each tree
    reg_lambda: float = 1.0  # L2 penalty on the leaves' weights
    validation_fraction: float = 0.15
    test_fraction: float = 0.2


@dataclass
class Data(sources.Splits):
    features: list
    classes: list  # empty for regression
    mean: torch.Tensor
    std: torch.Tensor
    target_mean: float
    target_std: float


class Output(NamedTuple):  # (a named tuple: FSDP finds the tensors in it to hook the backward pass)
    loss: torch.Tensor | None
    logits: torch.Tensor


class MLP(nn.Module):
    def __init__(self, n_in: int, hidden: list[int], n_out: int, dropout: float, regression: bool):
        super().__init__()
        layers, width = [], n_in
        for h in hidden:
            layers += [nn.Linear(width, h), nn.ReLU(), nn.Dropout(dropout)]
            width = h
        layers.append(nn.Linear(width, n_out))
        self.net, self.regression = nn.Sequential(*layers), regression

    def forward(self, features: torch.Tensor, labels: torch.Tensor | None = None) -> Output:
        out = self.net(features)
        if self.regression:
            out = out.squeeze(-1)
            loss = nn.functional.mse_loss(out, labels) if labels is not None else None
        else:
            loss = nn.functional.cross_entropy(out, labels) if labels is not None else None
        return Output(loss, out)


class Boosted(nn.Module):
    """Gradient-boosted decision trees (XGBoost, its ``hist`` method), trained a round at a time (see above)."""

    def __init__(self, data: Data, cfg: TaskConfig, seed: int):
        super().__init__()
        self.register_buffer("trees", torch.zeros(0, dtype=torch.uint8))  # XGBoost's UBJSON model, as bytes
        self.regression, self.n_out = not data.classes, max(1, len(data.classes))
        x, y = data.train.tensors
        self.train_rows = (x.numpy(), y.numpy())
        objective = ("reg:squarederror" if self.regression else "binary:logistic" if self.n_out == 2 else
                     "multi:softprob")
        self.params = {"objective": objective, "tree_method": "hist", "max_depth": cfg.max_depth,
                       "min_child_weight": cfg.min_child_weight, "subsample": cfg.subsample,
                       "colsample_bytree": cfg.colsample_bytree, "lambda": cfg.reg_lambda, "seed": seed,
                       "eval_metric": "rmse" if self.regression else "logloss" if self.n_out == 2 else "mlogloss",
                       **({"num_class": self.n_out} if objective == "multi:softprob" else {})}
        self._booster = self._train = None

    def booster(self):
        import xgboost as xgb

        if self._booster is None:
            gpu = torch.cuda.is_available() and xgb.build_info().get("USE_CUDA", False)
            self._train = xgb.DMatrix(*self.train_rows)
            self._booster = xgb.Booster({**self.params, "device": "cuda" if gpu else "cpu"}, [self._train])
            if self.trees.numel():
                self._booster.load_model(bytearray(self.trees.cpu().numpy().tobytes()))
        return self._booster

    def fit_round(self, learning_rate: float) -> float:
        """One round at this rate: a tree more (per class); returns the training split's loss after it."""
        booster = self.booster()
        booster.set_param("eta", learning_rate)
        booster.update(self._train, booster.num_boosted_rounds())
        return float(booster.eval(self._train).rsplit(":", 1)[1])

    def forward(self, features: torch.Tensor, labels: torch.Tensor | None = None) -> Output:
        import xgboost as xgb

        booster = self.booster()
        if booster.num_boosted_rounds():
            margin = torch.as_tensor(booster.predict(xgb.DMatrix(features.detach().float().cpu().numpy()),
                                                     output_margin=True), dtype=torch.float32)
        else:  # (no tree yet: the untrained model's baseline, every class alike)
            margin = torch.zeros(len(features), self.n_out if self.n_out > 2 else 1)
        margin = margin.reshape(len(features), -1).to(features.device)
        if self.regression:
            out = margin[:, 0]
            return Output(nn.functional.mse_loss(out, labels) if labels is not None else None, out)
        logits = torch.cat([torch.zeros_like(margin), margin], -1) if self.n_out == 2 else margin
        return Output(nn.functional.cross_entropy(logits, labels) if labels is not None else None, logits)

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        if self._booster is not None:  # (the trees as they are now: checkpoints and the saved model read them here)
            self.trees = torch.frombuffer(bytearray(self._booster.save_raw("ubj")), dtype=torch.uint8).clone()
        super()._save_to_state_dict(destination, prefix, keep_vars)

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                              error_msgs):
        if prefix + "trees" not in state_dict:
            missing_keys.append(prefix + "trees")
            return
        self.trees = state_dict[prefix + "trees"].detach().to(torch.uint8).cpu().clone()  # (any number of trees)
        self._booster = None  # rebuilt from them when next used


def load_data(cfg: TaskConfig, seed: int, smoke_examples: int | None) -> Data:
    import pandas as pd

    train, val, test = sources.splits(cfg, seed, None)  # (smoke runs cut later: rows here, tokens there)
    fingerprint = sources.fingerprint(train, val, test)
    frames = [ds.to_pandas() for ds in (train, val, test)]
    if smoke_examples:
        frames = [f.head(smoke_examples) for f in frames]
    target = frames[0][cfg.target_column]
    regression = cfg.problem == "regression" or (cfg.problem == "auto" and target.dtype.kind == "f")
    classes = [] if regression else sorted({str(v) for f in frames for v in f[cfg.target_column]})
    frames = [f[f[cfg.target_column].notna()] for f in frames]  # rows without a target cannot be used
    features = pd.get_dummies(pd.concat([f.drop(columns=[cfg.target_column]) for f in frames]), dtype=float)
    # missing values: the training split's mean, plus an indicator column per feature that has any
    train_rows = len(frames[0])
    missing = [c for c in features.columns if features[c].isna().any()]
    for c in missing:
        features[f"{c}__missing"] = features[c].isna().astype(float)
    features = features.fillna(features.iloc[:train_rows].mean()).fillna(0.0)
    x = torch.tensor(features.to_numpy(), dtype=torch.float32)
    sizes = [len(f) for f in frames]
    xs = list(torch.split(x, sizes))
    mean, std = xs[0].mean(0), xs[0].std(0).clamp_min(1e-6)
    ys = []
    for f in frames:
        if regression:
            ys.append(torch.tensor(f[cfg.target_column].to_numpy(), dtype=torch.float32))
        else:
            index = {c: i for i, c in enumerate(classes)}
            ys.append(torch.tensor([index[str(v)] for v in f[cfg.target_column]], dtype=torch.long))
    t_mean = float(ys[0].mean()) if regression else 0.0
    t_std = max(float(ys[0].std()), 1e-6) if regression else 1.0
    splits = [torch.utils.data.TensorDataset((xi - mean) / std, (yi - t_mean) / t_std if regression else yi)
              for xi, yi in zip(xs, ys)]

    def collate(rows):
        return {"features": torch.stack([r[0] for r in rows]), "labels": torch.stack([r[1] for r in rows])}

    return Data(*splits, collate=collate, features=list(features.columns), classes=classes, mean=mean, std=std,
                target_mean=t_mean, target_std=t_std, fingerprint=fingerprint)


def build_model(cfg: TaskConfig, data: Data) -> nn.Module:
    if cfg.model_type == "gbdt":
        return Boosted(data, cfg, int(torch.initial_seed() % 2**31))  # (the loop seeded torch with the run's seed)
    if cfg.model_type != "mlp":
        raise SystemExit(f"model_type {cfg.model_type!r}: use mlp or gbdt")
    regression = not data.classes
    return MLP(len(data.features), list(cfg.hidden_sizes), 1 if regression else len(data.classes), cfg.dropout,
               regression)


def evaluate(model, batches, to_device, autocast, data: Data) -> dict:
    loss_sum, n, right, squared, total, sum_y, sum_y2 = 0.0, 0, 0, 0.0, 0, 0.0, 0.0
    for batch, out in sources.outputs(model, batches, to_device, autocast):
        size = len(batch["labels"])
        loss_sum += float(out.loss) * size
        n += size
        if data.classes:
            right += int((out.logits.argmax(-1) == batch["labels"]).sum())
        else:  # errors in the target's own units
            pred = out.logits.float() * data.target_std + data.target_mean
            gold = batch["labels"] * data.target_std + data.target_mean
            squared += float(((pred - gold) ** 2).sum())
            sum_y += float(gold.sum())
            sum_y2 += float((gold ** 2).sum())
    if data.classes:
        return {"loss": loss_sum / max(n, 1), "accuracy": right / max(n, 1)}
    variance = sum_y2 / max(n, 1) - (sum_y / max(n, 1)) ** 2
    mse = squared / max(n, 1)
    return {"loss": loss_sum / max(n, 1), "rmse": mse ** 0.5, "r2": 1 - mse / variance if variance > 0 else 0.0}


def save(model, data: Data, folder) -> None:
    from safetensors.torch import save_file

    folder.mkdir(parents=True, exist_ok=True)
    save_file({k: v.contiguous().cpu() for k, v in model.state_dict().items()}, str(folder / "model.safetensors"))
    save_file({"mean": data.mean, "std": data.std}, str(folder / "scaler.safetensors"))
    shape = {"model_type": "gbdt", **model.params} if isinstance(model, Boosted) else {
        "model_type": "mlp", "hidden_sizes": [m.out_features for m in model.net if isinstance(m, nn.Linear)][:-1]}
    (folder / "config.json").write_text(json.dumps({
        "features": data.features, "classes": data.classes, "target_mean": data.target_mean,
        "target_std": data.target_std, **shape}, indent=2))
