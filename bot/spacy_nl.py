"""The Dutch spaCy pipeline, built in code (no model downloads): blank "nl" + the lookup
lemmatizer from spacy-lookups-data + an EntityRuler with the intake entities (e-mail, phone,
postcode, place, employees, kvk, sector; patterns in bot/entity_patterns.py, normalised by
bot/entities.py). Saved to var/spacy_nl, where config.yml's SpacyNLP loads it. Only built-in
spaCy components, so a plain `spacy.load("var/spacy_nl")` works without importing this project."""

from __future__ import annotations

import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIPELINE_DIR = ROOT / "var" / "spacy_nl"
FINGERPRINT_FILE = "intake_fingerprint.txt"
# What the saved pipeline is made of: rebuild when any of these changes.
SOURCES = ("bot/spacy_nl.py", "bot/entity_patterns.py", "bot/gazetteer.py", "bot/data")


def fingerprint(root: Path = ROOT) -> str:
    digest = hashlib.sha256()
    for name in SOURCES:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if "__pycache__" not in file.parts:
                digest.update(str(file.relative_to(root)).encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()[:16]


def is_current(path: Path = PIPELINE_DIR) -> bool:
    """True when the pipeline at `path` was built from the current sources."""
    marker = path / FINGERPRINT_FILE
    return (path / "meta.json").exists() and marker.exists() and (
        marker.read_text().strip() == fingerprint())


def make():
    """The pipeline in memory (tests and tools can use it without touching var/)."""
    import spacy

    from bot.entity_patterns import patterns

    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER",
                                                 "overwrite_ents": True, "validate": False})
    nlp.initialize()  # loads the lemma tables; clears the ruler, so add the patterns after
    ruler.add_patterns(_distinct(nlp, patterns()))
    return nlp


def _distinct(nlp, items: list[dict]) -> list[dict]:
    """Drop phrase patterns that tokenize the same as one already kept (case variants)."""
    kept, seen = [], set()
    for item in items:
        if isinstance(item["pattern"], str):
            tokens = tuple(t.lower_ for t in nlp.make_doc(item["pattern"]))
            marker = (item["label"], item.get("id"), tokens)
            if marker in seen:
                continue
            seen.add(marker)
        kept.append(item)
    return kept


def build(path: Path = PIPELINE_DIR) -> Path:
    nlp = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(path)
    (path / FINGERPRINT_FILE).write_text(fingerprint() + "\n")
    return path


if __name__ == "__main__":
    print(f"spaCy pipeline written to {build()}")
