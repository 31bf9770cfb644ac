"""docs/contracts.md's tables are the ones `make docs` writes from the contracts, not a hand copy."""

import yaml

from orchestration.contracts_doc import BLOCK, DOC, MARTS_DIR, render


def test_the_committed_doc_is_the_generated_one():
    text = DOC.read_text()
    assert text == render(text), "docs/contracts.md is stale: run `make docs`"


def test_every_mart_is_in_the_doc_once():
    generated = "".join(m.group(0) for m in BLOCK.finditer(DOC.read_text()))
    marts = [m["name"] for p in MARTS_DIR.glob("_*__models.yml") for m in yaml.safe_load(p.read_text())["models"]]
    assert marts and all(generated.count(f"#### `{name}`\n") == 1 for name in marts)
