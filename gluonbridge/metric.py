"""Mirrors ``mxnet.metric`` (MXNet 1.x; ``mxnet.gluon.metric`` in 2.x): evaluation metrics on
numpy arrays, with MXNet 1.9.1's arithmetic (per-batch averaging for MAE/MSE/RMSE, macro F1
per update, TopK via ``argpartition``) and its registry (``create('acc')``)."""
import math
from collections import OrderedDict

import numpy as np

from . import registry
from .base import numeric_types, string_types


def check_label_shapes(labels, preds, wrap=False, shape=False):
    """Raise ValueError unless the counts (or ``shape``s) agree; ``wrap`` makes single arrays
    one-element lists."""
    have = (labels.shape, preds.shape) if shape else (len(labels), len(preds))
    if have[0] != have[1]:
        raise ValueError(f"Shape of labels {have[0]} does not match shape of predictions "
                         f"{have[1]}")
    if wrap:
        labels = [labels] if isinstance(labels, np.ndarray) else labels
        preds = [preds] if isinstance(preds, np.ndarray) else preds
    return labels, preds


def _numpy(array):
    return array.asnumpy() if hasattr(array, "asnumpy") else np.asarray(array)


class EvalMetric:
    """Base class: accumulates ``sum_metric``/``num_inst`` (and global twins); ``get()`` is
    ``(name, sum_metric / num_inst)``, NaN before any update."""

    def __init__(self, name, output_names=None, label_names=None, **kwargs):
        self.name = str(name)
        self.output_names = output_names
        self.label_names = label_names
        self._has_global_stats = kwargs.pop("has_global_stats", False)
        self._kwargs = kwargs
        self.reset()

    def __str__(self):
        return f"EvalMetric: {dict(self.get_name_value())}"

    def get_config(self):
        config = dict(self._kwargs, metric=type(self).__name__, name=self.name,
                      output_names=self.output_names, label_names=self.label_names)
        return config

    def update_dict(self, label, pred):
        preds = [pred[n] for n in self.output_names] if self.output_names is not None \
            else list(pred.values())
        labels = [label[n] for n in self.label_names] if self.label_names is not None \
            else list(label.values())
        self.update(labels, preds)

    def update(self, labels, preds):
        raise NotImplementedError()

    def _add(self, value, count):
        self.sum_metric += value
        self.global_sum_metric += value
        self.num_inst += count
        self.global_num_inst += count

    def reset(self):
        self.num_inst, self.sum_metric = 0, 0.0
        self.global_num_inst, self.global_sum_metric = 0, 0.0

    def reset_local(self):
        self.num_inst, self.sum_metric = 0, 0.0

    def get(self):
        if self.num_inst == 0:
            return self.name, float("nan")
        return self.name, self.sum_metric / self.num_inst

    def get_global(self):
        if not self._has_global_stats:
            return self.get()
        if self.global_num_inst == 0:
            return self.name, float("nan")
        return self.name, self.global_sum_metric / self.global_num_inst

    @staticmethod
    def _pairs(name, value):
        return list(zip(name if isinstance(name, list) else [name],
                        value if isinstance(value, list) else [value]))

    def get_name_value(self):
        return self._pairs(*self.get())

    def get_global_name_value(self):
        return self._pairs(*self.get_global())


register = registry.get_register_func(EvalMetric, "metric")
alias = registry.get_alias_func(EvalMetric, "metric")
_create = registry.get_create_func(EvalMetric, "metric")


def create(metric, *args, **kwargs):
    """A metric from a name (``'acc'``, ``'mse'``, ...), an instance, a list (composite) or a
    function ``feval(label, pred)`` (CustomMetric)."""
    if callable(metric):
        return CustomMetric(metric, *args, **kwargs)
    if isinstance(metric, list):
        composite = CompositeEvalMetric()
        for child in metric:
            composite.add(create(child, *args, **kwargs))
        return composite
    return _create(metric, *args, **kwargs)


