"""Hypothesis profiles: ``ci`` (the default; what .ci/run uses) draws enough model trees to meet
the 300-per-run floor of the oracle comparison; ``dev`` is a quick local run."""
import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", deadline=None, print_blob=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("dev", parent=settings.get_profile("ci"), max_examples=10)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
