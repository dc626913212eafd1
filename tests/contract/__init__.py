"""The contract kit: one suite of probes that runs against the emulator (CI) or a real cluster (opt-in).

`python -m tests.contract` (or `make contract`) runs it and records the *shape* of every answer in
tests/contract/recordings/<cluster version>.json (docs/contract.md tells how to run it against a
cluster and contribute the recording); tests/emulator/tests/test_contract_recordings.py compares the
emulator's answers with every recording in that folder. Not part of the built collection.
"""
