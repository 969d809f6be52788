"""Running the analysis: the detectors over a ``Document`` (``analyze``), the
overlap and model-merge policy (``overlap``) and the scores (``scoring``).
Above detectors/; batch, classroom, evaluation and the CLI build on it."""
