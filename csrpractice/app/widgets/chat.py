"""Lines of the conversation: the customer's, the candidate's, hints and the ending."""
from __future__ import annotations

from textual.widgets import Static


class CustomerLine(Static):
    DEFAULT_CSS = """
    CustomerLine { background: $panel; color: $text; padding: 0 1; margin: 1 8 0 0; height: auto; }
    """


class CandidateLine(Static):
    DEFAULT_CSS = """
    CandidateLine { background: $primary 30%; color: $text; padding: 0 1; margin: 1 0 0 8; height: auto;
                    text-align: left; }
    """


class HintLine(Static):
    DEFAULT_CSS = """
    HintLine { color: $warning; padding: 0 1; margin: 1 4 0 4; height: auto; }
    """


class BriefLine(Static):
    DEFAULT_CSS = """
    BriefLine { color: $text-muted; padding: 0 1; margin: 1 4 0 0; height: auto; }
    """
