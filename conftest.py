"""Collection rules for the whole tree.

The engine adapters in ``vntext/integrations/`` import their engine when
imported (that is how a missing extra is reported at once), so
``--doctest-modules`` must not import the ones whose engine is not installed.
CI installs every extra and collects them all.
"""

import importlib.util

# hf.py is not listed: its batched function needs no engine to import.
_ENGINES = {"datatrove": "datatrove", "spark": "pyspark", "dask": "dask"}

collect_ignore = [
    f"vntext/integrations/{module}.py"
    for module, engine in _ENGINES.items()
    if importlib.util.find_spec(engine) is None
]
