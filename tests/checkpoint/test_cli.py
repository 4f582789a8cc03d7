"""The convert and inspect CLIs: results, exit codes, atomic output, no overwrite, no traceback."""
import fcntl
import hashlib
import json
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from gluonbridge.checkpoint import read_index
from tests.checkpoint.corpus import FILES, MX1_EXPORT, MX2_EXPORT, path

REPO = Path(__file__).resolve().parents[2]
CORPUS_MODEL = "tests.checkpoint.corpus_model:build"


def run(module, *args):
    return subprocess.run([sys.executable, "-m", f"gluonbridge.{module}", *map(str, args)],
                          capture_output=True, text=True, cwd=REPO)


def digest(p):
    return hashlib.sha256(open(p, "rb").read()).hexdigest()


def manifest_content(name):
    return [(a["key"], a["dtype"], a["shape"], a["sha256"]) for a in FILES[name]["arrays"]]


def content(p):
    return [(t.key, t.dtype, list(t.shape), t.parts[0].sha256()) for t in read_index(p).tensors]


@pytest.mark.parametrize("to", ["mx1", "mx2", "safetensors", "onnx"])
def test_convert_keeps_every_array(to, tmp_path):
    source = path("mx1_collect_params.params")
    before = digest(source)
    out = tmp_path / f"out.{to}"
    proc = run("convert", source, out, "--to", to, "--verify")
    assert proc.returncode == 0, proc.stderr
    assert content(out) == manifest_content("mx1_collect_params.params")
    assert digest(source) == before


def test_convert_to_mx1_of_mxnet_file_is_identical(tmp_path):
    out = tmp_path / "same.params"
    assert run("convert", path("mx1_sparse_mixed_list.params"), out, "--to", "mx1").returncode == 0
    assert digest(out) == FILES["mx1_sparse_mixed_list.params"]["file_sha256"]


def test_translation_by_graph_position(tmp_path):
    """1.x names -> the 2.x keys of the same network, via the two exported graphs; expected
    keys and hashes from 1.9.1's save_parameters of that model."""
    out = tmp_path / "structural.params"
    proc = run("convert", path("mx1_collect_params.params"), out, "--to", "mx2",
               "--symbol", path("mx1_export-symbol.json"),
               "--target", path("mx2_export-symbol.json"), "--verify")
    assert proc.returncode == 0, proc.stderr
    assert content(out) == manifest_content("mx1_save_parameters.params")


def test_translation_by_stripped_prefix(tmp_path):
    out = tmp_path / "stripped.params"
    proc = run("convert", path("mx1_collect_params.params"), out, "--to", "mx1",
               "--target", path("mx1_collect_params_strip.params"))
    assert proc.returncode == 0, proc.stderr
    assert content(out) == manifest_content("mx1_collect_params_strip.params")


def test_translation_failure_lists_every_problem(tmp_path):
    out = tmp_path / "never.params"
    proc = run("convert", path("mx1_collect_params.params"), out, "--to", "mx2",
               "--target", path("mx1_nd_save_dict.params"))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    for array in FILES["mx1_collect_params.params"]["arrays"]:
        assert f"unexpected: '{array['key']}'" in proc.stderr
    expected_missing = {a["key"] for a in FILES["mx1_nd_save_dict.params"]["arrays"]}
    for name in expected_missing:
        assert f"missing: '{name}'" in proc.stderr
    assert not out.exists()


def test_namemap_json(tmp_path):
    legacy = FILES["mx1_collect_params.params"]["arrays"]
    structural = FILES["mx1_save_parameters.params"]["arrays"]
    namemap = tmp_path / "map.json"
    namemap.write_text(json.dumps({"format": "gluonbridge-namemap", "version": 1, "entries": [
        {"legacy": a["key"], "structural": b["key"], "shape": b["shape"]}
        for a, b in zip(legacy, structural)]}))
    out = tmp_path / "out.params"
    proc = run("convert", path(MX1_EXPORT), out, "--to", "mx2", "--namemap", namemap)
    assert proc.returncode == 0, proc.stderr
    assert content(out) == manifest_content("mx1_save_parameters.params")
    back = tmp_path / "back.params"
    proc = run("convert", out, back, "--to", "mx1", "--namemap", namemap, "--legacy-names")
    assert proc.returncode == 0, proc.stderr
    assert content(back) == manifest_content("mx1_collect_params.params")


