"""The backend's errors: what cannot be lowered, and inputs that do not fit a block."""


class LoweringError(ValueError):
    """A block or graph uses an op or attribute value the ONNX lowering does not support; the
    message names the block path (tracing) or the node (a symbol graph), the op and the
    attribute."""


class IncompatibleInputError(ValueError):
    """An input's shape or dtype does not fit a block's Parameters (MXNet's message, with the
    block path)."""


def unsupported(where: str, op: str, detail: str) -> LoweringError:
    """``<where>: op <op>: <detail> is not supported by the ONNX lowering``."""
    return LoweringError(f"{where}: op {op}: {detail} is not supported by the ONNX lowering")
