"""The disk cache of onnxruntime's optimized models (gluonbridge.backend.session_cache): each
run is a separate process, as a user's next run would be. Not timed: the proof that the cache
is used is which source onnxruntime's session was made from (the cached file, or the model)."""
import json
import os
import subprocess
import sys

import numpy as np
from gluonbridge.backend import session_cache
from gluonbridge.backend.lower import Lowered

ON = {"GLUONBRIDGE_SESSION_CACHE": "1"}    # conftest turns it off for other tests

# A block of 64 nodes (over session_cache.MIN_NODES) with seeded weights, run twice; prints its
# outputs, what each onnxruntime session was made from ("quick": the first session, optimized
# less; "write": the optimized session writing the entry) and which session each run used.
RUN = """
import json
import sys
import numpy as np
import onnxruntime
from gluonbridge import naming
from gluonbridge.backend import session_cache
from gluonbridge.gluon import nn

made_from, ran_on = [], []


class Recording(onnxruntime.InferenceSession):
    def __init__(self, model, options, *args, **kwargs):
        quick = options.graph_optimization_level == onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
        self.made_from = ("cache" if isinstance(model, str) else "quick" if quick else
                          "write" if options.optimized_model_filepath else "model")
        made_from.append(self.made_from)
        super().__init__(model, options, *args, **kwargs)

    def run(self, *args, **kwargs):
        ran_on.append(self.made_from)
        return super().run(*args, **kwargs)


onnxruntime.InferenceSession = Recording
with naming.override("structural"):
    net = nn.HybridSequential()
    for _ in range(32):
        net.add(nn.Dense(32, in_units=32, activation="tanh"))
net.initialize()
rng = np.random.RandomState(0)
for p in net.collect_params().values():
    p.set_data(rng.uniform(-1, 1, p.shape).astype("float32"))
net.hybridize()
out = np.asarray(net(np.ones((2, 32), "float32")))
session_cache.wait()
again = np.asarray(net(np.ones((2, 32), "float32")))
print(json.dumps({"made_from": made_from, "ran_on": ran_on, "out": out.tolist(),
                  "again": again.tolist(), "onnx": "onnx" in sys.modules}))
"""


def _run(cache_home, script=RUN, **env):
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env={**os.environ, **ON, "XDG_CACHE_HOME": str(cache_home), **env})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def _entries(cache_home):
    folder = cache_home / "gluonbridge" / "onnxruntime"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_second_process_loads_the_optimized_model_from_the_cache(tmp_path):
    first = _run(tmp_path)
    assert first["made_from"] == ["quick", "write"]     # the entry written after the call
    assert first["ran_on"] == ["quick", "write"]        # whose session took over
    [entry] = _entries(tmp_path)
    files = sorted(p.name for p in (tmp_path / "gluonbridge" / "onnxruntime" / entry).iterdir())
    assert files == sorted([session_cache.MODEL, session_cache.WEIGHTS])   # weights apart
    second = _run(tmp_path)
    assert second["made_from"] == ["cache"] and second["ran_on"] == ["cache", "cache"]
    assert not first["onnx"] and not second["onnx"]     # neither imports the onnx package
    assert np.array_equal(second["out"], first["again"])   # the optimized model's bits
    np.testing.assert_allclose(first["out"], first["again"], rtol=1e-6, atol=1e-6)


def test_the_process_end_waits_for_the_entry_being_written(tmp_path):
    first = _run(tmp_path, RUN.replace("session_cache.wait()\n", ""))
    assert first["made_from"][0] == "quick"             # the caller's session did not wait
    assert _run(tmp_path)["made_from"] == ["cache"]     # the entry was complete at exit


def test_the_entry_is_written_after_the_first_run_returns(tmp_path):
    """The second session, which writes the entry, is only made once the caller's first run
    is over: the two do not compete while the first call is timed by the user."""
    script = RUN.replace("onnxruntime.InferenceSession = Recording", """
    def run(self, *args, **kwargs):
        made_from.append("run while optimizing" if session_cache.busy() else "run")
        return super().run(*args, **kwargs)


onnxruntime.InferenceSession = Recording""")
    assert _run(tmp_path, script)["made_from"] == ["quick", "run", "write", "run"]
    assert _run(tmp_path, script)["made_from"] == ["cache", "run", "run"]


