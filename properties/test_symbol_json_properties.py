"""The symbol-JSON reader on damaged copies of real graphs (the old-generation fixtures and
MXNet-written graphs of tests/data/graphs): truncations, byte flips and structural mutations
(inputs pointing anywhere, keys dropped, ops and attribute values replaced) end in a
CheckpointError, or a LoweringError for a valid graph gluonbridge cannot run, and nothing else."""
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from gluonbridge import symbol as sym
from gluonbridge.backend.errors import LoweringError
from gluonbridge.checkpoint.errors import CheckpointError
from gluonbridge.gluon import SymbolBlock

FIXTURES = {p.stem: p.read_text() for p in
            sorted((Path(__file__).parents[1] / "tests" / "data" / "graphs").glob("*.json"))}
NAMES = sorted(FIXTURES)


def read(text):
    """Everything a user does on opening a graph: load, list, import as a block."""
    try:
        symbol = sym.load_json(text)
        symbol.list_arguments()
        symbol.list_outputs()
        inputs = [sym.var(n) for n in symbol.list_arguments()[:1]]
        SymbolBlock(symbol, inputs)
    except (CheckpointError, LoweringError):
        pass


@settings(max_examples=200)
@given(st.sampled_from(NAMES), st.integers(0, 1 << 30))
def test_truncated(name, cut):
    text = FIXTURES[name]
    read(text[:cut % (len(text) + 1)])


@settings(max_examples=200)
@given(st.sampled_from(NAMES),
       st.lists(st.tuples(st.integers(0, 1 << 30), st.characters(max_codepoint=0x7f)),
                min_size=1, max_size=4))
def test_characters_replaced(name, edits):
    text = list(FIXTURES[name])
    for position, char in edits:
        text[position % len(text)] = char
    read("".join(text))


_VALUES = st.one_of(st.integers(-3, 1 << 40), st.text(max_size=8), st.none(),
                    st.lists(st.integers(-2, 40), max_size=4), st.booleans(),
                    st.dictionaries(st.text(max_size=4), st.text(max_size=4), max_size=2))


@settings(max_examples=300)
@given(st.sampled_from(NAMES), st.data())
def test_structure_mutated(name, data):
    doc = json.loads(FIXTURES[name])
    for _ in range(data.draw(st.integers(1, 3))):
        node = data.draw(st.sampled_from(doc["nodes"]))
        key = data.draw(st.sampled_from(["op", "name", "inputs", "attrs", "attr", "param",
                                         "heads", "arg_nodes", "attrs.value", "input"]))
        if key in ("heads", "arg_nodes"):
            doc[key] = data.draw(_VALUES)
        elif key == "input" and node.get("inputs"):
            entry = data.draw(st.sampled_from(node["inputs"]))
            entry[data.draw(st.integers(0, len(entry) - 1))] = data.draw(_VALUES)
        elif key == "attrs.value":
            for attrs_key in ("attrs", "attr", "param"):
                if node.get(attrs_key):
                    attr = data.draw(st.sampled_from(sorted(node[attrs_key])))
                    node[attrs_key][attr] = data.draw(st.text(max_size=12))
        elif data.draw(st.booleans()):
            node.pop(key, None)
        else:
            node[key] = data.draw(_VALUES)
    read(json.dumps(doc))
