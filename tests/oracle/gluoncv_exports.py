"""GluonCV model-zoo models exported by MXNet 1.9.1, and MXNet's own outputs on the files.

Runs in MXNet 1.9.1's oracle venv with GluonCV 0.10.5.post0's released source on ``sys.path``
(:func:`export_all`). Each model is built (``pretrained=False``, ``pretrained_base=False``) and
initialized from fixed seeds: Xavier weights, other Parameters uniform, every BatchNorm's
gamma, beta and running statistics set by :func:`_set_batchnorm` on the first run. It is then
hybridized, run once and exported to ``DIR/<name>-symbol.json`` + ``DIR/<name>-0000.params``
(``net.export``, or GluonCV's ``export_block`` with its preprocessing block for the models
marked so). MXNet's ``SymbolBlock.imports`` reads those files and runs a seeded input at each
batch size; inputs and outputs are saved as ``.npy`` files (``<name>-b<batch>-in.npy``,
``<name>-b<batch>-out<k>.npy``), and ``result`` describes every model (stage reached, first
error, outputs' count per batch).
"""
import time
import traceback

import numpy as np

from real_libraries import stub_unrelated


def _m(name, size, batches=(1, 2), layout="NCHW", export_block=False, calibrate=False,
       detection=False, **kwargs):
    return name, {"size": size, "batches": list(batches), "layout": layout,
                  "export_block": export_block, "calibrate": calibrate,
                  "detection": detection, "kwargs": kwargs}


# name -> how to build, feed and export it
MODELS = dict([
    _m("resnet50_v1d", 64),
    _m("resnet50_v1d_export_block", 64, layout="NHWC", export_block=True, model="resnet50_v1d"),
    _m("mobilenetv3_small", 64),
    _m("se_resnext50_32x4d", 64),
    _m("darknet53", 64),
    _m("resnest50", 64),
    _m("xception", 96),
    _m("hrnet_w18_small_v1_c", 64),
    _m("ssd_512_mobilenet1.0_voc", 256, detection=True, pretrained_base=False),
    _m("yolo3_mobilenet1.0_voc", 128, detection=True, pretrained_base=False),
    _m("yolo3_mobilenet1.0_voc_export_block", 128, layout="NHWC", export_block=True,
       detection=True, model="yolo3_mobilenet1.0_voc", pretrained_base=False),
    # the R-CNNs' graphs hold batch 1's shapes (MXNet itself refuses batch 2: concat0's input
    # shapes)
    _m("faster_rcnn_resnet50_v1b_voc", 128, batches=(1,), detection=True, pretrained_base=False),
    # uncalibrated, its upsampling head drives every heatmap score to exactly 1.0 (top-k's
    # order among ties is the implementation's)
    _m("center_net_resnet18_v1b_voc", 128, detection=True, calibrate=True,
       pretrained_base=False),
    _m("yolo3_darknet53_voc", 128, detection=True, pretrained_base=False),
    _m("faster_rcnn_fpn_resnet50_v1b_coco", 128, batches=(1,), detection=True,
       pretrained_base=False),
    _m("fcn_resnet50_voc", 64, pretrained_base=False),
    _m("psp_resnet50_ade", 64, pretrained_base=False, crop_size=64),
    _m("deeplab_resnet50_ade", 64, pretrained_base=False, crop_size=64),
    _m("danet_resnet50_citys", 64, pretrained_base=False),
    _m("icnet_resnet50_citys", 128, pretrained_base=False, height=128, width=128),
    _m("fastscnn_citys", 128, pretrained_base=False, height=128, width=128),
    _m("simple_pose_resnet18_v1b", 64, pretrained_base=False),
    _m("alpha_pose_resnet101_v1b_coco", 64, pretrained_base=False),
    _m("mobile_pose_mobilenetv3_small", 64, pretrained_base=False),
])


def input_shape(spec, batch):
    size = spec["size"]
    return (batch, size, size, 3) if spec["layout"] == "NHWC" else (batch, 3, size, size)


def make_input(spec, batch, seed=None):
    """A model's input at ``batch`` seeded by ``seed`` (default: the batch size); pixel values
    0..255 for the preprocessing block's input, -1..1 otherwise."""
    rng = np.random.RandomState(batch if seed is None else seed)
    high = 255.0 if spec["export_block"] else 1.0
    low = 0.0 if spec["export_block"] else -1.0
    return rng.uniform(low, high, input_shape(spec, batch)).astype("float32")


