"""Build small Sockeye 2.3 (MXNet) Transformer models from Sockeye's released source.

The models are ``sockeye.model.SockeyeModel`` built from Sockeye's own config classes, run by
:func:`real_libraries.describe_all` (same stubs, weights hand-over and description) in MXNet
1.9.1 and under the ``mxnet`` shim. Each wrapper below has the empty prefix, so parameter names
are exactly Sockeye's checkpoint names, and returns the calls' outputs as a flat tuple:
training forward (logits), inference (``encode_and_initialize`` then ``decode_step`` twice, as
Sockeye's beam search calls them) and Sockeye's own beam and greedy search, for the standard
Transformer decoder and the SSRU one.
"""
import numpy as np

BATCH, SOURCE_LEN, TARGET_LEN, VOCAB = 2, 8, 6, 50


def _config(decoder_type="transformer", positional="fixed", tying="src_trg_softmax",
            act_type="relu", lhuc=False, glu=False, length_task=False, factors=False):
    """Sockeye's ModelConfig of a 2-layer, 32-wide, 4-head model; with ``factors``, two source
    factors (one summed into a 24-wide word embedding, one concatenated: 8 wide) and one
    averaged target factor, which gets its own output layer."""
    from sockeye import data_io, encoder, layers, model, transformer
    statistics = data_io.DataStatistics(
        num_sents=0, num_discarded=0, num_tokens_source=0, num_tokens_target=0,
        num_unks_source=0, num_unks_target=0, max_observed_len_source=SOURCE_LEN,
        max_observed_len_target=TARGET_LEN, size_vocab_source=VOCAB, size_vocab_target=VOCAB,
        length_ratio_mean=1.0, length_ratio_std=0.1, buckets=[], num_sents_per_bucket=[],
        average_len_target_per_bucket=[])
    data = data_io.DataConfig(data_statistics=statistics, max_seq_len_source=16,
                              max_seq_len_target=16, num_source_factors=3 if factors else 1,
                              num_target_factors=2 if factors else 1)

    def side(kind):
        return transformer.TransformerConfig(
            model_size=32, attention_heads=4, feed_forward_num_hidden=64, act_type=act_type,
            num_layers=2, dropout_attention=0.0, dropout_act=0.0, dropout_prepost=0.0,
            positional_embedding_type=positional, preprocess_sequence="n",
            postprocess_sequence="r", max_seq_len_source=16, max_seq_len_target=16,
            decoder_type=kind, use_lhuc=lhuc, depth_key_value=32, use_glu=glu)

    def embed(*factor_configs):
        used = list(factor_configs) if factors else []
        width = 32 - sum(f.num_embed for f in used if f.combine == "concat")
        return encoder.EmbeddingConfig(vocab_size=VOCAB, num_embed=width, dropout=0.0,
                                       factor_configs=used or None)

    def factor(size, width, combine):
        return encoder.FactorConfig(vocab_size=size, num_embed=width, combine=combine,
                                    share_embedding=False)
    return model.ModelConfig(
        config_data=data, vocab_source_size=VOCAB, vocab_target_size=VOCAB,
        config_embed_source=embed(factor(7, 24, "sum"), factor(5, 8, "concat")),
        config_embed_target=embed(factor(6, 32, "average")),
        config_encoder=side("transformer"), config_decoder=side(decoder_type),
        config_length_task=layers.LengthRatioConfig(num_layers=2, weight=1.0)
        if length_task else None, weight_tying_type=tying, lhuc=lhuc)


def _training(model, source, source_length, target, target_length):
    """SockeyeModel's training forward: the logits (and the length ratio when configured)."""
    out = model(source, source_length, target, target_length)
    return tuple(out[key] for key in sorted(out))


def _inference(model, source, source_length, first, second):
    """Encode, the decoder's states, two decode steps (a constant length ratio of 1.5): each
    step's logits and target factors' logits, the last states."""
    states, predicted = model.encode_and_initialize(source, source_length, 1.5)
    out1, states, factors1 = model.decode_step(first, states)
    out2, states, factors2 = model.decode_step(second, states)
    return (predicted, out1, *factors1, out2, *factors2, *states)


def _search(beam_size, greedy=False):
    """Sockeye's search as its Translator builds it (get_search_algorithm: hybridized, scores
    output, length penalty 1.0), translating the source to at most 6 tokens: the best
    hypotheses' indices, words, scores, lengths and estimated reference lengths."""
    def call(model, source, source_length):
        import mxnet as mx
        from sockeye import beam_search
        search = beam_search.get_search_algorithm(
            [model], beam_size=beam_size, context=mx.cpu(), vocab_target=None,
            output_scores=not greedy, scorer=beam_search.CandidateScorer(1.0, 0.0, 0.0),
            constant_length_ratio=-1.0 if greedy else 0.0, greedy=greedy)
        batch = source.shape[0]
        out = search(source, source_length, None, [None] * batch, [None] * batch,
                     mx.nd.array([6] * batch, dtype="int32"))
        return tuple(mx.nd.array(a) for a in out[:4 if greedy else 5])
    return call


