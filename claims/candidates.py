"""Claim candidates: how check-worthy each passage of an article is, with the reasons, for the reader's toggle.

A transparent heuristic rather than a model, so an editor can see why a sentence was marked: figures,
attributed quotes, named organisations and officials and statements of fact each add to the score; opinion,
questions and hedging take from it. One pass of a few regular expressions per sentence: the cost grows
with the article's length, and nothing is read from the database.
"""

import re
from dataclasses import dataclass

from articles.text import split_passages
from claims.numbers import figures

# A passage scoring this much is marked in the reader.
THRESHOLD = 0.5

QUOTED = re.compile(r"[“\"][^”\"]{12,}[”\"]")
ATTRIBUTION = re.compile(
    r"\b(?:said|says|told|tells|according to|confirmed|confirms|stated|announced|reported|reports|"
    r"wrote|added|claimed|claims|insisted|denied|denies|explained)\b",
    re.IGNORECASE,
)
OFFICIAL = re.compile(
    r"\b(?:president|minister|ministry|director|spokes(?:man|woman|person)|official|officials|governor|"
    r"mayor|police|prosecutors?|government|authorities|leader|head|chief|manager|secretary|senator|"
    r"ambassador|commissioner|court|parliament|kremlin|agency)\b",
    re.IGNORECASE,
)
ORGANISATION = re.compile(
    r"\b(?:[A-Z][\w'’-]+\s+){0,4}(?:Network|Organi[sz]ation|Railroad|Ministry|Committee|Council|Agency|"
    r"Association|Foundation|Fund|Group|Institute|Union|Party|Watch|International|News|Gazeta|Times|Post|"
    r"University|Office|Department|Service|Court|Commission|Rights)\b"
)
# Two or more capitalised words in a row, not counting the sentence's first word: a name of some kind.
NAME = re.compile(r"(?<=\s)(?:[A-Z][a-z’'-]+|[A-Z]{2,})(?:\s+(?:[A-Z][a-z’'-]+|[A-Z]{2,}))+")
FACT_VERBS = re.compile(
    r"\b(?:was|were|is|are|has been|have been|had|has|have|killed|died|detained|arrested|raised|rescued|"
    r"evacuated|fled|launched|opened|closed|found|held|tortured|relocated|published|signed|voted|received|"
    r"pledged|began|sent|paid|gave|took|confirmed|surfaced)\b",
    re.IGNORECASE,
)
OPINION = re.compile(
    r"\b(?:I think|I believe|we believe|in my view|should|ought|must|hope|hopefully|perhaps|maybe|"
    r"might|seems?|apparently|arguably|shameful|terrible|wonderful|outrageous|disgusting|amazing)\b",
    re.IGNORECASE,
)
MIN_WORDS = 6

WEIGHTS = {"figure": 0.35, "quote": 0.3, "organisation": 0.2, "official": 0.2, "name": 0.1, "fact": 0.15}


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    text: str
    score: float  # 0..1
    reasons: tuple[str, ...]  # in words, for the editor

    @property
    def marked(self) -> bool:
        return self.score >= THRESHOLD


def score_sentence(text: str) -> tuple[float, tuple[str, ...]]:
    """How check-worthy one sentence is, in 0..1, and why."""
    if len(text.split()) < MIN_WORDS:
        return 0.0, ("too short to state a claim",)
    score, reasons = 0.0, []
    if found := figures(text):
        score += WEIGHTS["figure"]
        reasons.append(f"a figure ({text[found[0].start : found[0].end]})")
    if QUOTED.search(text) and ATTRIBUTION.search(text):
        score += WEIGHTS["quote"]
        reasons.append("an attributed quote")
    elif ATTRIBUTION.search(text):
        score += WEIGHTS["quote"] / 2
        reasons.append("attributed to a source")
    if organisation := ORGANISATION.search(text):
        score += WEIGHTS["organisation"]
        reasons.append(f"names an organisation ({organisation[0]})")
    elif name := NAME.search(text):
        score += WEIGHTS["name"]
        reasons.append(f"names someone or somewhere ({name[0]})")
    if official := OFFICIAL.search(text):
        score += WEIGHTS["official"]
        reasons.append(f"an official or authority ({official[0].lower()})")
    if FACT_VERBS.search(text):
        score += WEIGHTS["fact"]
        reasons.append("states something as fact")
    if opinion := OPINION.search(text):
        score *= 0.5
        reasons.append(f"opinion or hedging ({opinion[0].lower()})")
    if text.rstrip("”\"’' )").endswith("?"):
        score *= 0.5
        reasons.append("a question")
    return round(min(score, 1.0), 2), tuple(reasons)


def candidates(body: str) -> list[Candidate]:
    """Every passage of the body, in order, with its score and reasons."""
    return [Candidate(start, end, text, *score_sentence(text)) for start, end, text in split_passages(body)]


def marked_candidates(body: str) -> list[Candidate]:
    """The passages worth marking in the reader, in order."""
    return [candidate for candidate in candidates(body) if candidate.marked]
