"""The workshop (Werkplaats): a story through the sociale basis of one wijk, and the notes."""

__all__ = ["notes", "story"]
