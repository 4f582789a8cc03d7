"""Every graph of the oracle corpus, read and lowered by gluonbridge, computes what MXNet
computed from the same files (within the case's tolerance relative to the output's max abs),
on both backends, at both batch sizes, through ONE lowered model with a symbolic batch axis."""
from __future__ import annotations

import pytest

from tests.graphs.compare import assert_close
from tests.graphs.runner import run_case
from tests.oracle.graph_corpus.table import selected

pytestmark = pytest.mark.oracle


@pytest.mark.parametrize("backend", ["onnxruntime", "reference"])
@pytest.mark.parametrize("name", [case.name for case in selected()])
def test_corpus_case_runs_as_mxnet(graph_corpus, name, backend):
    case = graph_corpus.case(name)
    for batch in case.batches:
        assert_close(run_case(case, batch, backend), case.expected(batch), rel=case.rtol,
                     case=f"{name} (batch {batch}, {backend})")
