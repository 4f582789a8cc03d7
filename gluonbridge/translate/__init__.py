"""Translations of weights between MXNet 1.x and 2.x layouts, on plain numpy data."""
