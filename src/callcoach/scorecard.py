"""QA scorecards (质检评分表): items, weights, scales, sections and critical errors.

A scorecard is the fixed set of evaluation criteria that every evaluator applies to
a call. It is built from three frozen dataclasses:

* :class:`Item` -- one behaviour to score ("greeting", "verify_identity"), with a
  ``weight``, a ``scale`` (``"yes/no"``, ``"pass/fail"`` or a range of whole numbers
  such as ``"0-2"`` or ``"1-5"``), whether it may be marked N/A (not applicable), and
  whether a fail is *critical*: ``"fail-all"`` zeroes the whole evaluation (an
  identity check skipped is a data-protection breach, whatever else went well) and
  ``"fail-section"`` zeroes the item's section (wrong information given makes the
  resolution worthless).
* :class:`Section` -- a named group of items ("Opening", "Resolution").
* :class:`Scorecard` -- the sections, in order, under a name.

:func:`default_scorecard` returns the course company's form (Harbour Mobile, a
mobile-phone company), which scores the 3A behaviours beside the classic ones, and
:func:`score_evaluations` turns long-format item scores (one row per call, evaluator
and item -- what a calibration session or the session store produces) into one row
per evaluation with section scores and the 0-100 total.

Scores go in as numbers (``2``), as the scale's words (``"yes"``, ``"no"``,
``"pass"``, ``"fail"``, ``True``/``False`` on two-point scales) or as N/A
(``"N/A"``, ``None`` or NaN). Anything else raises a ``ValueError`` that names the
item, the scale, the call and the evaluator.
"""
from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import KW_ONLY, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from callcoach._messages import listing, show

from callcoach.calibration import MissingColumnError

__all__ = [
    "CRITICAL",
    "Item",
    "Scorecard",
    "Section",
    "THREE_A",
    "default_scorecard",
    "score_evaluations",
]

#: Allowed values of :attr:`Item.critical` (besides ``None``).
CRITICAL = ("fail-all", "fail-section")
#: Allowed values of :attr:`Item.three_a`: the 3A behaviour an item observes.
THREE_A = ("Active", "Action", "Available")
#: Words accepted for the two points of a two-point scale (high point first).
_WORDS = {
    "yes/no": {"yes": 1, "y": 1, "no": 0, "n": 0},
    "pass/fail": {"pass": 1, "passed": 1, "fail": 0, "failed": 0},
}
_NA_WORDS = {"n/a", "na", "not applicable"}
_METHODS = ("points", "sections")
_NA_RULES = ("drop", "full")
#: Output columns of score_evaluations besides the keys and the section ids.
_RESULT_COLUMNS = ("total_before_fails", "failed_critical", "fail_all", "total")


# --------------------------------------------------------------------------- helpers
_show = show


def _listing(values: Iterable[Any], limit: int = 12) -> str:
    return listing(values, limit)


