"""Which werkplaats picks up a ticket, by postcode region (config/werkplaatsen.yml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml


class WerkplaatsConfigError(ValueError):
    """The werkplaatsen file is missing or malformed."""


@dataclass(frozen=True)
class Werkplaats:
    name: str
    contact: str
    ranges: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Directory:
    default: str
    werkplaatsen: tuple[Werkplaats, ...]

    def for_postcode(self, postcode: str | None) -> str:
        match = re.match(r"\s*(\d{2})", postcode or "")
        if match:
            prefix = int(match.group(1))
            for wp in self.werkplaatsen:
                if any(lo <= prefix <= hi for lo, hi in wp.ranges):
                    return wp.name
        return self.default

    def names(self) -> list[str]:
        return [wp.name for wp in self.werkplaatsen] + [self.default]


def _parse_range(text: object, where: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{2})-(\d{2})", str(text).strip())
    if not match or int(match.group(1)) > int(match.group(2)):
        raise WerkplaatsConfigError(f"{where}: postcode range {text!r} must look like '10-21'")
    return int(match.group(1)), int(match.group(2))


def load_directory(path: Path) -> Directory:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise WerkplaatsConfigError(f"werkplaatsen file not found: {path}") from exc
    except yaml.YAMLError as exc:
        raise WerkplaatsConfigError(f"{path} is not valid YAML: {exc}") from exc
    except (OSError, UnicodeDecodeError) as exc:  # a directory, unreadable, not UTF-8
        raise WerkplaatsConfigError(f"cannot read werkplaatsen file {path}: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("werkplaatsen"), list):
        raise WerkplaatsConfigError(f"{path}: needs a 'werkplaatsen' list")
    items = []
    for i, raw in enumerate(data["werkplaatsen"]):
        where = f"{path.name} werkplaats #{i + 1}"
        if isinstance(raw, dict) and len(str(raw.get("name", ""))) > 120:
            raise WerkplaatsConfigError(f"{where}: name is longer than 120 characters")
        if not isinstance(raw, dict) or not raw.get("name") or not raw.get("postcodes"):
            raise WerkplaatsConfigError(f"{where}: needs 'name' and 'postcodes'")
        if not isinstance(raw["postcodes"], list):
            raise WerkplaatsConfigError(f"{where}: 'postcodes' must be a list like ['10-21']")
        ranges = tuple(_parse_range(r, where) for r in raw["postcodes"])
        items.append(Werkplaats(str(raw["name"]), str(raw.get("contact", "")), ranges))
    return Directory(str(data.get("default") or "Landelijk loket"), tuple(items))
