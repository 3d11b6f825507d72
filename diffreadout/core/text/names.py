"""Names governments use against each other for one referent ("Kyiv"/"Kiev", "Dokdo"/"Takeshima").

The reasons engine reports a different name as a wording difference; the lexical scores read
the members of a group as one word, so two statements about the same place still overlap.
"""

from __future__ import annotations

# Each group names one referent; readouts of different governments pick different members.
CONTESTED_NAMES: tuple[tuple[str, ...], ...] = (
    ("Kyiv", "Kiev"),
    ("Xizang", "Tibet"),
    ("West Asia", "Middle East"),
    ("Myanmar", "Burma"),
    ("Persian Gulf", "Arabian Gulf"),
    ("East Sea", "Sea of Japan"),
    ("West Philippine Sea", "South China Sea"),
    ("Diaoyu", "Senkaku"),
    ("Dokdo", "Takeshima"),
    ("Türkiye", "Turkey"),
    ("Malvinas", "Falklands"),
    ("Chinese Taipei", "Taiwan"),
    ("Donbass", "Donbas"),
    ("Belarus", "Byelorussia"),
)
