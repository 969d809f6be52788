"""Getting text in: decoding bytes (``decode``), files, folders, stdin and
corpora (``inputs``), web pages (``fetch``) and the annotated datasets the
evaluation and training read. Imports only ``rhetoric.core``."""
