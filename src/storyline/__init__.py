"""storyline: a cross-lingual news story tracker for Scandinavian news.

The package tree is the data flow: ingest → clean → detect → extract → link → store → serve.
Public operations live in `storyline.workflows` (analyze, ingest, open_store) and are re-exported here.
"""

__version__ = "0.1.0"
