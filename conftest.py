"""Collection rules for the whole tree.

The engine adapters in ``vntext/integrations/`` import their engine when
imported (that is how a missing extra is reported at once), so
``--doctest-modules`` must not import the ones whose engine is not installed.
CI installs every extra and collects them all.
"""

import importlib.util
import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

# CI runs the properties with a fixed seed, so a submission's result does not
# depend on the draw; local runs keep exploring new examples (and every
# failure found that way becomes an @example or a case file).
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# hf.py is not listed: its batched function needs no engine to import.
_ENGINES = {"datatrove": "datatrove", "spark": "pyspark", "dask": "dask"}

collect_ignore = [
    f"vntext/integrations/{module}.py"
    for module, engine in _ENGINES.items()
    if importlib.util.find_spec(engine) is None
]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """With ``VNTEXT_REQUIRE_ENGINES=1`` (set by CI), a skipped integration test fails.

    Locally an integration test skips when its engine is not installed; CI
    installs every engine, so there a skip can only mean a broken install.
    """
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if (
        os.environ.get("VNTEXT_REQUIRE_ENGINES") == "1"
        and report.skipped
        and item.get_closest_marker("integration") is not None
    ):
        report.outcome = "failed"
        report.longrepr = f"engine missing, but CI installs every engine: {report.longrepr}"
