"""Finding pretrained parameters on the local disk (mirrors ``mxnet.gluon.model_zoo.model_store``).

MXNet downloads ``<name>-<first 8 hex digits of the sha1>.params`` into ``$MXNET_HOME/models``.
gluonbridge never downloads: it finds such a file (or a plain ``<name>.params``) in a directory the
user names, or takes the file the user names.
"""
import glob
import os

DEFAULT_ROOT = os.path.join(os.environ.get("MXNET_HOME", os.path.join("~", ".mxnet")), "models")

_HASHED = "-" + "[0-9a-f]" * 8 + ".params"

# model name -> sha1 of its pretrained file, as MXNet keeps it; libraries (GluonNLP) add their
# models' hashes here at import. gluonbridge does not check hashes: it finds files by name.
_model_sha1 = {}


def get_model_file(name, root=DEFAULT_ROOT):
    """Path of the pretrained parameters of model ``name`` in the directory ``root``.

    Looks for ``<name>.params``, then for MXNet's download name ``<name>-<hash>.params``.
    Raises FileNotFoundError (nothing is downloaded) when neither exists, and ValueError when
    several hashed files would fit.
    """
    root = os.path.expanduser(os.fspath(root))
    plain = os.path.join(root, name + ".params")
    if os.path.isfile(plain):
        return plain
    hashed = sorted(glob.glob(os.path.join(glob.escape(root), glob.escape(name) + _HASHED)))
    if len(hashed) > 1:
        raise ValueError(f"several pretrained files for {name!r} in {root}: "
                         f"{', '.join(os.path.basename(p) for p in hashed)}; keep one, or pass "
                         "the file itself as pretrained=")
    if not hashed:
        raise FileNotFoundError(
            f"no pretrained parameters for {name!r} in {root}: expected {name}.params or "
            f"{name}-<hash>.params there. gluonbridge downloads nothing: put the file there, or "
            "pass its path (or its directory) as pretrained=")
    return hashed[0]


def load_pretrained(net, name, pretrained, root=DEFAULT_ROOT):
    """Load the pretrained parameters of model ``name`` into ``net`` and return it.

    ``pretrained`` is False (load nothing), True (look in ``root``), a directory to look in
    instead of ``root``, or the parameter file itself.
    """
    if not pretrained:
        return net
    if isinstance(pretrained, (str, os.PathLike)):
        path = os.path.expanduser(os.fspath(pretrained))
        if not os.path.isfile(path):
            path = get_model_file(name, path)
    else:
        path = get_model_file(name, root)
    net.load_parameters(path)
    return net