def _is_na(value: Any) -> bool:
    """True for the ways people write "not applicable": N/A, NA, None, NaN."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, str):
        return value.strip().lower() in _NA_WORDS
    if isinstance(value, (float, np.floating)):
        return bool(np.isnan(value))
    return False


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    )


def _parse_scale(scale: Any, item_id: str) -> tuple[str, int, int]:
    """``"0-2"`` -> ("0-2", 0, 2); ``"yes/no"`` -> ("yes/no", 0, 1)."""
    if isinstance(scale, str):
        text = scale.strip().lower().replace(" ", "")
        if text in _WORDS:
            return text, 0, 1
        match = re.fullmatch(r"(\d+)[-\u2013](\d+)", text)
        if match:
            low, high = int(match.group(1)), int(match.group(2))
            if low < high:
                return f"{low}-{high}", low, high
    raise ValueError(
        f"The 'scale' of item {item_id!r} must be 'yes/no', 'pass/fail' or a range of "
        f"whole numbers from low to high such as '0-2' or '1-5'. Got {scale!r} instead."
    )


def _check_weight(weight: Any, what: str) -> float:
    if not _is_number(weight):
        raise TypeError(f"The 'weight' of {what} must be a positive number. Got {weight!r} instead.")
    if not math.isfinite(weight) or weight <= 0:
        raise ValueError(f"The 'weight' of {what} must be a positive number. Got {weight!r} instead.")
    return float(weight)


def _check_id(value: Any, what: str) -> None:
    if not isinstance(value, str) or not value.strip() or value != value.strip():
        raise ValueError(
            f"The id of {what} must be a non-empty string without leading or trailing "
            f"spaces, such as 'greeting'. Got {value!r} instead."
        )


# ------------------------------------------------------------------------ the parts
@dataclass(frozen=True)
class Item:
    """One behaviour on a scorecard.

    Parameters
    ----------
    id : str
        Short unique name used in data, e.g. ``"greeting"``.
    label : str, default ""
        What evaluators read on the form; defaults to the id.
    weight : float, default 1
        Relative importance, a positive number. On a form whose weights add up to
        100 it is the item's points.
    scale : str, default "yes/no"
        ``"yes/no"`` or ``"pass/fail"`` (scored 0 or 1; the words are accepted too)
        or a range of whole numbers ``"low-high"`` such as ``"0-2"`` or ``"1-5"``.
        The lowest point earns nothing and the highest the full weight.
    na_allowed : bool, default False
        Whether the item may be scored N/A when the behaviour could not occur (no
        hold, no promise made). N/A items drop out of the total's denominator.
    critical : {None, "fail-all", "fail-section"}, default None
        What a fail does: ``"fail-all"`` zeroes the whole evaluation,
        ``"fail-section"`` zeroes the item's section. ``None``: an ordinary item.
    fail_at : int, optional
        For critical items only: a score at or below this counts as a fail.
        Defaults to the lowest point of the scale (``"no"``, ``"fail"``, 0 on 0-2).
    three_a : {None, "Active", "Action", "Available"}, default None
        The 3A behaviour the item observes, if any.
    description : str, default ""
        What good looks like, written from the customer's point of view.

    Examples
    --------
    >>> from callcoach.scorecard import Item
    >>> greeting = Item("greeting", "Greets and introduces self", weight=5, scale="0-2")
    >>> greeting.points
    (0, 1, 2)
    >>> greeting.check(2)
    2.0
    >>> greeting.check(3, call="C-104", rater="Ana")
    Traceback (most recent call last):
    ...
    ValueError: Item 'greeting' is scored on 0-2. Got 3 for call 'C-104' by 'Ana'.
    """

    id: str
    label: str = ""
    _: KW_ONLY
    weight: float = 1.0
    scale: str = "yes/no"
    na_allowed: bool = False
    critical: str | None = None
    fail_at: int | None = None
    three_a: str | None = None
    description: str = ""
    low: int = field(init=False, repr=False, compare=False)
    high: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_id(self.id, "an item")
        what = f"item {self.id!r}"
        set_ = object.__setattr__
        set_(self, "label", self.label or self.id)
        set_(self, "weight", _check_weight(self.weight, what))
        name, low, high = _parse_scale(self.scale, self.id)
        set_(self, "scale", name)
        set_(self, "low", low)
        set_(self, "high", high)
        if not isinstance(self.na_allowed, (bool, np.bool_)):
            raise TypeError(
                f"The 'na_allowed' setting of {what} must be True or False. "
                f"Got {self.na_allowed!r} instead."
            )
        set_(self, "na_allowed", bool(self.na_allowed))
        if self.critical is not None and self.critical not in CRITICAL:
            raise ValueError(
                f"The 'critical' setting of {what} must be None, 'fail-all' or "
                f"'fail-section'. Got {self.critical!r} instead."
            )
        if self.fail_at is not None:
            if self.critical is None:
                raise ValueError(
                    f"Item {self.id!r} sets fail_at={self.fail_at!r} but is not critical; "
                    "fail_at only applies to items with critical='fail-all' or 'fail-section'."
                )
            if not _is_number(self.fail_at) or self.fail_at not in self.points[:-1]:
                raise ValueError(
                    f"The 'fail_at' setting of {what} must be a point of its {self.scale} "
                    f"scale below the top ({_listing(self.points[:-1])}). "
                    f"Got {self.fail_at!r} instead."
                )
            set_(self, "fail_at", int(self.fail_at))
        if self.three_a is not None and self.three_a not in THREE_A:
            raise ValueError(
                f"The 'three_a' setting of {what} must be None, 'Active', 'Action' or "
                f"'Available'. Got {self.three_a!r} instead."
            )

    @property
    def points(self) -> tuple[int, ...]:
        """Every score the scale allows, lowest first."""
        return tuple(range(self.low, self.high + 1))

    @property
    def fail_score(self) -> int | None:
        """Highest score that counts as a critical fail (None for ordinary items)."""
        if self.critical is None:
            return None
        return self.low if self.fail_at is None else self.fail_at

    def check(self, value: Any, *, call: Hashable = None, rater: Hashable = None) -> float:
        """Validate one score and return it as a number (NaN for N/A).

        Parameters
        ----------
        value : int, float, str, bool or None
            The score: a point of the scale (also as text, ``"2"``, as forms send
            it), the scale's word (``"yes"``; ``True``/``False`` on two-point scales),
            or N/A (``"N/A"``, ``"NA"``, ``None``, NaN).
        call, rater : hashable, optional
            Named in the error message when given.

        Returns
        -------
        float
            The score, or NaN for N/A.

        Raises
        ------
        ValueError
            The score is not a point of the scale, or is N/A on an item that does
            not allow N/A.
        """
        where = ""
        if call is not None:
            where += f" for call {_show(call)}"
        if rater is not None:
            where += f" by {_show(rater)}"
        if _is_na(value):
            if self.na_allowed:
                return math.nan
            raise ValueError(
                f"Item {self.id!r} is scored on {self.scale} and cannot be N/A. "
                f"Got {_show(value)}{where}."
            )
        number: float | None = None
        words = _WORDS.get(self.scale, {})
        if isinstance(value, (bool, np.bool_)):
            number = float(value) if words else None
        elif isinstance(value, str):
            text = value.strip().lower()
            if text in words:
                number = float(words[text])
            else:
                try:
                    number = float(text)
                except ValueError:
                    number = None
        elif _is_number(value):
            number = float(value)
        if number is None or not math.isfinite(number) or number not in self.points:
            raise ValueError(f"Item {self.id!r} is scored on {self.scale}. Got {_show(value)}{where}.")
        return number

    def to_dict(self) -> dict[str, Any]:
        """The item as plain JSON-ready values (see :meth:`Scorecard.to_dict`)."""
        return {
            "id": self.id, "label": self.label, "weight": self.weight, "scale": self.scale,
            "na_allowed": self.na_allowed, "critical": self.critical, "fail_at": self.fail_at,
            "three_a": self.three_a, "description": self.description,
        }


@dataclass(frozen=True)
class Section:
    """A named group of items on a scorecard.

    Parameters
    ----------
    id : str
        Short unique name, e.g. ``"opening"``; it becomes a column of
        :func:`score_evaluations`.
    label : str, default ""
        Heading on the form; defaults to the id.
    items : sequence of Item
        The section's items, in form order (at least one).
    weight : float, optional
        The section's weight when totals are computed with ``method="sections"``.
        Defaults to the sum of its item weights.
    """

    id: str
    label: str = ""
    items: Sequence[Item] = ()
    _: KW_ONLY
    weight: float | None = None

    def __post_init__(self) -> None:
        _check_id(self.id, "a section")
        if self.id in _RESULT_COLUMNS:
            raise ValueError(
                f"A section cannot be called {self.id!r}: score_evaluations uses that name "
                f"for a result column ({', '.join(map(repr, _RESULT_COLUMNS))})."
            )
        object.__setattr__(self, "label", self.label or self.id)
        items = tuple(self.items) if not isinstance(self.items, Item) else (self.items,)
        if not items:
            raise ValueError(f"Section {self.id!r} has no items; give it at least one Item.")
        for item in items:
            if not isinstance(item, Item):
                raise TypeError(
                    f"The items of section {self.id!r} must be Item objects. "
                    f"Got {type(item).__name__} ({item!r}) instead."
                )
        object.__setattr__(self, "items", items)
        if self.weight is not None:
            object.__setattr__(self, "weight", _check_weight(self.weight, f"section {self.id!r}"))

    @property
    def effective_weight(self) -> float:
        """The section's weight: the one given, else the sum of its item weights."""
        return self.weight if self.weight is not None else float(sum(i.weight for i in self.items))


