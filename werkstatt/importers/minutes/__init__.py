"""Import of legacy result minutes (text, Word, PDF) into structured sessions.

Three steps, each with one module:

1. ``readers``: bytes of a file -> ``document.SourceDocument`` (blocks: paragraphs, list items,
   table rows; the same shape whatever the format).
2. ``parser``: ``SourceDocument`` -> ``parsed.ParsedSession`` with ``Finding``s (what is uncertain or
   unreadable, with the place in the document).
3. ``services``: matches persons, organisations, places and projects and writes the session through
   the meetings services, all or nothing; a dry run runs the same path and rolls back.
"""
