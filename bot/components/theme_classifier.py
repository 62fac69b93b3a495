"""Rasa NLU component: a score per theme for every user message (bot/theme_model.py).

Trained on the describe_need_* examples of the NLU data. Adds `theme_scores`
({theme: probability}) to the parse result, so it reaches the tracker's latest_message (the
actions aggregate it over the vraagarticulatie turns) and Rasa's /model/parse (the backend's
/api/v1/classify). The intent classifier keeps deciding *whether* a message describes a need;
for those messages this component names the theme intent (see _decide_theme_intent). It runs
before the FallbackClassifier, which then sees the final intent."""

from __future__ import annotations

import json
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.theme_model import (
    DEFAULTS,
    INTENT_PREFIX,
    ThemeModel,
    examples_from_intents,
    sentences,
)

OUTPUT_KEY = "theme_scores"
SENTENCES_KEY = "theme_sentences"
FILE = "theme_examples.json"


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ThemeClassifier(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return dict(DEFAULTS)

    def __init__(self, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
                 examples: tuple[list[str], list[str]] | None = None) -> None:
        self.config = {**DEFAULTS, **{k: v for k, v in config.items() if k in DEFAULTS}}
        self._storage = model_storage
        self._resource = resource
        self.examples = examples or ([], [])
        self.model: ThemeModel | None = None
        if self.examples[0]:
            self.model = ThemeModel(**self.config).fit(*self.examples)

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> ThemeClassifier:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        texts, themes = examples_from_intents(
            (m.get(TEXT), m.get(INTENT)) for m in training_data.intent_examples)
        self.examples = (texts, themes)
        self.model = ThemeModel(**self.config).fit(texts, themes)
        with self._storage.write_to(self._resource) as directory:
            (directory / FILE).write_text(json.dumps({"texts": texts, "themes": themes},
                                                     ensure_ascii=False), encoding="utf-8")
        return self._resource

    @classmethod
    def load(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
             execution_context: ExecutionContext, **kwargs: Any) -> ThemeClassifier:
        try:
            with model_storage.read_from(resource) as directory:
                data = json.loads((directory / FILE).read_text(encoding="utf-8"))
        except (ValueError, FileNotFoundError):
            return cls(config, model_storage, resource)
        return cls(config, model_storage, resource, (data["texts"], data["themes"]))

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None:
            return messages
        texts = [m.get(TEXT) or "" for m in messages]
        for message, scores in zip(messages, self.model.predict_proba(texts), strict=True):
            message.set(OUTPUT_KEY, {k: round(v, 4) for k, v in scores.items()},
                        add_to_output=True)
            parts = sentences(message.get(TEXT) or "")
            if len(parts) > 1:  # a message that tells two sides of a question, one per sentence
                message.set(SENTENCES_KEY, [
                    {"words": len(part.split()), "scores": {k: round(v, 4) for k, v in s.items()}}
                    for part, s in zip(parts, self.model.predict_proba(parts), strict=True)],
                    add_to_output=True)
            self._decide_theme_intent(message, scores)
        return messages

    @staticmethod
    def _decide_theme_intent(message: Message, scores: dict[str, float]) -> None:
        """The intent classifier decides *whether* a message describes a need (the summed
        confidence of the describe_need_* intents); this model decides *which* theme. The
        ranking's need share is split by the theme scores, the top theme keeping the whole
        share so that a close call between two themes is not mistaken for an unclear message."""
        ranking = [dict(item) for item in message.get(INTENT_RANKING_KEY) or []]
        need = [item for item in ranking if str(item.get("name")).startswith(INTENT_PREFIX)]
        if not need:
            return
        share = sum(float(item.get("confidence") or 0.0) for item in need)
        top = max(scores, key=scores.get)
        others = [item for item in ranking if item not in need]
        themed = [{"name": f"{INTENT_PREFIX}{theme}",
                   "confidence": share if theme == top else share * scores[theme]}
                  for theme in scores]
        ranking = sorted(others + themed, key=lambda item: -item["confidence"])
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        intent = message.get(INTENT) or {}
        if str(intent.get("name")).startswith(INTENT_PREFIX):
            message.set(INTENT, {"name": f"{INTENT_PREFIX}{top}", "confidence": share},
                        add_to_output=True)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
