"""The link stage: assigns each article to a developing story, online, with an explanation of the decision.

`Linker(store, settings)` rebuilds its active window from the store, `decide(article)` returns a
`LinkDecision` without changing anything, and `commit(article)` adds a saved article to the index.
"""

from storyline.link.cluster import Linker, link_all, story_id_for

__all__ = ["Linker", "link_all", "story_id_for"]
