"""The lowest layer: the untouched document with its offsets, the report and
its JSON schema, lexicon matching and the glossary. Imports nothing else from
``rhetoric``."""
