"""The link stage: assigns each article to a developing story and to an event inside it, online, with a learned
decision and an explanation of it.

`Linker(store, settings)` rebuilds its active window from the store, `decide(article)` returns a
`LinkDecision` without changing anything, and `commit(article)` adds a saved article to the index.
"""

from storyline.link.cluster import Linker, event_id_for, link_all, story_id_for

__all__ = ["Linker", "event_id_for", "link_all", "story_id_for"]