@dataclass(frozen=True)
class Scorecard:
    """A QA scorecard: sections of weighted items under a name.

    Parameters
    ----------
    name : str
        The form's name, e.g. ``"Harbour Mobile QA"``.
    sections : sequence of Section
        The sections in form order. Item ids must be unique across the card.
    description : str, default ""
        What the form is for.
    version : str, default "1"
        Bump it when the items or weights change, so old scores are read with the
        form they were given on.

    Raises
    ------
    ValueError
        Duplicate section or item ids, weights that are not positive, an unknown
        scale or critical setting.

    Examples
    --------
    >>> from callcoach.scorecard import Item, Scorecard, Section
    >>> card = Scorecard("Mini", [
    ...     Section("opening", "Opening", [Item("greeting", weight=1, scale="0-2")]),
    ...     Section("close", "Close", [Item("greeting", weight=1)]),
    ... ])
    Traceback (most recent call last):
    ...
    ValueError: Item id 'greeting' appears twice in scorecard 'Mini' (sections 'opening' and 'close'). Item ids must be unique.
    """

    name: str
    sections: Sequence[Section]
    _: KW_ONLY
    description: str = ""
    version: str = "1"

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValueError(f"A scorecard needs a non-empty name. Got {self.name!r} instead.")
        sections = (self.sections,) if isinstance(self.sections, Section) else tuple(self.sections)
        if not sections:
            raise ValueError(f"Scorecard {self.name!r} has no sections; give it at least one Section.")
        seen_sections: set[str] = set()
        seen_items: dict[str, str] = {}
        for section in sections:
            if not isinstance(section, Section):
                raise TypeError(
                    f"The sections of scorecard {self.name!r} must be Section objects. "
                    f"Got {type(section).__name__} ({section!r}) instead."
                )
            if section.id in seen_sections:
                raise ValueError(
                    f"Section id {section.id!r} appears twice in scorecard {self.name!r}. "
                    "Section ids must be unique."
                )
            seen_sections.add(section.id)
            for item in section.items:
                if item.id in seen_items:
                    raise ValueError(
                        f"Item id {item.id!r} appears twice in scorecard {self.name!r} "
                        f"(sections {seen_items[item.id]!r} and {section.id!r}). "
                        "Item ids must be unique."
                    )
                seen_items[item.id] = section.id
        clash = seen_sections & set(seen_items)
        if clash:
            name = sorted(clash)[0]
            raise ValueError(
                f"{name!r} is both a section id and an item id in scorecard {self.name!r}; "
                "use different names so score columns are unambiguous."
            )
        object.__setattr__(self, "sections", sections)
        object.__setattr__(self, "version", str(self.version))

    # ------------------------------------------------------------------ lookups
    @property
    def items(self) -> tuple[Item, ...]:
        """Every item, in form order."""
        return tuple(item for section in self.sections for item in section.items)

    @property
    def item_ids(self) -> tuple[str, ...]:
        """Every item id, in form order."""
        return tuple(item.id for item in self.items)

    def item(self, item_id: str) -> Item:
        """The item called ``item_id``; a ``KeyError`` listing the ids otherwise."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise MissingColumnError(
            f"Scorecard {self.name!r} has no item {_show(item_id)}. "
            f"Items are: {_listing(self.item_ids, limit=50)}."
        )

    def section_of(self, item_id: str) -> Section:
        """The section holding item ``item_id``."""
        item = self.item(item_id)
        return next(s for s in self.sections if item in s.items)

    # ---------------------------------------------------------------- checking
    def check(
        self, scores: Mapping[str, Any], *, call: Hashable = None, rater: Hashable = None
    ) -> dict[str, float]:
        """Validate one complete evaluation: a score (or N/A) for every item.

        Parameters
        ----------
        scores : mapping of item id to score
            Every item of the card, each with a score or N/A.
        call, rater : hashable, optional
            Named in error messages.

        Returns
        -------
        dict
            Item id to score as a float (NaN for N/A), in form order.

        Raises
        ------
        KeyError
            An item that is not on the card.
        ValueError
            A missing item, or a score off its item's scale.

        Examples
        --------
        >>> from callcoach.scorecard import default_scorecard
        >>> card = default_scorecard()
        >>> card.check({"greeting": 2}, call="C-104", rater="Ana")
        Traceback (most recent call last):
        ...
        ValueError: The scores for call 'C-104' by 'Ana' leave out 8 items of scorecard 'Harbour Mobile QA': 'verify_identity', ... Score every item; use 'N/A' where an item does not apply and allows it.
        """
        if not isinstance(scores, Mapping):
            raise TypeError(
                "The scores of one evaluation must be a mapping of item id to score, such as "
                f"{{'greeting': 2, 'closing': 'N/A'}}. Got {type(scores).__name__} instead."
            )
        where = ""
        if call is not None:
            where += f" for call {_show(call)}"
        if rater is not None:
            where += f" by {_show(rater)}"
        unknown = [k for k in scores if k not in self.item_ids]
        if unknown:
            raise MissingColumnError(
                f"The scores{where} name {_listing(unknown)}, which "
                f"{'is not an item' if len(unknown) == 1 else 'are not items'} of scorecard "
                f"{self.name!r}. Items are: {_listing(self.item_ids, limit=50)}."
            )
        missing = [i for i in self.item_ids if i not in scores]
        if missing:
            raise ValueError(
                f"The scores{where} leave out {len(missing)} item{'s' if len(missing) > 1 else ''} "
                f"of scorecard {self.name!r}: {_listing(missing)}. Score every item; use "
                "'N/A' where an item does not apply and allows it."
            )
        return {item.id: item.check(scores[item.id], call=call, rater=rater) for item in self.items}

    # ---------------------------------------------------------------- display
    def to_frame(self) -> pd.DataFrame:
        """The form as a table, one row per item, for display.

        Returns
        -------
        pandas.DataFrame
            Columns ``section``, ``item``, ``label``, ``scale``, ``na_allowed``,
            ``weight``, ``share_pct`` (the item's share of all weights, in %: its
            points on a 100-point form when nothing is N/A), ``critical``
            (``"fail-all"``, ``"fail-section"`` or ``""``), ``fail_at`` (the score
            at or below which a critical item fails; NaN for ordinary items),
            ``three_a`` (``""`` when none) and ``description``.

        Examples
        --------
        >>> from callcoach.scorecard import default_scorecard
        >>> form = default_scorecard().to_frame()
        >>> form[["section", "item", "scale", "weight", "critical", "three_a"]]
              section               item   scale  weight      critical    three_a
        0     opening           greeting     0-2     5.0
        1     opening    verify_identity  yes/no    10.0      fail-all
        2  resolution      accurate_info     0-2    25.0  fail-section
        3  resolution    proactive_offer     0-2    10.0                   Active
        4  resolution    feedback_raised  yes/no     5.0                   Action
        5  experience            empathy     1-5    15.0
        6  experience     hold_etiquette     0-2     5.0
        7       close  followup_recorded     0-2    15.0                Available
        8       close            closing     0-2    10.0
        >>> float(form["share_pct"].sum())
        100.0
        """
        total = sum(item.weight for item in self.items)
        rows = [
            {
                "section": section.id,
                "item": item.id,
                "label": item.label,
                "scale": item.scale,
                "na_allowed": item.na_allowed,
                "weight": item.weight,
                "share_pct": 100 * item.weight / total,
                "critical": item.critical or "",
                "fail_at": np.nan if item.fail_score is None else item.fail_score,
                "three_a": item.three_a or "",
                "description": item.description,
            }
            for section in self.sections
            for item in section.items
        ]
        return pd.DataFrame(rows)

    # ---------------------------------------------------------- serialisation
    def to_dict(self) -> dict[str, Any]:
        """The card as plain JSON-ready values; :meth:`from_dict` reads it back."""
        return {
            "name": self.name,
            "version": self.version,
            "description": self.description,
            "sections": [
                {"id": s.id, "label": s.label, "weight": s.weight,
                 "items": [item.to_dict() for item in s.items]}
                for s in self.sections
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scorecard:
        """Rebuild a card from :meth:`to_dict` output (validated again).

        Examples
        --------
        >>> from callcoach.scorecard import Scorecard, default_scorecard
        >>> card = default_scorecard()
        >>> Scorecard.from_dict(card.to_dict()) == card
        True
        """
        fields = {"id", "label", "weight", "scale", "na_allowed", "critical", "fail_at",
                  "three_a", "description"}
        hint = ("A scorecard dictionary needs 'name' and 'sections'; each section an 'id' and "
                "'items'; each item an 'id' and any of " + ", ".join(sorted(fields - {"id"})) + ".")
        try:
            name, raw_sections = data["name"], list(data["sections"])
            parts = [(s["id"], s.get("label", ""), list(s["items"]), s.get("weight"))
                     for s in raw_sections]
        except (KeyError, TypeError, AttributeError) as err:
            raise ValueError(f"{hint} Reading it failed at {err!r}.") from err
        sections = []
        for section_id, label, raw_items, weight in parts:
            built = []
            for raw in raw_items:
                if not isinstance(raw, Mapping) or "id" not in raw or set(raw) - fields:
                    extra = sorted(set(raw) - fields) if isinstance(raw, Mapping) else []
                    raise ValueError(
                        f"{hint} Section {section_id!r} has an item {raw!r}"
                        f"{' with unknown fields ' + _listing(extra) if extra else ''}."
                    )
                built.append(Item(**raw))
            sections.append(Section(section_id, label, built, weight=weight))
        return cls(name, sections, description=data.get("description", ""),
                   version=data.get("version", "1"))


# ------------------------------------------------------------------ the default form
def default_scorecard() -> Scorecard:
    """The course company's QA form: Harbour Mobile, all queues (billing, technical, plans).

    Nine items in four sections, weights adding up to 100:

    * **Opening** -- ``greeting`` (0-2, 5) and ``verify_identity`` (yes/no, 10,
      **fail-all**: discussing an account without verifying the caller is a
      data-protection breach; N/A when no account data is touched).
    * **Resolution** -- ``accurate_info`` (0-2, 25, **fail-section**: wrong
      information zeroes the resolution section), ``proactive_offer`` (0-2, 10,
      3A *Active* 积极性: "what else did I think of?") and ``feedback_raised``
      (yes/no, 5, 3A *Action* 行动力: a product or process defect the call
      revealed was fed back to the owning department; N/A when there was none).
    * **Experience** -- ``empathy`` (1-5, 15) and ``hold_etiquette`` (0-2, 5; N/A
      without a hold).
    * **Close** -- ``followup_recorded`` (0-2, 15, 3A *Available* 有效性: every
      promise is logged with a due time and recapped to the customer; N/A when
      nothing was promised) and ``closing`` (0-2, 10).

    Returns
    -------
    Scorecard

    Examples
    --------
    >>> from callcoach.scorecard import default_scorecard
    >>> card = default_scorecard()
    >>> [section.id for section in card.sections]
    ['opening', 'resolution', 'experience', 'close']
    >>> [item.id for item in card.items if item.three_a]
    ['proactive_offer', 'feedback_raised', 'followup_recorded']
    """
    return Scorecard(
        "Harbour Mobile QA",
        [
            Section("opening", "Opening", [
                Item("greeting", "Greets, names the company and self", weight=5, scale="0-2",
                     description="I knew at once I had reached Harbour Mobile and who was "
                                 "helping me; the tone was warm, not scripted."),
                Item("verify_identity", "Verifies identity before account details",
                     weight=10, scale="yes/no", na_allowed=True, critical="fail-all",
                     description="Before anyone talked about my account, bill or number, "
                                 "they checked it was really me (data protection). N/A "
                                 "when no account data was touched."),
            ]),
            Section("resolution", "Resolution", [
                Item("accurate_info", "Gives accurate, complete information",
                     weight=25, scale="0-2", critical="fail-section",
                     description="What I was told about my bill, plan or fault was right "
                                 "and complete; wrong information zeroes this section."),
                Item("proactive_offer", "Offers what else helps (Active)",
                     weight=10, scale="0-2", na_allowed=True, three_a="Active",
                     description="Beyond my question, the agent thought of what else "
                                 "would help: sent the document, gave tips so the fault "
                                 "does not come back, checked a better plan."),
                Item("feedback_raised", "Feeds back the defect (Action)",
                     weight=5, scale="yes/no", na_allowed=True, three_a="Action",
                     description="When my problem came from a product or process defect, "
                                 "the agent reported it to the team that can fix it and "
                                 "told me so. N/A when there was no defect."),
            ]),
            Section("experience", "Customer experience", [
                Item("empathy", "Listens and acknowledges feelings", weight=15, scale="1-5",
                     description="I felt heard: my situation was acknowledged and I did "
                                 "not have to repeat myself."),
                Item("hold_etiquette", "Hold etiquette", weight=5, scale="0-2", na_allowed=True,
                     description="I was asked before being put on hold, told why and for "
                                 "how long, and thanked afterwards. N/A without a hold."),
            ]),
            Section("close", "Close and follow-up", [
                Item("followup_recorded", "Records and recaps follow-ups (Available)",
                     weight=15, scale="0-2", na_allowed=True, three_a="Available",
                     description="Everything promised (call back, mail, test) was logged "
                                 "with a due time and recapped to me before the end. N/A "
                                 "when nothing was promised."),
                Item("closing", "Summarises and closes", weight=10, scale="0-2",
                     description="The agent checked everything was covered, summarised "
                                 "the outcome and closed politely."),
            ]),
        ],
        description="Harbour Mobile contact centre, all queues (billing, technical, plans). "
                    "Includes the 3A behaviours Active, Action and Available.",
        version="1",
    )


# -------------------------------------------------------------------- scoring
def _as_targets(targets: Any) -> list[str]:
    if isinstance(targets, str):
        return [targets]
    if (isinstance(targets, Sequence) and targets
            and all(isinstance(t, str) for t in targets)):
        return list(targets)
    raise TypeError(
        "The 'targets' parameter of score_evaluations must be a column name or a list "
        f"of column names. Got {targets!r} instead."
    )


def _check_option(value: Any, name: str, options: Sequence[str]) -> None:
    if not isinstance(value, str) or value not in options:
        raise ValueError(
            f"The {name!r} parameter of score_evaluations must be one of "
            f"{', '.join(map(repr, options))}. Got {value!r} instead."
        )


def _totals(
    frac: np.ndarray, applicable: np.ndarray, weights: np.ndarray,
    sections: list[np.ndarray], section_weights: np.ndarray, method: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Section scores (evaluations x sections) and totals, 0-100, NaN when nothing applies."""
    earned = np.where(applicable, frac * weights, 0.0)
    possible = np.where(applicable, weights, 0.0)
    num = np.column_stack([earned[:, cols].sum(axis=1) for cols in sections])
    den = np.column_stack([possible[:, cols].sum(axis=1) for cols in sections])
    with np.errstate(invalid="ignore", divide="ignore"):
        section_scores = np.where(den > 0, 100 * num / np.where(den > 0, den, 1), np.nan)
        if method == "points":
            n, d = num.sum(axis=1), den.sum(axis=1)
            total = np.where(d > 0, 100 * n / np.where(d > 0, d, 1), np.nan)
        else:
            has = ~np.isnan(section_scores)
            w = np.where(has, section_weights, 0.0)
            s = np.where(has, section_scores, 0.0)
            d = w.sum(axis=1)
            total = np.where(d > 0, (w * s).sum(axis=1) / np.where(d > 0, d, 1), np.nan)
    return section_scores, total


