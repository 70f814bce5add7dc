"""Return visits (回访): the four aspects a customer scores, the 1-5 scale, when a call is due,
what counts as dissatisfied, the one overall number an order keeps, and the short call script.

Rules, from the trade (the station's information desk calls the customer back after the job):

- four aspects, each scored 1 (very dissatisfied) .. 5 (very satisfied): response speed
  (响应速度), service attitude (服务态度), repair quality (维修质量), fair price (收费合理);
  there is no default score, the clerk must choose each one;
- a call is due within ``DUE_DAYS`` days of completion (the order's ``cleared_at``), overdue
  after that day;
- an answer is dissatisfied when any aspect scores 2 or less (the complaint question follows);
- the order's single ``satisfaction`` (what older reports read) is the *lowest* of the four:
  a customer unhappy with one aspect is not a satisfied customer, and a mean would hide the
  complaint (5, 5, 5, 1 rounds to 4 "satisfied"). So the overall is dissatisfied exactly when
  the answer is.

Texts here are English source text; the screens translate them (the catalogue's ``visits.po``).
Pure: no I/O, nothing of ours imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

MIN_SCORE = 1
MAX_SCORE = 5
SCORES = tuple(range(MIN_SCORE, MAX_SCORE + 1))
#: a score at or below this is a dissatisfied answer
DISSATISFIED_AT = 2
#: a completed order is called back within this many days
DUE_DAYS = 3
MAX_DUE_DAYS = 30
MAX_COMMENTS = 2000
MAX_ATTEMPT_NOTE = 200


class Aspect(StrEnum):
    SPEED = "speed"  # 响应速度
    ATTITUDE = "attitude"  # 服务态度
    QUALITY = "quality"  # 维修质量
    PRICE = "price"  # 收费合理


#: the aspects in the order they are asked, with their English source labels
ASPECT_LABELS: dict[Aspect, str] = {
    Aspect.SPEED: "Response speed",
    Aspect.ATTITUDE: "Service attitude",
    Aspect.QUALITY: "Repair quality",
    Aspect.PRICE: "Fair price",
}
ASPECTS = tuple(ASPECT_LABELS)

#: what each score means, as said on the phone and printed beside the boxes
SCORE_MEANINGS: dict[int, str] = {
    1: "Very dissatisfied",
    2: "Dissatisfied",
    3: "Fair",
    4: "Satisfied",
    5: "Very satisfied",
}


class VisitStatus(StrEnum):
    PENDING = "pending"  # only unreachable attempts so far
    DONE = "done"  # the customer answered; scores recorded


@dataclass(frozen=True)
class Scores:
    """The four answers, each 1..5."""

    speed: int
    attitude: int
    quality: int
    price: int

    def of(self, aspect: Aspect) -> int:
        return int(getattr(self, aspect.value))

    def as_tuple(self) -> tuple[int, int, int, int]:
        return (self.speed, self.attitude, self.quality, self.price)

    @property
    def overall(self) -> int:
        return overall(self)

    @property
    def dissatisfied(self) -> bool:
        return is_dissatisfied(self)


class ScoreError(ValueError):
    """A score is missing or outside 1..5; ``aspect`` names which one."""

    def __init__(self, aspect: Aspect, missing: bool) -> None:
        super().__init__(f"{aspect.value}: {'missing' if missing else 'outside 1..5'}")
        self.aspect = aspect
        self.missing = missing


def valid_score(value: object) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)
            and MIN_SCORE <= value <= MAX_SCORE)


def scores_from(values: Mapping[Aspect | str, object]) -> Scores:
    """The four scores from a mapping aspect -> score; raises ``ScoreError`` naming the first
    aspect (in asking order) that is missing or not a whole number 1..5."""
    by_aspect: dict[Aspect, object] = {}
    for key, value in values.items():
        try:
            by_aspect[Aspect(key)] = value
        except ValueError:
            continue  # an unknown key is ignored; the four are checked below
    for aspect in ASPECTS:
        value = by_aspect.get(aspect)
        if value is None:
            raise ScoreError(aspect, missing=True)
        if not valid_score(value):
            raise ScoreError(aspect, missing=False)
    return Scores(*(int(by_aspect[a]) for a in ASPECTS))  # type: ignore[arg-type]


def overall(scores: Scores) -> int:
    """The order's one satisfaction number: the lowest aspect (see the module docstring)."""
    return min(scores.as_tuple())


def is_dissatisfied(scores: Scores) -> bool:
    return any(s <= DISSATISFIED_AT for s in scores.as_tuple())


def due_on(cleared_at: datetime, tz: tzinfo | None = None, days: int = DUE_DAYS) -> date:
    """The last local day the call is on time: completion day + ``days``."""
    return (cleared_at.astimezone(tz) + timedelta(days=days)).date()


def is_overdue(due: date, today: date) -> bool:
    return today > due


#: the call, line by line; ``{name}`` fields are filled from the order
SCRIPT: tuple[str, ...] = (
    "Hello, this is {station} after-sales service. May I speak with {customer}?",
    "We repaired your {product} on {completed} (order {number}). May we take one minute "
    "to ask how it went?",
    "Please rate each from 1 to 5, where 5 is very satisfied and 1 very dissatisfied:",
    "How fast did we respond and arrive?",
    "How was the technician's attitude?",
    "Is the product working well now — how was the repair?",
    "Were the charges fair and explained to you?",
    "Is there anything else you would like to tell us?",
    "Thank you for your time. If anything is wrong, please call us on {phone}.",
)
#: said when an answer is dissatisfied, before offering a complaint order
SCRIPT_DISSATISFIED = ("We are sorry about that. May we open a complaint, so that the "
                       "station manager follows it up with you?")
