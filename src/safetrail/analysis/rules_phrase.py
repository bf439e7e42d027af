"""A small phrase language for behaviour rules, compiled once into safe regular expressions.

Rules are written as readable phrases rather than raw regular expressions, so that a person (or a
caseworker) reading a rule can see what it looks for, and so that every phrase gets the same
tolerance of real texting spelling without each rule repeating it:

- words are matched case-insensitively, each letter may be repeated ("sooo", "kiiill"), and an
  apostrophe may be left out ("youre", "dont");
- ``a/b/c`` is a choice of words; ``_`` joins words inside one choice ("going_to");
- ``word?`` (or ``a/b?``) is an optional word;
- ``...`` allows up to three other words in between, ``...N`` up to N;
- ``@name`` is a shared word list (see WORD_LISTS), ``{name}`` the same list
  inside a choice, or a raw fragment (see RAW_FRAGMENTS: ``{num}``, ``{end}``);
- ``!a/b_c`` means "not followed by" those words (for example ``dead !tired/right``).

Between words any run of spaces, punctuation or emoji is accepted. Patterns are written for
lower-cased text. Every construct is linear: the only repetition is of single letters or of
disjoint word/non-word runs with a fixed bound, so no phrase can backtrack catastrophically on
hostile text.

Each phrase also yields "trigger" words: plain words one of which must appear in a text for the
phrase to have any chance of matching. ``tag_text`` uses them to skip almost every rule cheaply.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from safetrail.analysis.model import Tag

SEPARATOR = r"\W+"
WORD_GAP = r"(?:\w+\W+){{0,{n}}}"
DEFAULT_GAP = 3
# Placed after a phrase's first letter: that letter must not follow another word character.
WORD_START_AFTER_LETTER = r"(?<!\w\w)"

# Fragments that are regular expressions (not words).
RAW_FRAGMENTS: dict[str, str] = {
    "num": r"\d+",
    "end": r"(?=\W*(?:$|[.!?\n]))",
}

# Shared word lists, written in the phrase language's choice syntax.
WORD_LISTS: dict[str, str] = {
    "you": "you/u/ya/yu",
    "your": "your/ur/yr/yor/yer",
    "youre": "you're/ur/u_r/you_are/u_are/your/yr/yer/you_r",
    "you_any": "you/u/ya/yu/ye/yous/youse/yourself/urself/yaself/yerself",
    "your_any": "your/ur/yr/yer/yor/yours/urs",
    "im": "i'm/i_am",
    "i": "i/me",
    "i_will": (
        "i'll/i'd/i_will/i_shall/i_would/i_won't/i_will_not/i_wouldn't/i_would_not/"
        "i'm_going_to/i'm_gonna/i'm_gunna/i'm_goin_to/i'm_about_to/i_am_going_to/i_am_gonna/"
        "i'm_not_going_to/i'm_not_gonna/i_am_not_going_to/i_am_not_gonna/imma/i'ma/"
        "we'll/we_will/we're_going_to/we're_gonna/we_are_going_to/we_are_gonna/i_want_to/"
        "i_wanna/i_could/i_wil/i'l/ima/i'm_gna/i_gonna/i_gunna/i'm_goina/i'm_boutta"
    ),
    "you_will": (
        "you'll/u'll/ya'll/you_will/u_will/you're_going_to/you're_gonna/ur_going_to/ur_gonna/"
        "u_r_going_to/you_are_going_to/you_are_gonna/u_are_going_to/your_going_to/your_gonna/"
        "you_wil/u_wil/ur_gunna/you're_gunna/your_gunna/u_gonna/u_gunna/ya_gonna/you_gonna"
    ),
    "person": (
        "mum/mam/mom/mother/dad/father/parents/sister/sisters/brother/brothers/family/friend/"
        "friends/mate/mates/boss/manager/colleague/colleagues/work/school/kids/children/teacher/"
        "neighbour/neighbours/landlord/gp/doctor/ex/boyfriend/bf/partner/husband/wife/nan/gran/"
        "grandma/aunt/uncle/cousin/church/employer/hr/solicitor/flatmate/housemate/fella/"
        "girlfriend/gf/mum's/mums/dad's/sister's/brother's/friend's/son/daughter/bestie"
    ),
    "place": (
        "house/flat/place/home/work/office/door/doorstep/front_door/gym/school/mum's/mums/"
        "mother's/dad's/sister's/sisters/parents/parents'/street/road/drive/window/bus_stop/"
        "building/workplace/job/gate/gates/mate's/friend's/nan's/car"
    ),
    "media": (
        "photo/photos/pic/pics/picture/pictures/nudes/nude/video/videos/vids/vid/messages/"
        "screenshots/texts/address/number/diary/secrets/private_photos/selfies/emails/chats"
    ),
    "service": (
        "email/emails/gmail/hotmail/outlook/icloud/phone/laptop/computer/tablet/ipad/account/"
        "accounts/facebook/fb/insta/instagram/snapchat/snap/tiktok/twitter/whatsapp/google/bank/"
        "netflix/amazon/apple/apple_id/cloud/pc/messenger/dropbox/paypal/hinge/tinder/bumble"
    ),
    "gift": (
        "present/presents/gift/gifts/surprise/flowers/roses/bouquet/chocolates/card/letter/"
        "parcel/package/teddy/necklace/ring/perfume/jewellery/bracelet/wine/hamper/balloons/"
        "puppy/something/earrings/box/dress/lingerie/underwear/toy/toys/jewelry/watch/shoes"
    ),
}


@dataclass(frozen=True, slots=True)
class Rule:
    """A named, documented rule: the tag it suggests, why, and the phrases it looks for.

    ``negatable`` rules are dropped when their own words deny the act ("I would never hurt you"),
    unless a condition or "yet" follows ("I won't hurt you as long as...").

    ``pattern`` is the whole rule as one regular expression (for showing and checking);
    ``tag_text`` runs ``phrase_patterns[i]`` only when one of the words ``phrase_triggers[i]``
    is in the text. Each phrase is searched on its own: one big alternation would stop the regex
    engine from skipping ahead to each phrase's first letters. Patterns match lower-cased text,
    and a match counts only where it starts a word (the caller checks, so that each pattern can
    begin with a plain letter, which lets the regex engine skip ahead quickly).
    """

    name: str
    tag: Tag
    description: str
    phrases: tuple[str, ...]
    negatable: bool = False
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)
    phrase_patterns: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)
    phrase_triggers: tuple[frozenset[bytes], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        compiled = [compile_phrase(phrase) for phrase in self.phrases]
        regex = "|".join(f"(?:{source})" for source, _ in compiled)
        object.__setattr__(self, "pattern", re.compile(regex))
        patterns = tuple(re.compile(source) for source, _ in compiled)
        object.__setattr__(self, "phrase_patterns", patterns)
        triggers = tuple(frozenset(words) for _, words in compiled)
        object.__setattr__(self, "phrase_triggers", triggers)


def word_atoms(word: str, at_start: bool = False) -> list[str]:
    """One literal word as regex pieces letting each letter repeat and apostrophes drop out.

    ``at_start``: the word opens the phrase, so right after its first letter the regex checks
    that this letter began a word. Checking after (not before) the letter keeps the letter as the
    pattern's first item, which lets the regex engine jump straight to candidate positions.
    """
    out: list[str] = []
    previous = ""
    for char in word:
        if char == previous and char.isalpha():
            continue
        if char.isalpha():
            letter = re.escape(char.lower())
            anchor = WORD_START_AFTER_LETTER if at_start and not previous else ""
            out.append(f"{letter}{anchor}{letter}*")
        elif char in "'’":
            out.append("['’]?")
        elif char == "_":
            out.append(SEPARATOR)
        else:
            out.append(re.escape(char))
        previous = char
    return out


_END = ""  # a key marking, inside a trie node, that a word may end there

Trie = dict[str, "Trie"]


def _trie_regex(words: list[list[str]]) -> str:
    """Alternatives sharing their beginnings, written once: "kill|kick" -> "ki(?:ll|ck)".

    A word list of 70 verbs then costs the regex engine a few steps per position, not 70.
    """
    trie: Trie = {}
    for atoms in words:
        node = trie
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[_END] = {}
    return _node_regex(trie)


def _node_regex(node: Trie) -> str:
    branches = [atom + _node_regex(child) for atom, child in node.items() if atom != _END]
    if not branches:
        return ""
    if _END in node:
        branches.append("")  # the longer words are tried first
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


def trigger_forms(choice: str) -> set[bytes]:
    """The plain tokens a text must contain for this choice to match (its first word)."""
    first = choice.split("_", 1)[0].lower()
    forms = {first.replace("'", "").replace("’", "")}
    for mark in "'’":
        if mark in first:
            forms.add(first.split(mark, 1)[0])
    return {form.encode("ascii") for form in forms if form}


def _choices(token: str) -> list[str]:
    if token.startswith("@"):
        return WORD_LISTS[token[1:]].split("/")
    return token.split("/")


def _choice_atoms(choice: str, at_start: bool) -> list[list[str]]:
    if choice.startswith("{") and choice.endswith("}"):
        name = choice[1:-1]
        if name in RAW_FRAGMENTS:
            return [[RAW_FRAGMENTS[name]]]
        return [word_atoms(word, at_start) for word in _choices("@" + name)]
    return [word_atoms(choice, at_start)]


def _literal(token: str, at_start: bool = False) -> str:
    words = [atoms for choice in _choices(token) for atoms in _choice_atoms(choice, at_start)]
    return f"(?:{_trie_regex(words)})(?!\\w)"


def _not_followed_by(token: str) -> str:
    words = [word_atoms(choice) for choice in _choices(token[1:])]
    return rf"(?!\W+{_trie_regex(words)}(?!\w))"


def _trigger_candidates(token: str) -> set[bytes] | None:
    """Trigger words of a mandatory literal token, or None if it cannot serve as one."""
    choices = _choices(token)
    if any(choice.startswith("{") for choice in choices):
        return None
    forms: set[bytes] = set()
    for choice in choices:
        forms.update(trigger_forms(choice))
    return forms


# Words so frequent in messages that a phrase triggered by them would run on most texts.
COMMON_WORDS = frozenset(
    b"a about after all also always am an and any are as at away back bad be been before being "
    b"best better big but by call came can car come could day did do does done door down each "
    b"even ever every feel find first for from get give go going gone good got great had has "
    b"have he her here him his home house how i if in into is it its just keep know last leave "
    b"left let life like little look love made make man many may me mean more morning much must "
    b"my need never new next nice night no not now of off ok old on one only or other our out "
    b"over people place put really right said same saw say see she should so some something "
    b"still such sure take tell than thank thanks that the them then there these they thing "
    b"think this those though time to today told tomorrow tonight too two u up ur us very want "
    b"was way we week well went were what when where which while who why will with work would "
    b"x yeah yes yet you your".split()
)


def _rank(forms: set[bytes]) -> tuple[bool, int, int, int]:
    common = sum(form in COMMON_WORDS for form in forms)
    shortest = min(len(form) for form in forms)
    return (shortest < 3, common, -shortest, len(forms))


def _best_triggers(candidates: Iterable[set[bytes]]) -> set[bytes]:
    """Prefer a token with no one- or two-letter form, then the fewest very common words."""
    ranked = sorted(candidates, key=_rank)
    if not ranked:
        raise ValueError("a phrase needs at least one mandatory plain word")
    return ranked[0]


def compile_phrase(phrase: str) -> tuple[str, set[bytes]]:
    """Compile one phrase into (regex source, trigger words)."""
    parts: list[str] = []
    pending_separator = False
    candidates: list[set[bytes]] = []
    tokens = phrase.split()
    if tokens[-1].startswith("...") or tokens[-1].endswith("?"):
        raise ValueError(f"a phrase must end with a word: {phrase!r}")
    for token in tokens:
        if token.startswith("!"):
            parts.append(_not_followed_by(token))
            continue
        if token == "{end}":
            parts.append(RAW_FRAGMENTS["end"])
            continue
        if pending_separator:
            parts.append(SEPARATOR)
        if token.startswith("..."):
            size = int(token[3:]) if len(token) > 3 else DEFAULT_GAP
            parts.append(WORD_GAP.format(n=size))
            pending_separator = False
        elif token.endswith("?"):
            parts.append(f"(?:{_literal(token[:-1], not parts)}{SEPARATOR})?")
            pending_separator = False
        else:
            parts.append(_literal(token, not parts))
            pending_separator = True
            found = _trigger_candidates(token)
            if found is not None:
                candidates.append(found)
    return "".join(parts), _best_triggers(candidates)
