"""The Dutch spaCy pipeline, built in code (no model downloads): blank "nl" + the lookup
lemmatizer from spacy-lookups-data. Saved to var/spacy_nl, where config.yml's SpacyNLP loads it."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIPELINE_DIR = ROOT / "var" / "spacy_nl"


def build(path: Path = PIPELINE_DIR) -> Path:
    import spacy

    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    path.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(path)
    return path


if __name__ == "__main__":
    print(f"spaCy pipeline written to {build()}")
