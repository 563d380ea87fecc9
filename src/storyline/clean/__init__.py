"""clean: scraped raw text → cleaned `Article.text` with paragraph offsets, residue removed.

`CleanStage(settings)` is the stage; `clean_text(raw, title)` is the same work as a plain function.
"""

from storyline.clean.stage import Cleaned, CleanStage, clean_text

__all__ = ["CleanStage", "Cleaned", "clean_text"]
