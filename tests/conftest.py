from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "000_3a7ee16f5d0c7340.txt"
CORPUS = ROOT / "corpora" / "passages.jsonl"


@pytest.fixture
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip("../shared is not beside the checkout")
    return SEED.read_text(encoding="utf-8")
