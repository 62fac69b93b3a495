"""Custom actions of the intake assistant (rasa-sdk). One module per feature."""
