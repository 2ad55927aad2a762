"""The ALD logic of the assistant, pure Python (no Rasa import): dates, delays, the ALD list,
coverage, eligibility triage, the helpline hours, identifiers masking, the safety net, the
clock, text folding and the content files. Results carry stable string codes; the wording
lives in domain/responses/ and content/. Each rule's docstring names its source in FACTS.md.

Import the modules themselves (`from ald import delays`): this package loads nothing eagerly."""
