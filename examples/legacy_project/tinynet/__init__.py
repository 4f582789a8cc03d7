"""A tiny Gluon 1.x project: what `python -m gluonbridge.codemod --diff` is shown on."""
from .model import TinyNet, build
from .train import load, save
