"""vntext: clean Vietnamese text scraped from the web, and explain every edit.

>>> import vntext
>>> vntext.clean("Vie\\u0302\\u0323t Nam")
'Việt Nam'
"""

from vntext import charsets as _charsets  # noqa: F401 - registers the vntext-* codecs
from vntext.config import Config
from vntext.detect import Decoded, decode
from vntext.pipeline import Cleaner, clean, clean_and_explain
from vntext.trace import Change, Cleaned, apply_changes

__version__ = "0.1.0"

__all__ = [
    "Change",
    "Cleaned",
    "Cleaner",
    "Config",
    "Decoded",
    "__version__",
    "apply_changes",
    "clean",
    "clean_and_explain",
    "decode",
]
