"""Rasa NLU component: the intake entities with normalised values (bot/entities.py).

Rasa's own SpacyEntityExtractor returns the matched text ("06-12 34 56 78", "den bosch"); this
one returns the value the intake stores ("+31612345678", "'s-Hertogenbosch", 5 for "met z'n
vijven"), with the matched text in `text`. It runs the EntityRuler of the Dutch pipeline that
SpacyNLP loaded (var/spacy_nl) on the original text: SpacyNLP's own doc is lower-cased, and
capitals matter here ("in Best" vs "ik doe mijn best")."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import entities


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False,
                          model_from="SpacyNLP")
class IntakeEntityExtractor(GraphComponent, EntityExtractorMixin):
    @classmethod
    def required_components(cls) -> list[type]:
        return [SpacyNLP]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"dimensions": None}  # None: all of bot.entities.LABELS

    def __init__(self, config: dict[str, Any]) -> None:
        self.dimensions = config.get("dimensions") or list(entities.LABELS)

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> IntakeEntityExtractor:
        return cls(config)

    @staticmethod
    def required_packages() -> list[str]:
        return ["spacy"]

    def process(self, messages: list[Message], model: SpacyModel) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if not text.strip() or text.startswith("/"):  # button payloads like /start_intake
                continue
            found = [e for e in entities.as_rasa(entities.extract(model.model(text)))
                     if e["entity"] in self.dimensions]
            message.set(ENTITIES, message.get(ENTITIES, []) + self.add_extractor_name(found),
                        add_to_output=True)
        return messages
