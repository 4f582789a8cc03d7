"""Small helpers shared by the Gluon-compatible classes."""


def indent(text: str, num_spaces: int) -> str:
    """Indent every line but the first by ``num_spaces`` (how MXNet nests reprs)."""
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    return "\n".join([lines[0]] + [" " * num_spaces + line for line in lines[1:]])
