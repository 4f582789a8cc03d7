"""The Gluon model generate.py saves in the corpus (its section 7), written with gluonbridge's
Gluon: a ``--model tests.checkpoint.corpus_model:build`` factory for those files. The prefix
and the variant (MLP or conv) are read off the corpus's own collect_params().save keys."""
from gluonbridge.gluon import nn
from tests.checkpoint.corpus import FILES


def build():
    first = FILES["mx1_collect_params.params"]["arrays"][0]["key"]
    conv = "conv" in first
    net = nn.HybridSequential(prefix=first[:first.index("conv" if conv else "dense")])
    with net.name_scope():
        if conv:
            net.add(nn.Conv2D(4, 3, in_channels=2), nn.BatchNorm(in_channels=4),
                    nn.Activation("tanh"), nn.Flatten(), nn.Dense(3, in_units=16))
        else:
            net.add(nn.Dense(4, in_units=3, activation="relu"), nn.BatchNorm(in_channels=4),
                    nn.Dense(2, in_units=4))
    return net
