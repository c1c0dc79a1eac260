"""Drafting a record from an announcement: rules over the text, evidence for every value.

`read_announcement` is the entry: it splits the text into sentences (`evidence`), finds
the publication date (`when`), the places and people (`names`), the signings and what
they agreed (`signings`), the focus areas (`focus`), and returns one `Draft` per
agreement (`drafts`). Nothing here reads a file or prints; the gazetteers load lazily.
"""
