"""P9: per-gate recurrent parameters read by name.

MXNet 1.x recurrent layers keep one Parameter per layer, direction and connection
(``lstm0_l0_i2h_weight``; ``layer.l0_i2h_weight``); MXNet 2.x keeps one flat ``rnn_param`` per
layer, so such reads find nothing. Checkpoints translate (gluonbridge loads either layout and
``python -m gluonbridge.convert --to mx2`` fuses them); code that reads a gate's array must
slice ``rnn_param`` instead (``gluonbridge.translate.rnn_weights.split``)."""
from __future__ import annotations

import re

import libcst as cst

from .base import Level, Rule

# a per-gate local name, alone or at the end of a 1.x full name ('lstm0_l0_i2h_weight')
_PER_GATE = re.compile(r"(?:\A|_)[lr]\d+_(?:i2h|h2h|h2r)_(?:weight|bias)\Z")
_ATTRIBUTE = re.compile(r"[lr]\d+_(?:i2h|h2h|h2r)_(?:weight|bias)\Z")


class PerGateRecurrentParameters(Rule):
    id = "P9"
    level = Level.MANUAL
    message = ("MXNet 2.x recurrent layers have no per-gate parameters (l0_i2h_weight ...): one "
               "flat 'rnn_param' per layer; slice it (gluonbridge.translate.rnn_weights.split) "
               "or convert checkpoints with `python -m gluonbridge.convert --to mx2`")
    triggers = ("i2h_", "h2h_", "h2r_")

    def visit_SimpleString(self, node: cst.SimpleString):
        value = node.evaluated_value
        if isinstance(value, str) and _PER_GATE.search(value):
            self.warn(node)

    def visit_Attribute(self, node: cst.Attribute):
        if _ATTRIBUTE.match(node.attr.value):
            self.warn(node)
