"""Reading every array of a file maps the file once, whatever the format."""
import mmap

import numpy as np
import pytest

from gluonbridge import checkpoint


@pytest.mark.parametrize("fmt, name", [("mxnet-binary", "m.params"), ("npz", "m.npz"),
                                       ("safetensors", "m.safetensors")])
def test_all_arrays_of_a_file_share_one_memory_map(tmp_path, monkeypatch, fmt, name):
    arrays = {f"w{i}": np.full((3, 4), i, np.float32) for i in range(6)}
    checkpoint.save(tmp_path / name, arrays, fmt, force=True)
    maps = []
    real = mmap.mmap

    def counting(*args, **kwargs):
        maps.append(args)
        return real(*args, **kwargs)
    monkeypatch.setattr(mmap, "mmap", counting)
    loaded = checkpoint.load(tmp_path / name)
    assert len(maps) == 1
    for key, value in arrays.items():
        np.testing.assert_array_equal(loaded[key], value)