def _blocks(block):
    yield block
    for child in block._children.values():
        yield from _blocks(child)


def _set_batchnorm(mx, net, data, calibrate):
    """Every BatchNorm's gamma, beta and running statistics set while ``net`` runs ``data``
    (its Parameters' shapes are known only then), from a seeded RandomState: near 1 and 0
    (a mildly scaled and shifted BatchNorm), or with ``calibrate`` the running statistics of
    the BatchNorm's input on ``data``, as a trained network's (its variance plus the layer's
    mean variance, so no channel is blown up by a near-zero variance)."""
    rng = np.random.RandomState(0)

    def set_stats(block, inputs):
        x = inputs[0].asnumpy().astype("float64")
        axis = block._kwargs.get("axis", 1) % x.ndim
        axes = tuple(i for i in range(x.ndim) if i != axis)
        n = x.shape[axis]
        if calibrate:
            var = x.var(axis=axes)
            values = {"running_mean": x.mean(axis=axes), "running_var": var + var.mean(),
                      "gamma": rng.uniform(0.5, 1.5, n), "beta": rng.uniform(-0.2, 0.2, n)}
        else:
            values = {"running_mean": rng.uniform(-0.1, 0.1, n),
                      "running_var": rng.uniform(0.9, 1.1, n),
                      "gamma": rng.uniform(0.9, 1.1, n), "beta": rng.uniform(-0.1, 0.1, n)}
        for name, value in values.items():
            param = getattr(block, name)
            param.shape = value.shape          # a deferred Parameter learns its shape here
            param.set_data(mx.nd.array(value))

    hooks = [b.register_forward_pre_hook(set_stats) for b in _blocks(net)
             if hasattr(b, "running_var")]
    net(data)
    for hook in hooks:
        hook.detach()


def _flat(out):
    if isinstance(out, (list, tuple)):
        return [a for o in out for a in _flat(o)]
    return [out]


def export_one(mx, name, spec, directory):
    from gluoncv import model_zoo
    from gluoncv.utils import export_block
    entry = {"stage": "build", "error": None, "batches": spec["batches"]}
    kwargs = dict(spec["kwargs"])
    model = kwargs.pop("model", name)
    prefix = f"{directory}/{name}"
    start = time.time()
    try:
        with mx.name.NameManager():
            net = model_zoo.get_model(model, pretrained=False, **kwargs)
        entry["stage"] = "init"
        mx.random.seed(0)
        for param in net.collect_params().values():   # Xavier refuses vectors
            if param.init is None and param.name.endswith("_var"):
                param.init = mx.init.One()    # SSD's feature expander: a symbol's BatchNorm
            elif param.init is None and not param.name.endswith("weight"):
                param.init = mx.init.Uniform(0.1)
        net.initialize(mx.init.Xavier())
        first = make_input({**spec, "layout": "NCHW", "export_block": False}, 1, seed=3)
        _set_batchnorm(mx, net, mx.nd.array(first), spec["calibrate"])
        entry["stage"] = "export"
        if spec["export_block"]:
            size = spec["size"]
            export_block(prefix, net, data_shape=(size, size, 3), preprocess=True, layout="HWC")
        else:
            net.hybridize()
            net(mx.nd.zeros(input_shape(spec, 1)))
            net.export(prefix, 0)
        entry["stage"] = "imports"
        block = mx.gluon.SymbolBlock.imports(f"{prefix}-symbol.json", ["data"],
                                             f"{prefix}-0000.params")
        entry["stage"] = "run"
        entry["outputs"] = {}
        for batch in spec["batches"]:
            data = make_input(spec, batch)
            np.save(f"{prefix}-b{batch}-in.npy", data)
            outs = _flat(block(mx.nd.array(data)))
            for k, out in enumerate(outs):
                np.save(f"{prefix}-b{batch}-out{k}.npy", out.asnumpy())
            entry["outputs"][str(batch)] = len(outs)
        entry["stage"] = "done"
    except Exception as exc:   # the report names the stage and first error per model
        entry["error"] = f"{type(exc).__name__}: {exc}"[:600]
        entry["trace"] = traceback.format_exc()[-1500:]
    entry["seconds"] = round(time.time() - start, 1)
    return entry


def export_all(sources, directory, names):
    import sys
    sys.path[:0] = sources
    import mxnet as mx
    stub_unrelated()
    np.random.seed(0)
    return {name: export_one(mx, name, MODELS[name], directory) for name in names}