def test_the_cache_can_be_turned_off(tmp_path):
    off = _run(tmp_path, GLUONBRIDGE_SESSION_CACHE="0")
    assert off["made_from"] == ["quick", "model"]       # optimized after the first run
    assert off["ran_on"] == ["quick", "model"]
    assert _entries(tmp_path) == []


def test_without_quick_start_the_first_session_is_the_optimized_one(tmp_path):
    first = _run(tmp_path, GLUONBRIDGE_QUICK_START="0")
    assert first["made_from"] == ["model", "write"]     # the entry still written after the call
    second = _run(tmp_path, GLUONBRIDGE_QUICK_START="0")
    assert second["made_from"] == ["cache"]
    assert np.array_equal(first["out"], first["again"])
    assert np.array_equal(second["out"], first["out"])


def test_a_small_graph_is_optimized_at_once_and_not_cached(tmp_path):
    small = _run(tmp_path, RUN.replace("range(32)", "range(4)"))    # under MIN_NODES
    assert small["made_from"] == ["model"] and small["ran_on"] == ["model", "model"]
    assert _entries(tmp_path) == []


def test_a_corrupt_entry_is_rebuilt_and_rewritten(tmp_path):
    first = _run(tmp_path)
    [entry] = _entries(tmp_path)
    for name in (session_cache.MODEL, session_cache.WEIGHTS):
        path = tmp_path / "gluonbridge" / "onnxruntime" / entry / name
        data = path.read_bytes()
        for damaged in (data[:len(data) // 2], os.urandom(len(data))):   # truncated, garbage
            path.write_bytes(damaged)
            survived = _run(tmp_path)
            if name == session_cache.WEIGHTS and len(damaged) == len(data):
                # weights of the right size load: wrong numbers (as any file's bit rot)
                assert survived["made_from"] == ["cache"]
                assert not np.array_equal(survived["out"], first["out"])
                path.write_bytes(data)
                continue
            assert survived["made_from"] == ["cache", "quick", "write"]   # tried, failed, rebuilt
            assert np.array_equal(survived["again"], first["again"])
            assert path.read_bytes() == data                      # rewritten as it was
            assert _entries(tmp_path) == [entry]                  # nothing left beside it


def test_concurrent_writers_leave_one_valid_entry(tmp_path):
    env = {**os.environ, **ON, "XDG_CACHE_HOME": str(tmp_path)}
    writers = [subprocess.Popen([sys.executable, "-c", RUN], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env) for _ in range(2)]
    outs = []
    for writer in writers:
        stdout, stderr = writer.communicate()
        assert writer.returncode == 0, stderr
        outs.append(json.loads(stdout.splitlines()[-1]))
    assert all(np.array_equal(o["again"], outs[0]["again"]) for o in outs)
    [entry] = _entries(tmp_path)                    # no temporary file left beside it
    reader = _run(tmp_path)
    assert reader["made_from"] == ["cache"]
    assert np.array_equal(reader["out"], outs[0]["again"])


def test_prune_removes_least_recently_used_entries_and_stale_temporaries(tmp_path):
    for age, name in enumerate(["c", "b", "a"]):
        (tmp_path / name).mkdir()
        for part in (session_cache.MODEL, session_cache.WEIGHTS):
            (tmp_path / name / part).write_bytes(b"x" * 50)
        os.utime(tmp_path / name, (1000 - age, 1000 - age))    # a is the oldest
    (tmp_path / "old.onnx").write_bytes(b"x")                  # an entry of cache format 1
    stale = tmp_path / ".d.gb-tmp-0000"
    fresh = tmp_path / ".e.gb-tmp-0000"
    for temporary in (stale, fresh):
        temporary.mkdir()
        (temporary / session_cache.MODEL).write_bytes(b"x")
    os.utime(stale, (1000, 1000))
    session_cache.prune(tmp_path, max_bytes=250)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".e.gb-tmp-0000", "b", "c"]


def test_the_key_covers_every_initializer_byte_and_attribute():
    big = np.zeros(5000, "float32")         # its repr elides the middle: the key must not
    nodes = [("Add", ["x", "w"], ["y"], {"note": np.arange(3)})]
    lowered = Lowered("g", nodes, {"w": big}, [("x", np.dtype("float32"), ["batch", 5000])],
                      [("y", np.dtype("float32"), ["batch", 5000])], 17)
    changed = big.copy()
    changed[2500] = 1
    keys = {session_cache.key(lowered),
            session_cache.key(lowered._replace(initializers={"w": changed})),
            session_cache.key(lowered._replace(nodes=[("Add", ["x", "w"], ["y"],
                                                       {"note": np.arange(3) + 1})])),
            session_cache.key(lowered._replace(opset=18))}
    assert len(keys) == 4
    assert session_cache.key(lowered) == session_cache.key(lowered._replace(
        initializers={"w": big.copy()}))


def test_a_forked_child_does_not_wait_for_its_parents_writer(tmp_path):
    """A child forked while the parent's writer thread runs starts with no writer."""
    script = RUN.replace("out = np.asarray(", """
import os
import threading
gate, write = threading.Event(), session_cache._write
session_cache._write = lambda *args: gate.wait() and write(*args)   # the writer is held
out = np.asarray(""").replace("session_cache.wait()\n", """
pid = os.fork()
if pid == 0:
    os._exit(0 if not session_cache.busy() and session_cache._lock.acquire(False)
             else 3)
_, status = os.waitpid(pid, 0)
gate.set()
session_cache.wait()
assert os.waitstatus_to_exitcode(status) == 0, status
""")
    assert _run(tmp_path, script)["made_from"] == ["quick", "write"]
    assert _run(tmp_path)["made_from"] == ["cache"]


# Three blocks like RUN's, each called once, the first one's optimization held until released.
MANY = RUN.split("with naming.override")[0] + """
import atexit
import threading

optimize, release = session_cache._optimize, threading.Event()


def held(target, *args):
    release.wait()
    optimize(target, *args)


session_cache._optimize = held
nets = []
for seed in range(3):
    with naming.override("structural"):
        net = nn.HybridSequential()
        for _ in range(32):
            net.add(nn.Dense(32, in_units=32, activation="tanh"))
    net.initialize()
    net.hybridize()
    net(np.ones((2, 32), "float32"))
    nets.append(net)
optimizers = [t for t in threading.enumerate() if t.name == "gluonbridge session optimizer"]
"""


def test_one_thread_optimizes_the_sessions_in_turn_skipping_dropped_ones(tmp_path):
    script = MANY + """
del nets[1]         # its executor and session with it, before its turn
release.set()
session_cache.wait()
for net in nets:
    net(np.ones((2, 32), "float32"))
print(json.dumps({"made_from": made_from, "ran_on": ran_on, "optimizers": len(optimizers),
                  "busy": session_cache.busy()}))
"""
    done = _run(tmp_path, script, GLUONBRIDGE_SESSION_CACHE="0")
    assert done["optimizers"] == 1
    assert done["made_from"] == ["quick"] * 3 + ["model"] * 2    # none for the dropped one
    assert done["ran_on"] == ["quick"] * 3 + ["model"] * 2
    assert not done["busy"]


def test_the_process_end_skips_optimizing_what_no_one_will_run(tmp_path):
    script = MANY + """
def release_when_main_ends():
    threading.main_thread().join()
    release.set()


threading.Thread(target=release_when_main_ends, daemon=True).start()
atexit.register(lambda: print(json.dumps({"made_from": made_from})))
"""
    # the first block's session, in the making when the main thread ended, is finished; the
    # others, which would write no entry, are skipped
    assert _run(tmp_path, script, GLUONBRIDGE_SESSION_CACHE="0")["made_from"] == \
        ["quick"] * 3 + ["model"]
    # with the cache on, every entry is written before the process ends
    assert _run(tmp_path, script)["made_from"] == ["quick"] * 3 + ["write"] * 3
    assert len(_entries(tmp_path)) == 3
