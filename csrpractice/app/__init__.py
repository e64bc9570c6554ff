"""The Textual app. Imported only when the TUI is launched (the CLI's sub-commands never load it)."""
from csrpractice.app.main import CSRPracticeApp

__all__ = ["CSRPracticeApp"]
