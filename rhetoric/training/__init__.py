"""Training the shipped models (scikit-learn, deterministic) from the
datasets in ``../shared``: estimators, one trainer per model family and the
table ``rhetoric train`` runs (``run``). Nothing below imports this package:
scoring never loads scikit-learn."""
