"""The F2 table: 1.x ``F.<op>`` -> 2.x ``np``/``npx`` functions or operators, where mechanical.

One row per op. ``("npx", "activation")`` means same arguments under a new name (``name=`` is
always dropped); ``("op", "+")`` a binary operator on two positional arguments; ``("concat",
…)`` a variadic op whose arrays become a list and whose ``dim`` becomes ``axis``.
"""
OPS = {
    "Activation": ("npx", "activation"),
    "FullyConnected": ("npx", "fully_connected"),
    "Convolution": ("npx", "convolution"),
    "Deconvolution": ("npx", "deconvolution"),
    "Pooling": ("npx", "pooling"),
    "BatchNorm": ("npx", "batch_norm"),
    "LayerNorm": ("npx", "layer_norm"),
    "Dropout": ("npx", "dropout"),
    "Embedding": ("npx", "embedding"),
    "LeakyReLU": ("npx", "leaky_relu"),
    "relu": ("npx", "relu"),
    "sigmoid": ("npx", "sigmoid"),
    "softmax": ("npx", "softmax"),
    "log_softmax": ("npx", "log_softmax"),
    "batch_dot": ("npx", "batch_dot"),
    "Flatten": ("npx", "batch_flatten"),
    "flatten": ("npx", "batch_flatten"),
    "clip": ("np", "clip"),
    "exp": ("np", "exp"),
    "log": ("np", "log"),
    "sqrt": ("np", "sqrt"),
    "abs": ("np", "abs"),
    "tanh": ("np", "tanh"),
    "square": ("np", "square"),
    "maximum": ("np", "maximum"),
    "minimum": ("np", "minimum"),
    "where": ("np", "where"),
    "zeros_like": ("np", "zeros_like"),
    "ones_like": ("np", "ones_like"),
    "expand_dims": ("np", "expand_dims"),
    "transpose": ("np", "transpose"),
    "elemwise_add": ("op", "+"),
    "broadcast_add": ("op", "+"),
    "elemwise_sub": ("op", "-"),
    "broadcast_sub": ("op", "-"),
    "elemwise_mul": ("op", "*"),
    "broadcast_mul": ("op", "*"),
    "elemwise_div": ("op", "/"),
    "broadcast_div": ("op", "/"),
    "concat": ("concat", "concatenate"),
    "Concat": ("concat", "concatenate"),
}

#: 1.x defaults of the variadic ops' axis keyword (``dim`` for concat).
CONCAT_DEFAULT_AXIS = "1"
