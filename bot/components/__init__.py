"""Custom Rasa NLU components (loaded by config.yml; part of the model hash)."""
