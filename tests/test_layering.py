"""The architecture as tests: data flows documents → graph → indexes → api, IRIs are minted in
one module, only the build stages write into a build directory, the README's layout is the tree,
and every public function is typed and documented."""
from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest

from tests.conftest import REPO

STAGES = ("ogp_graph", "indexes", "api")  # each may import only the ones before it
IRI_MINTER = "ogp_graph/rdf.py"
BUILD_WRITERS = {"api/pipeline.py", "ogp_graph/library.py", "ogp_graph/store.py"}


def _modules(package: str) -> list[Path]:
    return sorted(p for p in (REPO / package).rglob("*.py") if "__pycache__" not in p.parts)


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


@pytest.mark.parametrize("stage", STAGES)
def test_no_module_imports_a_later_stage(stage):
    later = STAGES[STAGES.index(stage) + 1 :]
    offenders = {f"{path.relative_to(REPO)} imports {name}"
                 for path in _modules(stage) for name in _imports(path) if name.split(".")[0] in later}
    assert not offenders, sorted(offenders)


def test_iris_are_minted_only_in_rdf():
    """Only ``ogp_graph/rdf.py`` joins strings onto the entity namespace (vocab.py defines it)."""
    minting = re.compile(r"ID_NS\s*\+|w3id\.org/ogp-kg/id/")
    offenders = [f"{path.relative_to(REPO)}:{n}" for package in STAGES for path in _modules(package)
                 if str(path.relative_to(REPO)) not in (IRI_MINTER, "ogp_graph/vocab.py")
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if minting.search(line)]
    assert not offenders, offenders


def test_only_the_build_stages_write_into_a_build_directory():
    """Build directories are created by ``store.new_build`` and filled through ``BuildLayout``
    paths; no other module asks for a new build or writes a layout path."""
    writers = re.compile(r"\bnew_build\(|\b(?:layout|BuildLayout\([^)]*\))\.(?:store|manifest|library|index|links|dumps|"
                         r"shacl_report)\b[^\n]*\.(?:write_text|write_bytes|open|mkdir|save)\(")
    offenders = [str(path.relative_to(REPO)) for package in STAGES for path in _modules(package)
                 if str(path.relative_to(REPO)) not in BUILD_WRITERS and writers.search(path.read_text(encoding="utf-8"))]
    assert not offenders, offenders


def test_readme_layout_names_the_modules_of_the_tree():
    """Every module or folder the README's Layout section names exists, and every package
    module of the tree is named there."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    named = set()
    for package in ("ontology", "ogp_graph", "indexes", "api", "benchmarks"):
        block = re.search(rf"^- `{package}/`(.*?)(?=^- `|\Z)", section, re.S | re.M)
        assert block, f"the Layout section has no entry for {package}/"
        for name in re.findall(r"`([\w./<>-]+)`", block.group(1)):
            if re.fullmatch(r"[\w/]+(?:\.py|\.ttl|\.jsonld|/)", name):
                named.add(f"{package}/{name}")
    missing = sorted(n for n in named if not (REPO / n).exists())
    assert not missing, f"README names what the tree lacks: {missing}"
    tree = {f"{p}/{m.relative_to(REPO / p).parts[0]}" + ("/" if m.relative_to(REPO / p).parts[1:] else "")
            for p in ("ogp_graph", "indexes", "api") for m in _modules(p) if m.name != "__init__.py" or
            m.parent != REPO / p}
    unnamed = sorted(t for t in tree if t not in named and not t.endswith("/__init__.py"))
    assert not unnamed, f"modules the README's Layout does not name: {unnamed}"


def _public_functions():
    for package in STAGES:
        for path in _modules(package):
            name = ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
            module = importlib.import_module(name)
            for attr, value in vars(module).items():
                if attr.startswith("_") or getattr(value, "__module__", None) != module.__name__:
                    continue
                if inspect.isfunction(value):
                    yield f"{name}.{attr}", value
                elif inspect.isclass(value):
                    for meth, fn in vars(value).items():
                        if inspect.isfunction(fn) and not meth.startswith("_"):
                            yield f"{name}.{attr}.{meth}", fn


def test_every_public_function_is_typed_and_documented():
    undocumented, untyped = [], []
    for name, fn in _public_functions():
        if not (fn.__doc__ or "").strip():
            undocumented.append(name)
        signature = inspect.signature(fn)
        params = [p for p in signature.parameters.values() if p.name not in ("self", "cls")]
        if signature.return_annotation is inspect.Signature.empty and fn.__name__ != "__init__" or \
                any(p.annotation is inspect.Parameter.empty for p in params if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)):
            untyped.append(name)
    assert not undocumented, f"{len(undocumented)} public functions without a docstring: {undocumented}"
    assert not untyped, f"{len(untyped)} public functions without type hints: {untyped}"


@pytest.mark.parametrize("package", STAGES)
def test_each_stage_exports_a_few_public_names(package):
    module = importlib.import_module(package)
    assert 0 < len(module.__all__) <= 12
    for name in module.__all__:
        assert getattr(module, name) is not None
    with pytest.raises(AttributeError):
        getattr(module, "no_such_name")


def test_readme_python_examples_import_from_the_stage_packages():
    blocks = re.findall(r"```python\n(.*?)```", (REPO / "README.md").read_text(encoding="utf-8"), re.DOTALL)
    imports = [node for block in blocks for node in ast.walk(ast.parse(block)) if isinstance(node, ast.ImportFrom)]
    assert imports
    for node in imports:
        assert node.module in STAGES, f"README imports from {node.module}, not from a stage package"
        assert {a.name for a in node.names} <= set(importlib.import_module(node.module).__all__)


def test_querying_imports_neither_spacy_nor_torch():
    """The query side (``Service``, the CLI's ``sparql``) starts without the NLP stack (seconds of imports)."""
    import subprocess
    import sys

    code = "import sys, api.core, api.cli; print(sorted({'spacy', 'torch', 'thinc'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
