"""Devices (mirrors ``mxnet.device`` / ``mxnet.context``): gluonbridge computes on the CPU
through ONNX, so a device is only a label that model code can pass around."""


class Device:
    """Where MXNet would place arrays: ``cpu(0)``, ``gpu(1)``."""

    def __init__(self, device_type="cpu", device_id=0):
        self.device_type, self.device_id = device_type, device_id

    def __repr__(self):
        return f"{self.device_type}({self.device_id})"

    def __eq__(self, other):
        return isinstance(other, Device) and \
            (self.device_type, self.device_id) == (other.device_type, other.device_id)

    def __hash__(self):
        return hash((self.device_type, self.device_id))


Context = Device


def cpu(device_id=0) -> Device:
    return Device("cpu", device_id)


def gpu(device_id=0) -> Device:
    return Device("gpu", device_id)


def current_device() -> Device:
    return cpu()


current_context = current_device


def check_runnable(device, what: str) -> None:
    """Refuse placing data on a device gluonbridge cannot compute on (any GPU): creating
    ``gpu(0)`` is fine, using it raises here, naming the call."""
    for one in device if isinstance(device, (list, tuple)) else [device]:
        if isinstance(one, Device) and one.device_type != "cpu":
            from .base import without_mxnet
            raise without_mxnet(f"{what} on {one}", "use mx.cpu()")
