"""Build GluonCV / GluonNLP model-zoo models from their released sources and describe them.

Runs unchanged in MXNet 1.9.1's oracle venv and in gluonbridge under the ``mxnet`` shim (the
snippet prelude sets ``SOURCES``, ``WEIGHTS``, ``SHIM`` and ``NAMES``). The only patching is
:func:`stub_unrelated` (third-party packages that no model needs, GluonNLP's Cython tokenizer)
and the numpy-2 aliases the libraries use. Each model is built in a fresh name scope,
initialized (MXNet: random, then ``save_parameters`` to ``WEIGHTS/<name>.params``; gluonbridge:
``load_parameters`` of that file), and run on a fixed input; ``result`` maps each model to its
stage reached, parameter names/shapes, output and first error.
"""
import sys
import traceback
import types

import numpy as np

UNRELATED = ("scipy", "scipy.io", "scipy.sparse", "scipy.special", "scipy.stats", "scipy.ndimage",
             "PIL", "PIL.Image", "portalocker", "cv2", "matplotlib", "matplotlib.pyplot", "tqdm",
             "pandas", "requests", "yaml", "autocfg", "decord", "sacremoses", "spacy",
             "sentencepiece", "regex")
CYTHON = ("gluonnlp.data.fast_bert_tokenizer",)
NUMPY2_ALIASES = {"bool": bool, "int": int, "float": float, "object": object, "str": str,
                  "complex": complex, "long": int, "unicode": str}


class _Stub(types.ModuleType):
    """A module whose every attribute is another stub; calling one raises."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        module = _Stub(f"{self.__name__}.{name}")
        sys.modules[module.__name__] = module
        return module

    def __call__(self, *args, **kwargs):
        raise RuntimeError(f"{self.__name__} is stubbed out by the real-libraries test")


def stub_unrelated():
    for name in UNRELATED:
        try:
            __import__(name)
        except Exception:
            parts = name.split(".")
            for i in range(1, len(parts) + 1):
                sys.modules.setdefault(".".join(parts[:i]), _Stub(".".join(parts[:i])))
    for name in CYTHON:
        sys.modules[name] = _Stub(name)
    for name, value in NUMPY2_ALIASES.items():
        if name not in np.__dict__:
            setattr(np, name, value)


def _cv(name, **kwargs):
    def build():
        from gluoncv import model_zoo
        return model_zoo.get_model(name, pretrained=False, **kwargs)
    return build


def _bert():
    from gluonnlp.model import BERTEncoder, BERTModel
    encoder = BERTEncoder(num_layers=2, units=64, hidden_size=128, max_length=32, num_heads=4)
    return BERTModel(encoder, vocab_size=100, token_type_vocab_size=2, units=64, embed_size=64,
                     use_pooler=True, use_decoder=False, use_classifier=False)


def _transformer():
    from gluonnlp.model.transformer import get_transformer_encoder_decoder
    return get_transformer_encoder_decoder(num_layers=2, units=64, hidden_size=128, num_heads=4,
                                           max_src_length=16, max_tgt_length=16)[0]


def _vocab(cls, size):
    """A GluonNLP vocabulary of ``size`` tokens (its special tokens and made-up words)."""
    import collections
    import gluonnlp
    special = len(getattr(gluonnlp.vocab, cls)(collections.Counter()))
    words = collections.Counter({f"w{i}": 1 for i in range(size - special)})
    return getattr(gluonnlp.vocab, cls)(words)


_SMALL_BERT = dict(pretrained=False, hparam_allow_override=True, num_layers=2, units=64,
                   hidden_size=128, max_length=32, num_heads=4, embed_size=64)


def _nlp(name, vocab_cls, **kwargs):
    def build():
        import gluonnlp
        return gluonnlp.model.get_model(name, vocab=_vocab(vocab_cls, 100), **_SMALL_BERT,
                                        **kwargs)[0]
    return build


def _transformer_nmt():
    """transformer_en_de_512's NMTModel (shared embeddings, tied output), small."""
    from gluonnlp.model.transformer import get_transformer_encoder_decoder
    from gluonnlp.model.translation import NMTModel
    encoder, decoder, one_step = get_transformer_encoder_decoder(
        num_layers=2, units=64, hidden_size=128, num_heads=4, max_src_length=16,
        max_tgt_length=16, scaled=True)
    return NMTModel(src_vocab=_vocab("Vocab", 100), tgt_vocab=_vocab("Vocab", 100),
                    encoder=encoder, decoder=decoder, one_step_ahead_decoder=one_step,
                    share_embed=True, embed_size=64, tie_weights=True, prefix="transformer_")


