"""Fuzzing the parsers that read outside input: `python -m fuzz --cases 10000` (`make fuzz`).

A seeded mutation loop over real documents (see README, "Fuzzing"): each case takes a real feed,
page, listing, seed text, date, URL or query, mutates it a few times, and checks what the parser
must always guarantee — not only that it does not raise. Case `i` of seed `s` is the same input
on every machine, so a finding is reproduced with `--seed s --case i`.
"""
