"""The plain core and the dashboards load without Dagster, and the dashboards reach into orchestration
only through `orchestration.core`: a dashboard never loads the pipeline's definitions."""

import ast
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

from orchestration.core.paths import REPO_ROOT

CORE = REPO_ROOT / "orchestration" / "core"
DASHBOARDS = REPO_ROOT / "dashboards"
PIPELINE_ONLY = ("dagster", "dagster_dbt")


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports by absolute name: `from a.b import c` names a.b and, for a submodule, a.b.c."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # a name imported from a module, not a submodule
        return False


def loaded_packages(modules: list[str], packages: tuple[str, ...]) -> list[str]:
    """Import `modules` in a fresh interpreter; the ones of `packages` it then holds in sys.modules."""
    script = ("import importlib, json, sys\n"
              f"for name in {modules!r}:\n    importlib.import_module(name)\n"
              f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {packages!r})))")
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    run = subprocess.run([sys.executable, "-c", script], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])


def core_modules() -> list[str]:
    return sorted(module_name(path) for path in CORE.glob("*.py"))


def test_core_loads_without_dagster_or_streamlit():
    assert "orchestration.core.notifications" in core_modules()
    assert loaded_packages(core_modules(), (*PIPELINE_ONLY, "streamlit")) == []


def test_dashboards_load_without_dagster():
    """Every lib module, and every module a page or the entry file imports (pages run when imported)."""
    lib = [module_name(path) for path in (DASHBOARDS / "lib").glob("*.py")]
    pages = [*(DASHBOARDS / "app_pages").glob("*.py"), DASHBOARDS / "streamlit_app.py"]
    imported = {name for page in pages for name in imported_modules(page) if is_module(name)}
    modules = sorted({*core_modules(), *lib, *imported})
    assert "dashboards.lib.scenarios" in modules and "dashboards.lib.plans" in modules
    assert loaded_packages(modules, PIPELINE_ONLY) == []


def test_dashboards_import_nothing_from_orchestration_but_its_core():
    reaching = {f"{path.relative_to(REPO_ROOT)}: {name}"
                for path in DASHBOARDS.rglob("*.py") for name in imported_modules(path)
                if name.split(".")[0] == "orchestration" and not f"{name}.".startswith("orchestration.core.")}
    assert not reaching
