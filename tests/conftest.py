"""Shared test set-up: hypothesis runs derandomized so every run tests the same examples."""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "roomalloc",
    derandomize=True,
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)
settings.load_profile("roomalloc")
