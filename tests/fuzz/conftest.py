"""Hypothesis profiles for tests/fuzz: `HYPOTHESIS_PROFILE=fuzz` (or `--hypothesis-profile=fuzz`)
tries ten times more examples per property than the default run; see `fuzzkit.fuzz`."""
import os

from hypothesis import settings

settings.register_profile("fuzz", max_examples=1000)
if os.environ.get("HYPOTHESIS_PROFILE"):
    settings.load_profile(os.environ["HYPOTHESIS_PROFILE"])
