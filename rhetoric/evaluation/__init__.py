"""Measuring the analysis on labelled data it did not train on: our corpus
(``corpus``), the public datasets (``datasets``: PTC, BABE, hedging, PolNeAR)
and the metrics they share (``metrics``, with the published definitions).
Sits above the pipeline; training builds on it, never the other way."""