@pytest.mark.parametrize("source", ["mx1_collect_params.params", MX1_EXPORT])
def test_translation_by_model(source, tmp_path):
    """--model builds the model in legacy mode: its full names map to the structural keys
    MXNet 1.9.1's save_parameters wrote, and back with --legacy-names."""
    out, back = tmp_path / "structural.npz", tmp_path / "legacy.params"
    proc = run("convert", path(source), out, "--to", "mx2", "--model", CORPUS_MODEL, "--verify")
    assert proc.returncode == 0, proc.stderr
    assert content(out) == manifest_content("mx1_save_parameters.params")
    proc = run("convert", out, back, "--to", "mx1", "--model", CORPUS_MODEL, "--legacy-names")
    assert proc.returncode == 0, proc.stderr
    assert content(back) == manifest_content("mx1_collect_params.params")


@pytest.mark.parametrize("spec, found", [
    ("no_such_module:build", "ModuleNotFoundError"),
    ("tests.checkpoint.corpus_model:nope", "AttributeError"),
    ("tests.checkpoint.corpus_model", "a model as pkg.module:factory"),
    ("tests.checkpoint.corpus:path", "TypeError"),
    ("os:getcwd", "a gluonbridge Block"),
])
def test_bad_model_is_one_line_exit_1(spec, found, tmp_path):
    proc = run("convert", path("mx1_collect_params.params"), tmp_path / "out.npz", "--to", "mx2",
               "--model", spec)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: ") and found in proc.stderr
    assert not (tmp_path / "out.npz").exists()


def test_model_of_another_network_reports_every_key(tmp_path):
    proc = run("convert", path("mx1_collect_params.params"), tmp_path / "out.npz", "--to", "mx2",
               "--model", "examples.legacy_model:build")
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    for array in FILES["mx1_collect_params.params"]["arrays"]:
        assert f"unexpected: '{array['key']}'" in proc.stderr
    assert "missing: '0.weight'" in proc.stderr


def test_no_overwrite_without_force(tmp_path):
    out = tmp_path / "exists.npz"
    out.write_bytes(b"precious")
    proc = run("convert", path("mx1_nd_save_dict.params"), out, "--to", "mx2")
    assert proc.returncode == 1 and "--force" in proc.stderr
    assert out.read_bytes() == b"precious"
    assert run("convert", path("mx1_nd_save_dict.params"), out, "--to", "mx2",
               "--force").returncode == 0
    assert content(out) == manifest_content("mx1_nd_save_dict.params")


def test_refuses_to_overwrite_its_input(tmp_path):
    copy = tmp_path / "in.params"
    copy.write_bytes(path("mx1_nd_save_dict.params").read_bytes())
    proc = run("convert", copy, copy, "--to", "mx1", "--force")
    assert proc.returncode == 1
    assert copy.read_bytes() == path("mx1_nd_save_dict.params").read_bytes()


@pytest.mark.parametrize("args", [[], ["in.params"], ["a", "b", "--to", "tf"],
                                  ["a", "b", "--to", "mx2", "--symbol", "s.json"]])
def test_usage_errors_exit_2(args):
    proc = run("convert", *args)
    assert proc.returncode == 2 and "usage:" in proc.stderr


@pytest.mark.parametrize("name", ["malformed/dim_huge.params", "malformed/npz_crc_corrupt.npz",
                                  "malformed/ndim_minus1.params", "does-not-exist.params"])
def test_bad_input_is_one_line_exit_1(name, tmp_path):
    procs = [run("convert", path(name), tmp_path / "out.npz", "--to", "mx2")]
    if "crc" not in name:     # inspect reads headers only; payload CRCs are checked on reading
        procs.append(run("inspect", path(name)))
    for proc in procs:
        assert proc.returncode == 1
        assert "Traceback" not in proc.stderr
        assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: ")
        assert name.split("/")[-1] in proc.stderr
    assert not (tmp_path / "out.npz").exists()


def test_a_missing_file_or_a_directory_is_named_first(tmp_path):
    for given, problem in [(tmp_path / "nowhere.params", "no such file or directory"),
                           (tmp_path, "is a directory")]:
        for proc in (run("convert", given, tmp_path / "out.npz", "--to", "mx2"),
                     run("inspect", given)):
            assert proc.returncode == 1
            assert proc.stderr == f"error: {given}: {problem}\n"


def test_help_teaches():
    for module in ("convert", "inspect"):
        proc = run(module, "--help")
        assert proc.returncode == 0 and "examples:" in proc.stdout and "exit status" in proc.stdout


@pytest.mark.parametrize("name", ["mx1_sparse_mixed_list.params", MX2_EXPORT,
                                  "mx1_all_dtypes.params"])
