"""The packages to install (everything else is in pyproject.toml): gluonbridge's own, found, and
the repository's top-level folders ``codemods/`` and ``compat/``, which install as
``gluonbridge.codemods`` and ``gluonbridge.compat`` (nothing generic at the top of
site-packages). Run from a checkout, ``gluonbridge/__init__.py`` maps the same two names."""
from setuptools import find_packages, setup

FOLDERS = {"gluonbridge.codemods": "codemods", "gluonbridge.compat": "compat"}

setup(packages=find_packages(include=["gluonbridge", "gluonbridge.*"]) + sorted(FOLDERS),
      package_dir=FOLDERS)
