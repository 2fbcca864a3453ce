"""Valid identifiers for invented subjects: USCCs (GB 32100), organisation codes (GB 11714), ID numbers.

The base demo draws codes at random (and de-duplicates); the scale mode maps the n-th subject to its
code through a permutation of the code space, so a million subjects get a million distinct codes
without remembering any of them. Base and scale codes never meet: base organisation codes start
`MA4` or are all digits, scale ones start `MA` plus a letter or digit other than `4`; base ID numbers
use sequence numbers 000–499, scale ones 500–999.
"""

from __future__ import annotations

import datetime as dt
import math
import random

from xinyong.core.identifiers import USCC_ALPHABET, citizen_id_check_char, org_code_check_char, uscc_check_char

# Codes issued since 2015 in 湖南 carry organisation codes beginning MA4; older ones are all digits.
BASE_NEW_PREFIX = "MA4"
LEGACY_ORG_PREFIXES = ("18", "79", "73", "66", "58", "55", "32", "09")
SCALE_FIRST = USCC_ALPHABET.replace("4", "")  # 30 symbols
SCALE_SPACE = len(SCALE_FIRST) * 31**5
BIRTH_FIRST = dt.date(1950, 1, 1)
BIRTH_LAST = dt.date(2005, 12, 31)
BIRTH_DAYS = (BIRTH_LAST - BIRTH_FIRST).days + 1


def uscc(prefix8: str, org_body8: str) -> str:
    """A full USCC: registration authority, type and division (8), organisation code (8 + check), check."""
    first17 = prefix8 + org_body8 + org_code_check_char(org_body8)
    return first17 + uscc_check_char(first17)


def random_org_body(rng: random.Random, *, legacy: bool) -> str:
    """An 8-character organisation code body in the base demo's part of the code space."""
    if legacy:
        return rng.choice(LEGACY_ORG_PREFIXES) + "".join(rng.choices("0123456789", k=6))
    return BASE_NEW_PREFIX + "".join(rng.choices(USCC_ALPHABET, k=5))


def citizen_id(division: str, born: dt.date, sequence: int) -> str:
    """An 18-digit ID number; `sequence` is 0–999 (odd for men, even for women)."""
    first17 = f"{division}{born:%Y%m%d}{sequence:03d}"
    return first17 + citizen_id_check_char(first17)


def random_birth_date(rng: random.Random, first_year: int = 1955, last_year: int = 2003) -> dt.date:
    start = dt.date(first_year, 1, 1)
    return start + dt.timedelta(days=rng.randrange((dt.date(last_year, 12, 31) - start).days + 1))


def base_sequence(rng: random.Random, male: bool) -> int:
    """A sequence number 000–499 of the right parity (the base demo's half of the space)."""
    return rng.randrange(0, 250) * 2 + (1 if male else 0)


class Permutation:
    """x → (a·x + b) mod m: a bijection on range(m) that looks random, fixed by the seed."""

    def __init__(self, m: int, seed: int | str) -> None:
        rng = random.Random(f"perm:{seed}:{m}")
        self.m = m
        self.b = rng.randrange(m)
        a = rng.randrange(m // 3, m - 1) | 1
        while math.gcd(a, m) != 1:
            a += 2
        self.a = a

    def __call__(self, x: int) -> int:
        return (self.a * x + self.b) % self.m


def scale_org_body(index: int, permutation: Permutation) -> str:
    """The organisation code body of the index-th scale subject: `MA` + 6 symbols, unique per index."""
    value = permutation(index)
    head, rest = divmod(value, 31**5)
    chars = []
    for _ in range(5):
        rest, digit = divmod(rest, 31)
        chars.append(USCC_ALPHABET[digit])
    return "MA" + SCALE_FIRST[head] + "".join(reversed(chars))


def scale_citizen_id(index: int, permutation: Permutation, divisions: tuple[str, ...]) -> tuple[str, bool]:
    """The ID number of the index-th scale person (unique per index) and whether he is a man."""
    value = permutation(index)
    value, division_index = divmod(value, len(divisions))
    day, sequence = divmod(value, 500)
    born = BIRTH_FIRST + dt.timedelta(days=day)
    sequence += 500
    return citizen_id(divisions[division_index], born, sequence), sequence % 2 == 1


def scale_person_space(divisions: tuple[str, ...]) -> int:
    return len(divisions) * BIRTH_DAYS * 500
