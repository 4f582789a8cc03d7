"""N10, S5, D6: what the spec lists as unchanged in 2.x. They have ids (for ``--list-rules``,
``--select`` and the report) but nothing to rewrite or warn about, so they never run; N10's test
(:func:`.collect_params.selection_is_structural`) is what keeps N11 and D5 quiet."""
from .base import Level, Rule


class _Unchanged(Rule):
    level = Level.SAFE

    @classmethod
    def may_apply(cls, source: str) -> bool:
        return False


class StructuralSelection(_Unchanged):
    id = "N10"
    message = ("`collect_params('.*weight|.*bias')` (every alternative `.*<local name>`) is "
               "unchanged: it selects the same parameters by their 2.x structural keys")


class SaveLoadParameters(_Unchanged):
    id = "S5"
    message = ("`save_parameters(f)` / `load_parameters(f, ctx=…)` are unchanged: their files "
               "load from 1.x into 2.x (`ctx=` is accepted; `--device` spells it `device=`)")


class TrainerOverParameters(_Unchanged):
    id = "D6"
    message = "`Trainer(net.collect_params(), …)` is unchanged"
