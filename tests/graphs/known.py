"""The corpus graphs gluonbridge does not reproduce, each with its reason: every other case must
match MXNet. A case listed as unsupported must be refused with a LoweringError naming the op
(never a wrong answer); an inexact one is a strict xfail, so fixing it fails the test until the
entry is removed."""
from __future__ import annotations

import pytest

from tests.oracle.graph_corpus.table import selected

# case -> the op the lowering refuses (and why)
UNSUPPORTED = {
    # quantize_v2(out_type='auto') without calibration picks int8/uint8 from the data at run time
    "int8_convnet_uncalibrated": "_contrib_quantize_v2",
    # an int8 residual summed into a uint8 output: MXNet's saturation not reproduced exactly
    "int8_resnet18_v1": "_sg_mkldnn_conv",
}
# the unsupported cases whose ops are refused before any lowering (the others only once shapes
# and dtypes are known: int8_resnet18_v1's uint8 sum)
REFUSED_UP_FRONT = ("int8_convnet_uncalibrated",)
# case -> what is off
INEXACT = {
    "legacy_mxnet_save_000800": "1.49e-5 relative error at batch 3 against the 1e-5 goal "
                                "(MXNet's 0.8-era MLP test graph; not yet explained)",
}


def supported_cases():
    """pytest params of every default case expected to run, the inexact ones as strict xfails."""
    return [pytest.param(c.name, marks=pytest.mark.xfail(strict=True, reason=INEXACT[c.name]))
            if c.name in INEXACT else c.name
            for c in selected() if c.name not in UNSUPPORTED]
