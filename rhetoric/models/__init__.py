"""Trained models: data adapters, features, scikit-learn estimators, and the
readable JSON weights they ship as.

Nothing here imports scikit-learn or numpy at import time: inference runs on
plain-Python dot products over the shipped weights, and scikit-learn is only
imported inside ``fit`` (by ``rhetoric train``).
"""