def _classifier(cls, model, vocab_cls):
    def build():
        import gluonnlp
        bert = _nlp(model, vocab_cls, use_pooler=True, use_decoder=False,
                    use_classifier=False)()
        return getattr(gluonnlp.model, cls)(bert, num_classes=3, dropout=0.1)
    return build


def _elmo():
    import gluonnlp
    return gluonnlp.model.get_model("elmo_2x1024_128_2048cnn_1xhighway", pretrained=False)[0]


def _nmt_steps():
    """The NMT model decoding two steps with its one-step-ahead decoder, as beam search calls
    it: encode, the decoder's states from the encoder, then ``decode_step`` twice."""
    import mxnet as mx

    class Steps(mx.gluon.Block):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.model = _transformer_nmt()

        def forward(self, src, valid, first, second):
            encoded, _ = self.model.encode(src, valid_length=valid)
            states = self.model.decoder.init_state_from_encoder(encoded, valid)
            out1, states, _ = self.model.decode_step(first, states)
            out2, states, _ = self.model.decode_step(second, states)
            return out1, out2, states
    return Steps()


def _nlp_lm(name):
    def build():
        import gluonnlp
        return gluonnlp.model.get_model(name, vocab=_vocab("Vocab", 100), pretrained=False)[0]
    return build


def _lstm_lm():
    from gluonnlp.model import StandardRNN
    return StandardRNN(mode="lstm", vocab_size=100, embed_size=200, hidden_size=200,
                       num_layers=2, dropout=0.2, tie_weights=False)


def _image(size):
    return lambda mx: [mx.nd.array(np.random.RandomState(0).uniform(-1, 1, (1, 3, size, size)).astype("float32"))]


def _tokens(mx):
    rng = np.random.RandomState(0)
    return [mx.nd.array(rng.randint(0, 100, (2, 8))), mx.nd.array(rng.randint(0, 2, (2, 8))),
            mx.nd.array([8, 5])]


def _bert_inputs(mx):
    """tokens, token types, valid lengths and masked positions (BERTModel's four inputs)."""
    return _tokens(mx) + [mx.nd.array([[1, 4], [0, 2]])]


def _roberta_inputs(mx):
    tokens, _, valid = _tokens(mx)
    return [tokens, valid, mx.nd.array([[1, 4], [0, 2]])]


def _nmt_inputs(mx):
    rng = np.random.RandomState(0)
    return [mx.nd.array(rng.randint(0, 100, (2, 8))), mx.nd.array(rng.randint(0, 100, (2, 6))),
            mx.nd.array([8, 5]), mx.nd.array([6, 3])]


def _elmo_inputs(mx):
    """characters (batch 2, 6 tokens of 50), the (forward, backward) states of both layers
    ((batch, 128) and (batch, 1024)), and the tokens' mask."""
    rng = np.random.RandomState(0)

    def states():
        return [[mx.nd.array(rng.uniform(-0.5, 0.5, (2, n)).astype("float32"))
                 for n in (128, 1024)] for _ in range(2)]
    return [mx.nd.array(rng.randint(0, 262, (2, 6, 50))), (states(), states()),
            mx.nd.array([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0]])]


def _big_rnn_inputs(mx):
    """tokens (length 8, batch 2) and the LSTMP cell's begin states ((2, 512), (2, 2048))."""
    rng = np.random.RandomState(0)
    return [mx.nd.array(rng.randint(0, 100, (8, 2))),
            [mx.nd.array(rng.uniform(-0.5, 0.5, (2, n)).astype("float32")) for n in (512, 2048)]]


