"""Every graph of the oracle corpus, read and lowered by gluonbridge, computes what MXNet
computed from the same files (within the case's tolerance relative to the output's max abs),
on both backends, at both batch sizes, through ONE lowered model with a symbolic batch axis."""
from __future__ import annotations

import pytest

from tests.graphs.compare import assert_close
from tests.graphs.runner import run_case
from gluonbridge.backend.errors import LoweringError
from tests.graphs.known import UNSUPPORTED, supported_cases

pytestmark = pytest.mark.oracle


@pytest.mark.parametrize("backend", ["onnxruntime", "reference"])
@pytest.mark.parametrize("name", supported_cases())
def test_corpus_case_runs_as_mxnet(graph_corpus, name, backend):
    case = graph_corpus.case(name)
    for batch in case.batches:
        assert_close(run_case(case, batch, backend), case.expected(batch), rel=case.rtol,
                     case=f"{name} (batch {batch}, {backend})")


@pytest.mark.parametrize("name", sorted(UNSUPPORTED))
def test_unsupported_corpus_case_is_refused_naming_the_op(graph_corpus, name):
    case = graph_corpus.case(name)
    with pytest.raises(LoweringError, match=UNSUPPORTED[name]):
        run_case(case, case.batches[0], "onnxruntime")
