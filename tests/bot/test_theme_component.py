"""bot.components.theme_classifier: the Rasa component trains on the describe_need_* examples,
adds theme_scores to every parsed message, and loads back from Rasa's model storage."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.components.theme_classifier import OUTPUT_KEY, ThemeClassifier
from bot.theme_model import THEMES
from tests.bot.test_theme_model import TRAIN


@pytest.fixture
def storage(tmp_path):
    return LocalModelStorage(tmp_path)


def _training_data() -> TrainingData:
    examples = [Message.build(text=t, intent=f"describe_need_{theme}")
                for theme in THEMES for t in TRAIN[theme]]
    examples += [Message.build(text="hallo daar", intent="greet"),
                 Message.build(text="dankjewel", intent="thanks")]
    return TrainingData(training_examples=examples)


def _context() -> ExecutionContext:
    return ExecutionContext(GraphSchema({}), "test")


def test_trained_component_scores_every_message_and_survives_a_reload(storage):
    resource = Resource("theme_classifier")
    component = ThemeClassifier.create({}, storage, resource, _context())
    component.train(_training_data())
    messages = [Message.build(text="een dashboard met cijfers"), Message.build(text="hoi")]
    component.process(messages)
    first = messages[0].get(OUTPUT_KEY)
    assert set(first) == set(THEMES)
    assert max(first, key=first.get) == "data"
    assert sum(messages[1].get(OUTPUT_KEY).values()) == pytest.approx(1.0, abs=0.001)
    assert OUTPUT_KEY in messages[0].as_dict(only_output_properties=True)

    loaded = ThemeClassifier.load({}, storage, resource, _context())
    again = [Message.build(text="een dashboard met cijfers")]
    loaded.process(again)
    assert again[0].get(OUTPUT_KEY) == first


def test_greetings_are_not_theme_examples(storage):
    component = ThemeClassifier.create({}, storage, Resource("t"), _context())
    component.train(_training_data())
    assert "hallo daar" not in component.examples[0]
    assert len(component.examples[0]) == sum(len(v) for v in TRAIN.values())


def test_an_untrained_component_leaves_messages_alone(storage):
    component = ThemeClassifier.load({}, storage, Resource("never-trained"), _context())
    messages = [Message.build(text="webshop")]
    component.process(messages)
    assert messages[0].get(OUTPUT_KEY) is None


def test_config_overrides_the_model_settings(storage):
    component = ThemeClassifier.create({"C": 1.0, "lexicon_weight": 0.0, "unrelated": 1},
                                       storage, Resource("t"), _context())
    component.train(_training_data())
    assert component.model.C == 1.0 and component.model.lexicon_weight == 0.0


def _classified(text: str, intent: str, ranking: list[tuple[str, float]], storage) -> Message:
    component = ThemeClassifier.create({}, storage, Resource("t"), _context())
    component.train(_training_data())
    message = Message.build(text=text)
    message.set("intent", {"name": intent, "confidence": ranking[0][1]})
    message.set("intent_ranking", [{"name": n, "confidence": c} for n, c in ranking])
    component.process([message])
    return message


def test_the_theme_model_names_the_theme_intent_of_a_need(storage):
    # The intent classifier says "a need, about marketing"; the words are about figures.
    message = _classified("een dashboard met de cijfers en de omzet per maand",
                          "describe_need_online_marketing_sales",
                          [("describe_need_online_marketing_sales", 0.6),
                           ("describe_need_data", 0.3), ("greet", 0.1)], storage)
    assert message.get("intent") == {"name": "describe_need_data", "confidence": pytest.approx(0.9)}
    ranking = message.get("intent_ranking")
    assert ranking[0] == {"name": "describe_need_data", "confidence": pytest.approx(0.9)}
    names = [item["name"] for item in ranking]
    assert sorted(n for n in names if n.startswith("describe_need_")) == sorted(
        f"describe_need_{t}" for t in THEMES)
    assert {"name": "greet", "confidence": 0.1} in ranking
    confidences = [item["confidence"] for item in ranking]
    assert confidences == sorted(confidences, reverse=True)


def test_other_intents_keep_their_name(storage):
    message = _classified("hallo daar", "greet",
                          [("greet", 0.8), ("describe_need_data", 0.15), ("thanks", 0.05)],
                          storage)
    assert message.get("intent") == {"name": "greet", "confidence": 0.8}
    assert message.get("intent_ranking")[0] == {"name": "greet", "confidence": 0.8}


def test_a_message_of_several_sentences_gets_scores_per_sentence(storage):
    component = ThemeClassifier.create({}, storage, Resource("t"), _context())
    component.train(_training_data())
    one, two = Message.build(text="meer klanten via instagram"), Message.build(
        text="Meer klanten via instagram graag. En een dashboard met de omzet per maand.")
    component.process([one, two])
    assert one.get("theme_sentences") is None
    parts = two.get("theme_sentences")
    assert [p["words"] for p in parts] == [5, 8]
    assert [max(p["scores"], key=p["scores"].get) for p in parts] == [
        "online_marketing_sales", "data"]
