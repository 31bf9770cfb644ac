"""docs/contracts.md's tables, written from the contracts themselves so the doc cannot drift from them.

The marts from their dbt yml (columns, types, descriptions, keys and accepted values), the plans from the
planning writer's CONTRACTS, the published raw tables from the raw loader's DDL. The prose around them
stays hand-written; each generated table sits between `<!-- generated: <block> -->` and
`<!-- end generated -->`, and `make docs` (`python -m orchestration.contracts_doc`) rewrites them.
"""

from __future__ import annotations

import re

import duckdb
import yaml

from orchestration.core.plan_store import CONTRACTS, PLAN_KEYS
from orchestration.defs.warehouse.project import TRANSFORMS_DIR
from orchestration.publish import PUBLISHED_RAW_TABLES
from orchestration.raw import BOOKKEEPING, RAW_SCHEMA

DOC = TRANSFORMS_DIR.parent / "docs" / "contracts.md"
MARTS_DIR = TRANSFORMS_DIR / "models" / "marts"
BLOCK = re.compile(r"(<!-- generated: (?P<block>[^>]+?) -->\n).*?(<!-- end generated -->)", re.S)
MART_GROUPS = ("dim_", "fct_")  # "marts other" holds every mart named otherwise


def _marts() -> list[dict]:
    return [model for path in sorted(MARTS_DIR.glob("_*__models.yml"))
            for model in yaml.safe_load(path.read_text())["models"]]


def _test(test: str | dict) -> tuple[str, dict]:
    """A yml data test as (name, arguments)."""
    if isinstance(test, str):
        return test, {}
    (name, spec), = test.items()
    return name, (spec or {}).get("arguments", {})


def _key(model: dict) -> list[str]:
    for name, args in map(_test, model.get("data_tests", [])):
        if name == "unique_key":
            return list(args["columns"])
    return [c["name"] for c in model["columns"]
            if {"unique", "not_null"} <= {_test(t)[0] for t in c.get("data_tests", [])}]


def _column_notes(column: dict) -> str:
    notes = [column.get("description", "")]
    for name, args in map(_test, column.get("data_tests", [])):
        if name == "accepted_values":
            notes.append("One of " + ", ".join(f"`{v}`" for v in args["values"]) + ".")
        if name == "relationships":
            target = args["to"].removeprefix("ref(").removesuffix(")").strip("'\"")
            notes.append(f"Refers to `{target}.{args['field']}`.")
    return " ".join(n for n in notes if n).replace("|", "\\|")


def _mart(model: dict) -> str:
    key = ", ".join(f"`{c}`" for c in _key(model))
    rows = [f"| {c['name']} | {c['data_type'].upper()} | {_column_notes(c)} |" for c in model["columns"]]
    return "\n".join([f"#### `{model['name']}`", f"{model['description']} One row per {key}.", "",
                      "| column | type | notes |", "|---|---|---|", *rows])


def _columns(contract: dict[str, str]) -> str:
    return ", ".join(f"{name} {kind}" for name, kind in contract.items())


def _raw_tables() -> dict[str, dict[str, str]]:
    con = duckdb.connect()
    try:
        con.execute(BOOKKEEPING)
        tables: dict[str, dict[str, str]] = {}
        for table, column, kind in con.execute(
                "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_schema = ? "
                "ORDER BY table_name, ordinal_position", [RAW_SCHEMA]).fetchall():
            tables.setdefault(table, {})[column] = kind
        return {t: tables[t] for t in PUBLISHED_RAW_TABLES}
    finally:
        con.close()


def render_block(block: str) -> str:
    """The markdown of one generated block: `marts <prefix>`, `marts other`, `raw`, `plans keyed`, `plans other`."""
    if block.startswith("marts "):
        group = block.removeprefix("marts ")
        models = [m for m in _marts() if (m["name"].startswith(group) if group in MART_GROUPS
                                          else not m["name"].startswith(MART_GROUPS))]
        return "\n\n".join(_mart(m) for m in models)
    if block == "raw":
        rows = [f"| `{RAW_SCHEMA}.{table}` | {_columns(columns)} |" for table, columns in _raw_tables().items()]
        return "\n".join(["| table | columns |", "|---|---|", *rows])
    keyed = {table: contract for table, contract in CONTRACTS.items() if list(contract)[:len(PLAN_KEYS)] == list(PLAN_KEYS)}
    if block == "plans keyed":
        rows = [f"| `{table}` | {_columns({k: v for k, v in contract.items() if k not in PLAN_KEYS})} |"
                for table, contract in keyed.items()]
    elif block == "plans other":
        rows = [f"| `{table}` | {_columns(contract)} |" for table, contract in CONTRACTS.items() if table not in keyed]
    else:
        raise ValueError(f"docs/contracts.md: unknown generated block {block!r}")
    return "\n".join(["| table | columns |", "|---|---|", *rows])


def render(text: str) -> str:
    """The doc with every generated block written afresh from the contracts."""
    return BLOCK.sub(lambda m: f"{m.group(1)}{render_block(m.group('block'))}\n{m.group(3)}", text)


def main() -> None:
    DOC.write_text(render(DOC.read_text()))
    print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
