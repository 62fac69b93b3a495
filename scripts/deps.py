"""Print one requirement per line from pyproject.toml: `deps.py main dev` or `deps.py bot`.

pyproject.toml is the single source of truth for both environments; the Makefile feeds this
output to pip, because the bot environment (Python 3.10, Rasa) cannot install the backend's
dependencies (Rasa pins SQLAlchemy < 1.5).
"""

import sys
from pathlib import Path

import tomllib

project = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())[
    "project"
]
for group in sys.argv[1:]:
    deps = project["dependencies"] if group == "main" else project["optional-dependencies"][group]
    print("\n".join(deps))
