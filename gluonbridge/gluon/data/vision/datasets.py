"""Mirrors the names of ``mxnet.gluon.data.vision.datasets``. They download or decode images with
MXNet's own tools, so constructing one raises; ``ArrayDataset``/``SimpleDataset`` over arrays
you loaded work instead."""
from ....base import without_mxnet
from ..dataset import Dataset

__all__ = ["MNIST", "FashionMNIST", "CIFAR10", "CIFAR100", "ImageRecordDataset",
           "ImageFolderDataset", "ImageListDataset"]


class _NeedsMXNet(Dataset):
    def __init__(self, *args, **kwargs):
        raise without_mxnet(f"gluon.data.vision.{type(self).__name__}",
                            "load the images as numpy arrays into an ArrayDataset")


MNIST, FashionMNIST, CIFAR10, CIFAR100, ImageRecordDataset, ImageFolderDataset, \
    ImageListDataset = (type(name, (_NeedsMXNet,), {"__module__": __name__}) for name in __all__)