def score_evaluations(
    scores_long: pd.DataFrame,
    scorecard: Scorecard,
    *,
    targets: str | Sequence[str] = "call_id",
    raters: str = "evaluator",
    items: str = "item",
    ratings: str = "score",
    method: str = "points",
    na: str = "drop",
) -> pd.DataFrame:
    """Total each evaluation on a scorecard, applying weights, N/A and critical fails.

    Parameters
    ----------
    scores_long : pandas.DataFrame
        Long format: one row per call, evaluator and item, as a calibration session
        or :meth:`callcoach.store.SessionStore.scores` produces. Every evaluation
        must score every item of the card (N/A where the item allows it).
    scorecard : Scorecard
        The form the scores were given on, e.g. :func:`default_scorecard`.
    targets : str or list of str, default "call_id"
        Column(s) naming the call scored, e.g. ``["session", "call_id"]``.
    raters : str, default "evaluator"
        Column naming the evaluator.
    items : str, default "item"
        Column holding the item id.
    ratings : str, default "score"
        Column holding the score: a point of the item's scale, the scale's word
        (``"yes"``, ``"fail"``) or N/A (``"N/A"``, None, NaN).
    method : {"points", "sections"}, default "points"
        How the total is built; see Notes.
    na : {"drop", "full"}, default "drop"
        ``"drop"``: N/A items leave the denominator. ``"full"``: N/A items count as
        earning their full weight (what some QA tools do; it inflates totals).

    Returns
    -------
    pandas.DataFrame
        One row per call and evaluator, sorted by them, with columns:

        * the ``targets`` and ``raters`` columns;
        * one column per section (named by its id): the section score, 0-100,
          after fail-section items are applied; NaN when all its items are N/A;
        * ``total_before_fails`` -- the total, 0-100, ignoring critical items'
          fail rules (what the behaviours alone earned; useful for coaching and for
          seeing whether evaluators disagree on a critical call or on everything);
        * ``failed_critical`` -- ids of the critical items failed, comma-separated
          (``""`` when none);
        * ``fail_all`` -- True when a fail-all item failed;
        * ``total`` -- the final score, 0-100: 0 when ``fail_all``, NaN when every
          item is N/A.

    Raises
    ------
    KeyError
        A column is missing, or an item is not on the card.
    ValueError
        A score off its item's scale, N/A on an item that does not allow it, an
        item scored twice in one evaluation, or an evaluation that leaves an item
        out.

    Notes
    -----
    Item :math:`i` with scale :math:`[l_i, h_i]`, weight :math:`w_i` and score
    :math:`x_i` earns the fraction :math:`f_i = (x_i - l_i)/(h_i - l_i)` of its
    weight (yes/no: 1 or 0; on 0-2 a 1 earns half). :math:`A` is the set of items
    not scored N/A. Section :math:`s` scores

    .. math:: S_s = 100\\,\\frac{\\sum_{i \\in s \\cap A} w_i f_i}{\\sum_{i \\in s \\cap A} w_i}

    and the total, with ``method="points"`` (default; one pool of points, as on a
    paper form whose item points add up to 100), is

    .. math:: T = 100\\,\\frac{\\sum_{i \\in A} w_i f_i}{\\sum_{i \\in A} w_i}

    so an N/A item's points are shared out over *all* remaining items. With
    ``method="sections"`` (forms that fix a share per section, e.g. "Resolution
    is 40 %") the total is :math:`T = \\sum_s W_s S_s / \\sum_s W_s` over the
    sections with at least one applicable item, :math:`W_s` being the section
    weight (default: the sum of its item weights), so an N/A item's points stay
    inside its own section. With no N/A and default section weights the two
    methods agree. With ``na="full"`` every N/A item counts as :math:`f_i = 1`
    instead of leaving :math:`A`.

    Critical items fail at or below their ``fail_at`` score (default: the lowest
    point, "no"). A failed **fail-section** item sets :math:`f_i = 0` for every
    applicable item of its section (the section scores 0 and its points stay in
    the denominator); a failed **fail-all** item sets :math:`T = 0`. N/A never
    fails. Section scores are shown after fail-section but before fail-all, so a
    coach can still see what went well on an auto-failed call.

    Because every :math:`f_i` is between 0 and 1, :math:`T` is between 0 and 100,
    and raising any item's score never lowers it.

    Examples
    --------
    Ana and the expert score call C-104 on the Harbour Mobile form. Ana gives
    "no" for the identity check, which fails the whole call; the expert marks
    it N/A (no account data was touched) and a hold did not happen:

    >>> import pandas as pd
    >>> from callcoach.scorecard import default_scorecard, score_evaluations
    >>> card = default_scorecard()
    >>> ana = {"greeting": 2, "verify_identity": "no", "accurate_info": 2,
    ...        "proactive_offer": 1, "feedback_raised": "N/A", "empathy": 4,
    ...        "hold_etiquette": 2, "followup_recorded": 2, "closing": 1}
    >>> expert = {**ana, "verify_identity": "N/A", "hold_etiquette": "N/A"}
    >>> rows = [("C-104", who, item, score)
    ...         for who, scores in [("Ana", ana), ("expert", expert)]
    ...         for item, score in scores.items()]
    >>> evals = pd.DataFrame(rows, columns=["call_id", "evaluator", "item", "score"])
    >>> result = score_evaluations(evals, card)
    >>> cols = ["evaluator", "opening", "resolution", "total_before_fails", "fail_all", "total"]
    >>> result[cols].round(2)
      evaluator  opening  resolution  total_before_fails  fail_all  total
    0       Ana   33.33       85.71               75.00      True   0.00
    1    expert  100.00       85.71               82.81     False  82.81

    By hand, for the expert: greeting 5 of 5; resolution 25 + 10/2 = 30 of 35
    (feedback N/A); empathy 4 on 1-5 earns 3/4 of 15 = 11.25 of 15 (hold N/A);
    close 15 + 10/2 = 20 of 25; total 66.25 of 80 points = 82.81. Ana also
    scores the hold (5 of 5) and "no" on identity (0 of 10): 71.25 of 95 = 75.0
    before the fail-all rule, 0 after it.

    Wrong information (``accurate_info`` 0) zeroes only the resolution section:

    >>> wrong = evals.assign(score=evals["score"].mask(evals["item"] == "accurate_info", 0))
    >>> score_evaluations(wrong, card)[["evaluator", "resolution", "failed_critical", "total"]].round(2)
      evaluator  resolution                 failed_critical  total
    0       Ana         0.0  verify_identity, accurate_info   0.00
    1    expert         0.0                   accurate_info  45.31

    A score off the scale is caught with the call and the evaluator:

    >>> bad = evals.assign(score=evals["score"].mask(evals["item"] == "greeting", 3))
    >>> score_evaluations(bad, card)
    Traceback (most recent call last):
    ...
    ValueError: Item 'greeting' is scored on 0-2. Got 3 for call 'C-104' by 'Ana'. (1 more score is off its item's scale.)
    """
    func = "score_evaluations"
    if not isinstance(scores_long, pd.DataFrame):
        raise TypeError(
            f"The 'scores_long' parameter of {func} must be a pandas DataFrame in long "
            "format (one row per call, evaluator and item). "
            f"Got {type(scores_long).__name__} instead."
        )
    if not isinstance(scorecard, Scorecard):
        raise TypeError(
            f"The 'scorecard' parameter of {func} must be a Scorecard, such as "
            f"callcoach.scorecard.default_scorecard(). Got {type(scorecard).__name__} instead."
        )
    _check_option(method, "method", _METHODS)
    _check_option(na, "na", _NA_RULES)
    tcols = _as_targets(targets)
    for name, value in (("raters", raters), ("items", items), ("ratings", ratings)):
        if not isinstance(value, str):
            raise TypeError(
                f"The {name!r} parameter of {func} must be a column name. Got {value!r} instead."
            )
    spec = [("targets", c) for c in tcols] + [("raters", raters), ("items", items), ("ratings", ratings)]
    missing = [(p, c) for p, c in spec if c not in scores_long.columns]
    if missing:
        problems = " ".join(
            f"The {p!r} parameter of {func} names a column {c!r} that is not in the data."
            for p, c in missing
        )
        raise MissingColumnError(f"{problems} Columns are: {_listing(list(scores_long.columns), 50)}.")
    keys = [*tcols, raters]
    clash = [s.id for s in scorecard.sections if s.id in keys]
    if clash:
        raise ValueError(
            f"Section {clash[0]!r} of scorecard {scorecard.name!r} has the same name as a "
            f"key column of the data; rename the column (the 'targets'/'raters' parameters)."
        )
    data = scores_long.reset_index(drop=True)
    for column in [*keys, items]:
        empty = data[column].isna()
        if empty.any():
            raise ValueError(
                f"Column {column!r} passed to {func} has {int(empty.sum())} empty value(s) "
                f"(rows {_listing(list(data.index[empty]), 8)}). Every score needs a call, "
                "an evaluator and an item; fill them in or drop those rows."
            )

    # Items on the card?
    item_of = {item.id: item for item in scorecard.items}
    unknown = [i for i in pd.unique(data[items]) if i not in item_of]
    if unknown:
        raise MissingColumnError(
            f"Column {items!r} (the 'items' parameter of {func}) holds {_listing(unknown)}, "
            f"which {'is not an item' if len(unknown) == 1 else 'are not items'} of scorecard "
            f"{scorecard.name!r}. Items are: {_listing(scorecard.item_ids, limit=50)}."
        )

    # Each item once per evaluation.
    dup = data.duplicated([*keys, items], keep=False)
    if dup.any():
        repeats = data[dup].groupby([*keys, items], sort=False).size()
        key, times = repeats.index[0], int(repeats.iloc[0])
        call = key[:-2] if len(tcols) > 1 else key[0]
        more = len(repeats) - 1
        raise ValueError(
            f"{_show(key[-2])} scored item {_show(key[-1])} on call {_show(call)} {times} times"
            f"{f' ({more} more items are scored more than once)' if more else ''}. Keep one "
            "score per call, evaluator and item (the latest, if a call was re-scored)."
        )

    # Validate every score, each distinct (item, value) once.
    values = np.empty(len(data), dtype=float)
    bad_rows: list[int] = []
    known: dict[tuple, float | None] = {}
    for pos, (item_id, value) in enumerate(zip(data[items], data[ratings])):
        key = (item_id, "N/A") if _is_na(value) else (item_id, type(value), value)
        try:
            result = known[key]
        except KeyError:
            try:
                result = item_of[item_id].check(value)
            except ValueError:
                result = None
            known[key] = result
        except TypeError:  # an unhashable value: check it directly
            try:
                result = item_of[item_id].check(value)
            except ValueError:
                result = None
        if result is None:
            bad_rows.append(pos)
        else:
            values[pos] = result
    if bad_rows:
        row = data.iloc[bad_rows[0]]
        call = tuple(row[tcols]) if len(tcols) > 1 else row[tcols[0]]
        try:
            item_of[row[items]].check(row[ratings], call=call, rater=row[raters])
        except ValueError as err:
            message = str(err)
        more = len(bad_rows) - 1
        if more == 1:
            message += " (1 more score is off its item's scale.)"
        elif more:
            message += f" ({more} more scores are off their items' scales.)"
        raise ValueError(message)

    # Evaluations x items, in card order; every item present.
    indexed = data.assign(_value=values, _one=1.0).set_index([*keys, items])
    wide = indexed["_value"].unstack(items).reindex(columns=list(scorecard.item_ids))
    present = indexed["_one"].unstack(items).reindex(columns=list(scorecard.item_ids))
    gaps = present.isna().to_numpy()
    if gaps.any():
        rows_with_gaps = np.flatnonzero(gaps.any(axis=1))
        key = present.index[rows_with_gaps[0]]
        key = key if isinstance(key, tuple) else (key,)
        call = key[:-1] if len(tcols) > 1 else key[0]
        left_out = [scorecard.item_ids[j] for j in np.flatnonzero(gaps[rows_with_gaps[0]])]
        more = len(rows_with_gaps) - 1
        raise ValueError(
            f"{_show(key[-1])} did not score {_listing(left_out)} on call {_show(call)}"
            f"{f' ({more} more evaluations are incomplete)' if more else ''}. Every "
            "evaluation needs a score for every item of the card; use 'N/A' where an "
            "item does not apply and allows it."
        )

    card_items = scorecard.items
    x = wide.to_numpy(dtype=float)
    low = np.array([i.low for i in card_items], dtype=float)
    high = np.array([i.high for i in card_items], dtype=float)
    weights = np.array([i.weight for i in card_items], dtype=float)
    scored = ~np.isnan(x)
    frac = np.where(scored, (x - low) / (high - low), 0.0)
    applicable = scored.copy()
    if na == "full":
        frac = np.where(scored, frac, 1.0)
        applicable[:] = True
    position = {item.id: j for j, item in enumerate(card_items)}
    sections = [np.array([position[i.id] for i in s.items]) for s in scorecard.sections]
    section_weights = np.array([s.effective_weight for s in scorecard.sections])

    fail_score = np.array([np.nan if i.fail_score is None else i.fail_score for i in card_items])
    with np.errstate(invalid="ignore"):
        failed = scored & (x <= fail_score)  # NaN fail_score -> never fails
    fail_all_cols = np.array([i.critical == "fail-all" for i in card_items])
    fail_all = (failed & fail_all_cols).any(axis=1)
    after = frac.copy()
    for s, cols in enumerate(sections):
        sec_cols = np.array([card_items[j].critical == "fail-section" for j in cols])
        if sec_cols.any():
            hit = failed[:, cols[sec_cols]].any(axis=1)
            after[np.ix_(hit, cols)] = 0.0

    _, before_total = _totals(frac, applicable, weights, sections, section_weights, method)
    section_scores, total = _totals(after, applicable, weights, sections, section_weights, method)
    total = np.where(fail_all, 0.0, total)

    ids = np.array(scorecard.item_ids, dtype=object)
    failed_critical = [", ".join(ids[row]) for row in failed]
    out = present.index.to_frame(index=False)
    for s, section in enumerate(scorecard.sections):
        out[section.id] = section_scores[:, s]
    out["total_before_fails"] = before_total
    out["failed_critical"] = failed_critical
    out["fail_all"] = fail_all
    out["total"] = total
    out.columns.name = None
    return out
