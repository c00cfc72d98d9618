"""Profile codes that can be read over the phone: "K-" and four characters from an alphabet without the
look-alikes 0/O and 1/I (32 characters: about a million codes per region)."""

from __future__ import annotations

import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from wsp_site.models import CandidateProfile, Region

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 4
PATTERN = re.compile(rf"^K-[{ALPHABET}]{{{LENGTH}}}$")


def is_code(value: str) -> bool:
    return bool(PATTERN.match(value or ""))


def normalise(value: str) -> str:
    """A code as typed or heard: upper case, without spaces, the dash added when it was left out."""
    text = (value or "").strip().upper().replace(" ", "")
    if text.startswith("K") and not text.startswith("K-"):
        text = "K-" + text[1:]
    return text


def new_code(session: Session, region: Region) -> str:
    """A code no profile of the region has yet."""
    while True:
        code = "K-" + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        taken = session.scalar(select(CandidateProfile.id).filter_by(region_id=region.id, code=code))
        if taken is None:
            return code
