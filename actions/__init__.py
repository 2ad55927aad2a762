"""Custom actions: the glue between Rasa and the ALD package (ald/).

Logic lives in ald/ (pure Python, tested on its own); wording lives in the domain (the utter_*
responses named here) and in content/ (the FAQ answers of content/faq/, phrase pieces); the
forms are described once in dialogue/forms.yml. These actions only
read slots, call a rule, and pick the response that words its result. One module per feature:

- base.py          reading answers (dates, yes/no), the form validator base, phrases
- table.py         dialogue/forms.yml, typed
- dates.py         the date questions (the single-date forms are built from the table)
- coverage.py      is this care covered at 100 %?
- eligibility.py   may I have an ALD?
- disease.py       is my disease on the list?
- faq.py           the FAQ answer of the topic picked (content/faq/), applied to what is known
- conversation.py  session start, helpline, fallback, reset of the answers

`rasa run actions --actions actions` imports every module of this package and registers each
subclass of rasa_sdk's Action that is not abstract (tests/actions/test_registration.py)."""
