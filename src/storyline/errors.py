"""One error hierarchy for the whole package.

Every error has a stable `code` (``<stage>.<reason>``, e.g. ``ingest.binary``), a message that names the input and
says what went wrong, and a `hint` that says what to do. Library code raises these; the CLI and the API turn them
into exit codes and one JSON error shape at the edge. Third-party exceptions are mapped to these at module
boundaries, so callers never have to know which library failed.
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base of every error storyline raises on purpose."""

    code: str = "storyline.error"

    def __init__(self, message: str, *, code: str | None = None, hint: str = "", input: str | None = None):
        self.message = message
        self.hint = hint
        self.input = input
        if code is not None:
            self.code = code
        super().__init__(self.full_message)

    @property
    def full_message(self) -> str:
        text = f"{self.input}: {self.message}" if self.input else self.message
        return f"{text} ({self.hint})" if self.hint else text

    def to_json(self) -> dict[str, str | None]:
        return {"code": self.code, "message": self.full_message, "input": self.input, "hint": self.hint}


class ConfigError(StorylineError):
    """A setting, option or pipeline composition is wrong; nothing was processed."""

    code = "config.invalid"


class PipelineError(ConfigError):
    """Stages were composed so that one needs a field no earlier stage assigns."""

    code = "config.pipeline"


class IngestError(StorylineError):
    """An input could not be read into an article (empty, binary, undecodable, malformed, too large)."""

    code = "ingest.invalid"


class CleanError(StorylineError):
    """Nothing usable remained after removing scraper residue."""

    code = "clean.empty"


class DetectError(StorylineError):
    code = "detect.failed"


class ExtractError(StorylineError):
    code = "extract.failed"


class LinkError(StorylineError):
    code = "link.failed"


class StoreError(StorylineError):
    """The store could not be opened, migrated or written; the transaction was rolled back."""

    code = "store.failed"


class NotFoundError(StoreError):
    code = "store.not_found"


class EvalError(StorylineError):
    """An evaluation data set is missing or malformed."""

    code = "eval.data"