def _save_folder(model, folder):
    """A Sockeye model directory as training leaves it: config, version, vocabularies and
    ``params.best`` (SockeyeModel.save_parameters: shared parameters saved once)."""
    import os
    from sockeye import constants as C
    from sockeye import vocab
    os.makedirs(folder)
    words = vocab.build_vocab([" ".join(f"w{i}" for i in range(VOCAB - len(C.VOCAB_SYMBOLS)))])
    vocab.save_source_vocabs([words], folder)
    vocab.save_target_vocabs([words], folder)
    model.save_config(folder)
    model.save_version(folder)
    model.save_parameters(os.path.join(folder, C.PARAMS_BEST_NAME))


def _model(call, inference_only=False, hybridize=False, folder=False, **config):
    """A builder of a Block holding one SockeyeModel (the empty prefix keeps Sockeye's names)
    whose forward is ``call``. With ``folder``, its parameters are saved as a Sockeye model
    directory and loaded back by ``sockeye.model.load_model`` (inference only, hybridized)."""
    def build():
        import mxnet as mx
        from sockeye import model

        class Wrapper(mx.gluon.Block):
            def __init__(self):
                super().__init__(prefix="")
                with self.name_scope():
                    self.model = model.SockeyeModel(_config(**config),
                                                    inference_only=inference_only)
                if hybridize:
                    self.model.hybridize(static_alloc=True)   # as Sockeye loads models

            def forward(self, *inputs):
                return call(self.model, *inputs)

            def save_parameters(self, path):
                if not folder:
                    return super().save_parameters(path)
                return _save_folder(self.model, path + ".model")

            def load_parameters(self, path):
                if not folder:
                    return super().load_parameters(path)
                self.model = model.load_model(path + ".model", inference_only=True)[0]
        return Wrapper()
    return build


def _inputs(mx):
    """source tokens (batch, length, 1 factor), their lengths, target tokens, their lengths."""
    rng = np.random.RandomState(0)
    source = rng.randint(1, VOCAB, (BATCH, SOURCE_LEN, 1))
    source[1, 5:] = 0
    target = rng.randint(1, VOCAB, (BATCH, TARGET_LEN, 1))
    target[1, 4:] = 0
    return [mx.nd.array(source), mx.nd.array([SOURCE_LEN, 5]), mx.nd.array(target),
            mx.nd.array([TARGET_LEN, 4])]


def _step_inputs(mx):
    """source, its lengths, and two steps' target tokens (batch, 1 factor)."""
    source, length, _, _ = _inputs(mx)
    return [source, length, mx.nd.array([[2], [7]]), mx.nd.array([[9], [4]])]


def _factored_inputs(mx):
    """_inputs with two source factors (ids below 7 and 5) and one target factor (below 6)."""
    rng = np.random.RandomState(1)
    source, source_length, target, target_length = [a.asnumpy() for a in _inputs(mx)]
    source = np.concatenate([source, rng.randint(0, 7, source.shape),
                             rng.randint(0, 5, source.shape)], axis=2)
    target = np.concatenate([target, rng.randint(0, 6, target.shape)], axis=2)
    return [mx.nd.array(source), mx.nd.array(source_length), mx.nd.array(target),
            mx.nd.array(target_length)]


def _factored_step_inputs(mx):
    source, length, _, _ = _factored_inputs(mx)
    return [source, length, mx.nd.array([[2, 1], [7, 5]]), mx.nd.array([[9, 0], [4, 3]])]


# model -> (builder, inputs(mx) -> list of NDArrays)
MODELS = {
    "transformer": (_model(_training), _inputs),
    "transformer_hybridized": (_model(_training, hybridize=True), _inputs),
    "transformer_variants": (_model(_training, positional="learned", tying="none",
                                    act_type="gelu", lhuc=True, glu=True, length_task=True),
                             _inputs),
    "transformer_decode_steps": (_model(_inference, True), _step_inputs),
    "transformer_decode_steps_hybridized": (_model(_inference, True, hybridize=True),
                                            _step_inputs),
    "ssru_transformer": (_model(_training, decoder_type="ssru_transformer"), _inputs),
    "ssru_transformer_decode_steps": (_model(_inference, True, decoder_type="ssru_transformer"),
                                      _step_inputs),
    "transformer_beam_search": (_model(_search(3), True, hybridize=True),
                                lambda mx: _inputs(mx)[:2]),
    "transformer_greedy_search": (_model(_search(1, greedy=True), True, hybridize=True,
                                         tying="none"),
                                  lambda mx: [a[:1] for a in _inputs(mx)[:2]]),
    "transformer_factors": (_model(_training, tying="trg_softmax", factors=True),
                            _factored_inputs),
    "transformer_factors_decode_steps": (_model(_inference, True, tying="trg_softmax",
                                                factors=True), _factored_step_inputs),
    "transformer_factors_beam_search": (_model(_search(3), True, hybridize=True,
                                               tying="trg_softmax", factors=True),
                                        lambda mx: _factored_inputs(mx)[:2]),
    "transformer_model_folder": (_model(_search(3), True, hybridize=True, folder=True),
                                 lambda mx: _inputs(mx)[:2]),
    "ssru_transformer_beam_search": (_model(_search(3), True, hybridize=True,
                                            decoder_type="ssru_transformer"),
                                     lambda mx: _inputs(mx)[:2]),
}