# model -> (builder, inputs(mx) -> list of NDArrays)
MODELS = {
    "resnet18_v1b": (_cv("resnet18_v1b"), _image(64)),
    "resnet50_v1d": (_cv("resnet50_v1d"), _image(64)),
    "mobilenetv3_small": (_cv("mobilenetv3_small"), _image(64)),
    "mobilenet1.0": (_cv("mobilenet1.0"), _image(64)),
    "se_resnext50_32x4d": (_cv("se_resnext50_32x4d"), _image(64)),
    "darknet53": (_cv("darknet53"), _image(64)),
    "cifar_resnet20_v1": (_cv("cifar_resnet20_v1"), _image(32)),
    "fcn_resnet50_voc": (_cv("fcn_resnet50_voc", pretrained_base=False), _image(64)),
    "deeplab_resnet50_ade": (_cv("deeplab_resnet50_ade", pretrained_base=False, crop_size=64), _image(64)),
    "psp_resnet50_ade": (_cv("psp_resnet50_ade", pretrained_base=False, crop_size=64), _image(64)),
    "simple_pose_resnet18_v1b": (_cv("simple_pose_resnet18_v1b", pretrained_base=False),
                                 _image(64)),
    "ssd_300_resnet34_v1b_voc": (_cv("ssd_300_resnet34_v1b_voc", pretrained_base=False),
                                 _image(300)),
    "yolo3_darknet53_voc": (_cv("yolo3_darknet53_voc", pretrained_base=False), _image(128)),
    "bert_small": (_bert, _tokens),
    "transformer_encoder": (_transformer, lambda mx: [
        mx.nd.array(np.random.RandomState(0).uniform(-1, 1, (2, 8, 64)).astype("float32"))]),
    "standard_lstm_lm": (_lstm_lm, lambda mx: [
        mx.nd.array(np.random.RandomState(0).randint(0, 100, (8, 2)))]),
    "bert_12_768_12": (_nlp("bert_12_768_12", "BERTVocab"), _bert_inputs),
    "ernie_12_768_12": (_nlp("ernie_12_768_12", "BERTVocab"), _bert_inputs),
    "roberta_12_768_12": (_nlp("roberta_12_768_12", "Vocab"), _roberta_inputs),
    "transformer_nmt": (_transformer_nmt, _nmt_inputs),
    "distilbert_6_768_12": (_nlp("distilbert_6_768_12", "Vocab", dataset_name=None),
                            lambda mx: _roberta_inputs(mx)[:2]),
    "bert_classifier": (_classifier("BERTClassifier", "bert_12_768_12", "BERTVocab"),
                        lambda mx: _tokens(mx)),
    "roberta_classifier": (_classifier("RoBERTaClassifier", "roberta_12_768_12", "Vocab"),
                           lambda mx: _roberta_inputs(mx)[:2]),
    "elmo_2x1024_128_2048cnn_1xhighway": (_elmo, _elmo_inputs),
    "big_rnn_lm_2048_512": (_nlp_lm("big_rnn_lm_2048_512"), _big_rnn_inputs),
    "transformer_nmt_decode_steps": (_nmt_steps, lambda mx: [
        _nmt_inputs(mx)[0], _nmt_inputs(mx)[2], mx.nd.array([2, 7]), mx.nd.array([9, 4])]),
}


def _flat(out):
    if isinstance(out, (list, tuple)):
        return [a for o in out for a in _flat(o)]
    return [out]


def describe(mx, name, weights, save, models=MODELS):
    entry = {"stage": "import", "error": None}
    builder, inputs = models[name]
    try:
        with mx.name.NameManager():
            entry["stage"] = "build"
            net = builder()
        entry["params"] = {k: list(p.shape) for k, p in net.collect_params().items()}
        entry["stage"] = "load"
        path = f"{weights}/{name}.params"
        if save:
            net.initialize(mx.init.Xavier())
        else:
            net.load_parameters(path)
        entry["stage"] = "run"
        out = _flat(net(*inputs(mx)))
        if save:
            net.save_parameters(path)
        entry["outputs"] = [o.asnumpy().astype("float64").ravel().tolist() for o in out]
        entry["shapes"] = [list(o.shape) for o in out]
        entry["stage"] = "done"
    except Exception as exc:   # the report names the first missing piece per model
        entry["error"] = f"{type(exc).__name__}: {exc}"[:600]
        entry["trace"] = traceback.format_exc()[-1500:]
    return entry


def describe_all(sources, weights, shim, names, models=MODELS):
    sys.path[:0] = sources
    if shim:
        from gluonbridge import mxnet_shim
        mxnet_shim.install()
    import mxnet as mx     # before the stubs: MXNet's own optional imports (scipy) stay absent
    stub_unrelated()
    np.random.seed(0)
    mx.random.seed(0)
    return {name: describe(mx, name, weights, not shim, models) for name in names}
