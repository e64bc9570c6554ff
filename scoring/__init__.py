"""csrpractice's scoring engine: pure, deterministic functions that judge a customer-service reply.

No UI, no audio and no disk writes here, so scripts and the app score replies the same way.
"""
from scoring.cards import find_sensitive, luhn_ok, redact
from scoring.markers import Detection, Evidence, MarkerLibrary, default_library, detect_markers
from scoring.text import Token, normalize, tokenize

ENGINE_VERSION = "1.0.0"

__all__ = [
    "ENGINE_VERSION", "Detection", "Evidence", "MarkerLibrary", "Token", "default_library", "detect_markers",
    "find_sensitive", "luhn_ok", "normalize", "redact", "tokenize",
]
