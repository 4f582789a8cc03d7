"""The ``graph_corpus`` fixtures: real MXNet graphs with expected outputs (tests/oracle/graph_corpus).

Generated once per content hash of the generator code into
``$GLUONBRIDGE_ORACLE_DIR/cache/graphs-<hash>/``; needs both oracles and skips (or, in CI, fails)
without them exactly as the ``mx1``/``mx2`` fixtures do. ``graph_corpus_full`` adds all 34 vision
zoo models and is for ``@pytest.mark.slow`` tests.
"""
import pytest

from tests.graphs.corpus import ensure
from tests.oracle.graph_corpus.run import GenerationError
from tests.oracle.harness import oracle_dir


def _corpus(full):
    try:
        return ensure(oracle_dir() / "cache", full=full)
    except GenerationError as exc:
        pytest.fail(f"graph corpus generation failed:\n{exc}", pytrace=False)


@pytest.fixture(scope="session")
def graph_corpus(mx1, mx2):
    """GraphCorpus of the default cases (fast zoo subset)."""
    return _corpus(full=False)


@pytest.fixture(scope="session")
def graph_corpus_full(mx1, mx2):
    """GraphCorpus of every case, the whole vision zoo included."""
    return _corpus(full=True)