def test_inspect_json(name):
    proc = run("inspect", path(name), "--json")
    assert proc.returncode == 0, proc.stderr
    info = json.loads(proc.stdout)
    expected = [(a["key"], a["dtype"], a["shape"], a["stype"]) for a in FILES[name]["arrays"]]
    assert [(t["key"], t["dtype"], t["shape"], t["stype"]) for t in info["tensors"]] == expected


def test_inspect_table_has_summary():
    proc = run("inspect", path("mx1_collect_params.params"))
    assert proc.returncode == 0
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 2 + len(FILES["mx1_collect_params.params"]["arrays"])
    assert "8 arrays" in lines[-1]


def write_large_mx1(target, tensors=4, mib_each=256):
    """An NDArray list file of ``tensors`` float32 zero arrays, created sparse (instantly)."""
    count = mib_each * (1 << 20) // 4
    with open(target, "wb") as fh:
        fh.write(struct.pack("<QQQ", 0x112, 0, tensors))
        for _ in range(tensors):
            fh.write(struct.pack("<Iiiqiii", 0xF993FAC9, 0, 1, count, 1, 0, 0))
            fh.seek(count * 4, os.SEEK_CUR)
        fh.write(struct.pack("<Q", 0))


def test_progress_bar_only_on_a_terminal(tmp_path):
    source = tmp_path / "mid.params"
    write_large_mx1(source, tensors=2, mib_each=32)
    quiet = run("convert", source, tmp_path / "quiet.npz", "--to", "mx2")
    assert quiet.returncode == 0 and quiet.stderr.count("\n") == 1 and "%" not in quiet.stderr
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "gluonbridge.convert", str(source),
                             str(tmp_path / "bar.npz"), "--to", "mx2"], stderr=terminal, cwd=REPO)
    os.close(terminal)
    shown = b""
    while True:
        try:
            block = os.read(controller, 4096)
        except OSError:      # EIO: the child closed the terminal
            break
        if not block:
            break
        shown += block
    os.close(controller)
    assert proc.wait() == 0
    assert b"100%" in shown and b"convert" in shown


def test_sigkill_mid_convert_leaves_no_output(tmp_path):
    source, out = tmp_path / "big.params", tmp_path / "big.npz"
    write_large_mx1(source)
    before = digest(source)
    proc = subprocess.Popen([sys.executable, "-m", "gluonbridge.convert", str(source), str(out),
                             "--to", "mx2"], stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        partial = [p for p in tmp_path.iterdir() if p.name.startswith(".big.npz.gb-tmp-")]
        if partial and partial[0].stat().st_size > 64 << 20:
            break
        time.sleep(0.005)
    else:
        pytest.fail("convert never started writing")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert not out.exists()
    assert digest(source) == before


def test_ctrl_c_mid_convert_exits_130_and_leaves_no_output(tmp_path):
    source, out = tmp_path / "big.params", tmp_path / "big.npz"
    write_large_mx1(source)
    proc = subprocess.Popen([sys.executable, "-m", "gluonbridge.convert", str(source), str(out),
                             "--to", "mx2"], stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        partial = [p for p in tmp_path.iterdir() if p.name.startswith(".big.npz.gb-tmp-")]
        if partial and partial[0].stat().st_size > 64 << 20:
            break
        time.sleep(0.005)
    else:
        pytest.fail("convert never started writing")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate()
    assert proc.returncode == 130
    assert err == "error: interrupted; no output was written\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["big.params"]


def test_ctrl_c_in_inspect_exits_130(monkeypatch, capsys):
    from gluonbridge import inspect as inspect_cli

    def interrupted(path):
        raise KeyboardInterrupt

    monkeypatch.setattr(inspect_cli, "describe", interrupted)
    assert inspect_cli.main([str(path("mx1_collect_params.params"))]) == 130
    assert capsys.readouterr().err == "error: interrupted\n"


def test_inspect_into_a_pipe_closed_early_stops_quietly(tmp_path):
    """``gluonbridge-inspect big.params | head -1``: the table is larger than a pipe holds, the
    reader leaves after one line; inspect exits 0 without a traceback."""
    import numpy as np
    from gluonbridge import checkpoint
    big = tmp_path / "many.params"
    checkpoint.save(big, {f"layer{i:05d}_weight": np.zeros(2, np.float32) for i in range(4000)},
                    "mxnet-binary")
    proc = subprocess.Popen([sys.executable, "-m", "gluonbridge.inspect", str(big)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    assert proc.stdout.readline().startswith(b"key")
    proc.stdout.close()
    assert proc.wait(timeout=120) == 0
    assert proc.stderr.read() == b""
