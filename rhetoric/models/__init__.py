"""Trained models, inference only: features, the linear scorer over the
readable JSON weights (``linear``), the typed bundles and where they are
stored (``store``), decoders (``spans``), and one module per model family.

Nothing here imports scikit-learn or numpy: inference runs on plain-Python
dot products over the shipped weights. Fitting lives in ``rhetoric.training``,
measuring in ``rhetoric.evaluation``; neither is imported from here (the
layer contract in pyproject.toml).
"""
