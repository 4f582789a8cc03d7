"""The migration's choices as command-line options, and the :class:`~.base.Options` they make:
one definition for both entry points (``python -m gluonbridge.codemod`` and the libcst command in
:mod:`.command`), so that the two migrate alike. libcst is imported only when Options are made."""
from __future__ import annotations

import argparse
from typing import Iterable


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """``--target``, ``--unsafe``, ``--forward``, ``--device``, ``--select``, ``--ignore``."""
    parser.add_argument("--target", choices=("mx2", "dual"), default="mx2",
                        help="mx2: code for MXNet 2.x (default); dual: code for 1.x and 2.x, "
                             "through gluonbridge.compat")
    parser.add_argument("--unsafe", action="store_true",
                        help="also apply unsafe rewrites (each one is reported for review)")
    parser.add_argument("--forward", action="store_true",
                        help="also migrate hybrid_forward(self, F, ...) to forward(self, ...)")
    parser.add_argument("--device", action="store_true",
                        help="also rename ctx to device (mx.context -> mx.device, ctx= -> device=)")
    parser.add_argument("--select", metavar="IDS", type=rule_ids,
                        help="comma-separated rule ids to run only")
    parser.add_argument("--ignore", metavar="IDS", type=rule_ids, default=frozenset(),
                        help="comma-separated rule ids to skip")


def defaults(**choices) -> argparse.Namespace:
    """The choices :func:`add_arguments` parses, at their defaults except for ``choices``."""
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return argparse.Namespace(**dict(vars(parser.parse_args([])), **choices))


def rule_ids(text: str) -> frozenset:
    """``"N1, glu4"`` -> ``{"N1", "N4"}``; an unknown id is a usage error."""
    from .registry import RULES

    ids = frozenset(i.strip().upper().removeprefix("GLU") for i in text.split(",") if i.strip())
    unknown = sorted(ids - {rule.id for rule in RULES})
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown rule id(s): {', '.join(unknown)} (see --list-rules)")
    return ids


def make_options(args: argparse.Namespace, sources: Iterable[str]):
    """The Options for ``args`` (parsed by :func:`add_arguments`); ``sources``, the project's
    Python texts, tell which of its classes are Gluon Blocks (known then in every file)."""
    from .base import Options
    from .blocks import project_block_classes

    groups = {"naming"} | ({"forward"} if args.forward else set()) | \
        ({"device"} if args.device else set())
    return Options(unsafe=args.unsafe, selected=args.select or None, ignored=args.ignore,
                   groups=frozenset(groups), target=args.target,
                   block_classes=project_block_classes(sources))