@register
@alias("composite")
class CompositeEvalMetric(EvalMetric):
    """Several metrics updated together; ``get()`` returns the lists of names and values."""

    def __init__(self, metrics=None, name="composite", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.metrics = [create(m) for m in (metrics or [])]

    def add(self, metric):
        self.metrics.append(create(metric))

    def get_metric(self, index):
        try:
            return self.metrics[index]
        except IndexError:
            return ValueError(f"Metric index {index} is out of range 0 and {len(self.metrics)}")

    def update_dict(self, labels, preds):
        if self.label_names is not None:
            labels = OrderedDict((k, v) for k, v in labels.items() if k in self.label_names)
        if self.output_names is not None:
            preds = OrderedDict((k, v) for k, v in preds.items() if k in self.output_names)
        for metric in self.metrics:
            metric.update_dict(labels, preds)

    def update(self, labels, preds):
        for metric in self.metrics:
            metric.update(labels, preds)

    def reset(self):
        for metric in getattr(self, "metrics", ()):
            metric.reset()

    def reset_local(self):
        for metric in self.metrics:
            metric.reset_local()

    def _collect(self, getter):
        names, values = [], []
        for metric in self.metrics:
            name, value = getter(metric)
            names.extend([name] if isinstance(name, string_types) else name)
            values.extend([value] if isinstance(value, numeric_types) else value)
        return names, values

    def get(self):
        return self._collect(lambda m: m.get())

    def get_global(self):
        return self._collect(lambda m: m.get_global())

    def get_config(self):
        config = super().get_config()
        config["metrics"] = [m.get_config() for m in self.metrics]
        return config


@register
@alias("acc")
class Accuracy(EvalMetric):
    """Share of predictions equal to the label (class scores are argmax-ed along ``axis``)."""

    def __init__(self, axis=1, name="accuracy", output_names=None, label_names=None):
        super().__init__(name, axis=axis, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.axis = axis

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            label, pred = _numpy(label), _numpy(pred)
            if pred.shape != label.shape:
                pred = np.argmax(pred, axis=self.axis)
            pred = pred.astype("int32").ravel()
            label = label.astype("int32").ravel()
            check_label_shapes(label, pred)
            self._add((pred == label).sum(), len(pred))


@register
@alias("top_k_accuracy", "top_k_acc")
class TopKAccuracy(EvalMetric):
    """Share of samples whose label is among the ``top_k`` highest scores."""

    def __init__(self, top_k=1, name="top_k_accuracy", output_names=None, label_names=None):
        super().__init__(name, top_k=top_k, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.top_k = top_k
        if not (self.top_k > 1):
            raise AssertionError("Please use Accuracy if top_k is no more than 1")
        self.name += f"_{self.top_k}"

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            pred = _numpy(pred)
            if not (pred.ndim <= 2):
                raise AssertionError("Predictions should be no more than 2 dims")
            ranked = np.argpartition(pred.astype("float32"), -self.top_k)
            label = _numpy(label).astype("int32")
            check_label_shapes(label, ranked)
            if ranked.ndim == 1:
                self.sum_metric += (ranked.ravel() == label.ravel()).sum()
            else:
                classes = ranked.shape[1]
                for j in range(min(classes, self.top_k)):
                    correct = (ranked[:, classes - 1 - j].ravel() == label.ravel()).sum()
                    self.sum_metric += correct
                    self.global_sum_metric += correct
            self.num_inst += ranked.shape[0]
            self.global_num_inst += ranked.shape[0]


class _BinaryCounts:
    """True/false positive/negative counts of a binary classifier (local and global)."""

    KEYS = ("tp", "fp", "fn", "tn")

    def __init__(self):
        self.local = dict.fromkeys(self.KEYS, 0)
        self.total = dict.fromkeys(self.KEYS, 0)

    def update(self, label, pred, owner):
        pred, label = _numpy(pred), _numpy(label).astype("int32")
        check_label_shapes(label, pred)
        if len(np.unique(label)) > 2:
            raise ValueError(f"{owner} currently only supports binary classification.")
        pred_true = np.argmax(pred, axis=1) == 1
        label_true = label == 1
        counts = {"tp": (pred_true & label_true).sum(), "fp": (pred_true & ~label_true).sum(),
                  "fn": (~pred_true & label_true).sum(), "tn": (~pred_true & ~label_true).sum()}
        for key, value in counts.items():
            self.local[key] += value
            self.total[key] += value

    @staticmethod
    def fscore(c):
        precision = float(c["tp"]) / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] > 0 else 0.0
        recall = float(c["tp"]) / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] > 0 else 0.0
        if precision + recall > 0:
            return 2 * precision * recall / (precision + recall)
        return 0.0

    @staticmethod
    def mcc(c):
        if not sum(c.values()):
            return 0.0
        tp, fp, fn, tn = (float(c[k]) for k in ("tp", "fp", "fn", "tn"))
        denom = math.prod(t for t in (tp + fp, tp + fn, tn + fp, tn + fn) if t != 0.0)
        return (tp * tn - fp * fn) / math.sqrt(denom)

    def reset(self, also_global=True):
        self.local = dict.fromkeys(self.KEYS, 0)
        if also_global:
            self.total = dict.fromkeys(self.KEYS, 0)


class _BinaryMetric(EvalMetric):
    """F1 / MCC: ``average='macro'`` averages per update, ``'micro'`` pools all counts."""

    score = None

    def __init__(self, name, output_names=None, label_names=None, average="macro"):
        self.average = average
        self.counts = _BinaryCounts()
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            self.counts.update(label, pred, type(self).__name__)
        score = type(self).score
        if self.average == "macro":
            self._add(score(self.counts.local), 1)   # the counts restart at every update
            self.counts.reset()
        else:
            local, total = sum(self.counts.local.values()), sum(self.counts.total.values())
            self.sum_metric, self.num_inst = score(self.counts.local) * local, local
            self.global_sum_metric = score(self.counts.total) * total
            self.global_num_inst = total

    def reset(self):
        super().reset()
        self.counts.reset()

    def reset_local(self):
        super().reset_local()
        self.counts.reset(also_global=False)


@register
class F1(_BinaryMetric):
    """F1 score of a binary classifier (class scores of shape (n, 2))."""

    score = staticmethod(_BinaryCounts.fscore)

    def __init__(self, name="f1", output_names=None, label_names=None, average="macro"):
        super().__init__(name, output_names, label_names, average)


@register
class MCC(_BinaryMetric):
    """Matthews correlation coefficient of a binary classifier."""

    score = staticmethod(_BinaryCounts.mcc)

    def __init__(self, name="mcc", output_names=None, label_names=None, average="macro"):
        super().__init__(name, output_names, label_names, average)


class _Regression(EvalMetric):
    """Per-batch error averaged over batches (1-d arrays are read as columns)."""

    def __init__(self, name, output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            label, pred = _numpy(label), _numpy(pred)
            label = label.reshape(label.shape[0], 1) if label.ndim == 1 else label
            pred = pred.reshape(pred.shape[0], 1) if pred.ndim == 1 else pred
            self._add(self.error(label, pred), 1)


@register
class MAE(_Regression):
    """Mean absolute error."""

    def __init__(self, name="mae", output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    @staticmethod
    def error(label, pred):
        return np.abs(label - pred).mean()


@register
class MSE(_Regression):
    """Mean squared error."""

    def __init__(self, name="mse", output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    @staticmethod
    def error(label, pred):
        return ((label - pred) ** 2.0).mean()


@register
class RMSE(_Regression):
    """Root mean squared error."""

    def __init__(self, name="rmse", output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    @staticmethod
    def error(label, pred):
        return np.sqrt(((label - pred) ** 2.0).mean())


class _Likelihood(EvalMetric):
    """Summed -log(probability of the label + eps) per sample."""

    def __init__(self, eps, name, output_names=None, label_names=None):
        super().__init__(name, eps=eps, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.eps = eps

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            label, pred = _numpy(label).ravel(), _numpy(pred)
            if not (label.shape[0] == pred.shape[0]):
                raise AssertionError()
            prob = pred[np.arange(label.shape[0]), np.int64(label)]
            self._add((-np.log(prob + self.eps)).sum(), label.shape[0])


@register
@alias("ce")
class CrossEntropy(_Likelihood):
    def __init__(self, eps=1e-12, name="cross-entropy", output_names=None, label_names=None):
        super().__init__(eps, name, output_names, label_names)


@register
@alias("nll_loss")
class NegativeLogLikelihood(_Likelihood):
    def __init__(self, eps=1e-12, name="nll-loss", output_names=None, label_names=None):
        super().__init__(eps, name, output_names, label_names)


@register
@alias("pearsonr")
class PearsonCorrelation(EvalMetric):
    """Pearson correlation of predictions and labels: averaged per update (``macro``) or over
    all values seen, from running means and sums of squares (``micro``)."""

    def __init__(self, name="pearsonr", output_names=None, label_names=None, average="macro"):
        self.average = average
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def reset(self):
        super().reset()
        # running (count, mean, sum of squared deviations) of labels and predictions; the
        # co-deviation sum
        self._label_stats, self._pred_stats, self._co = (0, 0.0, 0.0), (0, 0.0, 0.0), 0.0

    @staticmethod
    def _accumulate(values, stats):
        count, mean, m2 = stats
        count += len(values)
        delta = values - mean
        mean += np.sum(delta / count)
        return count, mean, m2 + np.sum(delta * (values - mean))

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            check_label_shapes(label, pred, False, True)
            label = _numpy(label).ravel().astype(np.float64)
            pred = _numpy(pred).ravel().astype(np.float64)
            if self.average == "macro":
                self._add(np.corrcoef(pred, label)[0, 1], 1)
                continue
            self.num_inst += 1
            self.global_num_inst += 1
            self._label_stats = self._accumulate(label, self._label_stats)
            self._co += np.sum((label - self._label_stats[1]) * (pred - self._pred_stats[1]))
            self._pred_stats = self._accumulate(pred, self._pred_stats)

    def get(self):
        if self.num_inst == 0 or self.average == "macro":
            return super().get()
        n = self._label_stats[0]
        spread = np.sqrt(self._pred_stats[2] / (n - 1)) * np.sqrt(self._label_stats[2] / (n - 1))
        return self.name, self._co / ((n - 1) * spread)


@register
class Loss(EvalMetric):
    """Mean of the values passed as predictions (the loss outputs)."""

    def __init__(self, name="loss", output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def update(self, _, preds):
        for pred in [preds] if isinstance(preds, np.ndarray) else preds:
            pred = _numpy(pred)
            self._add(pred.sum(), pred.size)


@register
class CustomMetric(EvalMetric):
    """A metric from ``feval(label, pred) -> value`` or ``-> (sum, count)``."""

    def __init__(self, feval, name=None, allow_extra_outputs=False, output_names=None,
                 label_names=None):
        if name is None:
            name = feval.__name__
            if name.find("<") != -1:
                name = f"custom({name})"
        super().__init__(name, feval=feval, allow_extra_outputs=allow_extra_outputs,
                         output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self._feval = feval
        self._allow_extra_outputs = allow_extra_outputs

    def update(self, labels, preds):
        if not self._allow_extra_outputs:
            labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            value = self._feval(_numpy(label), _numpy(pred))
            if isinstance(value, tuple):
                self._add(value[0], value[1])
            else:
                self._add(value, 1)

