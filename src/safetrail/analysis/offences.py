"""The offences Safetrail maps logged facts to, with their elements and sources.

Paraphrased from Safetrail's law reference (reference/law-and-risk.md §1), which cites each source
below. Information only: the elements are listed so the person can see which of their logged
facts are relevant to which part of an offence, never to say that an offence is made out.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Element(StrEnum):
    """A part of an offence, named by the kind of logged fact that can be relevant to it."""

    COURSE_OF_CONDUCT = "course_of_conduct"
    STALKING_BEHAVIOURS = "stalking_behaviours"  # PHA s.2A(3)(a)-(g)
    CONDUCT_LIST = "conduct_list"  # Scotland s.39(6), NI s.1(4): (a)-(j)
    ALARM_OR_DISTRESS = "alarm_or_distress"
    FEAR_OF_VIOLENCE_TWICE = "fear_of_violence_twice"
    FEAR_TWICE_OR_DAILY_LIFE = "fear_twice_or_daily_life"
    FEAR_OR_ALARM = "fear_or_alarm"
    THREATENING_BEHAVIOUR = "threatening_behaviour"
    MESSAGE_SENT = "message_sent"
    THREAT_MESSAGE = "threat_message"
    NETWORK_MESSAGE = "network_message"
    PERSISTENT_NETWORK_USE = "persistent_network_use"
    THREAT_OF_SERIOUS_HARM = "threat_of_serious_harm"
    FALSE_INFORMATION = "false_information"
    ORDER_BREACHED = "order_breached"
    STATE_OF_MIND = "state_of_mind"


@dataclass(frozen=True, slots=True)
class ElementSpec:
    element: Element
    wording: str


@dataclass(frozen=True, slots=True)
class Offence:
    id: str
    title: str
    law: str
    jurisdictions: tuple[str, ...]
    single_incident: bool
    elements: tuple[ElementSpec, ...]
    sources: tuple[str, ...]
    caution: str = ""


EW = "england-wales"
SCOT = "scotland"
NI = "northern-ireland"
JURISDICTIONS = (EW, SCOT, NI)

_CPS = "https://www.cps.gov.uk/legal-guidance/stalking-and-harassment"
_PHA_S7 = "http://www.legislation.gov.uk/ukpga/1997/40/section/7?view=plain"
_OSA = (
    "https://legislation.gov.uk/cy/ukpga/2023/50/part/10/crossheading/"
    "false-and-threatening-communications-offences"
)
_NI_OFFENCES = "https://www.legislation.gov.uk/nia/2022/17/crossheading/offences"
_SCOT_S39 = "http://www.legislation.gov.uk/asp/2010/13/section/39/data.html"

_MIND = ElementSpec(
    Element.STATE_OF_MIND,
    "the person knew, or ought to have known (the reasonable person test), what the conduct "
    "would do",
)
_COURSE = ElementSpec(
    Element.COURSE_OF_CONDUCT, "a course of conduct: conduct on at least two occasions"
)
_SINGLE_THREAT = ElementSpec(
    Element.THREATENING_BEHAVIOUR,
    "threatening or abusive behaviour likely to cause a reasonable person fear or alarm "
    "(a single incident can be enough)",
)
_CA_S127 = Offence(
    id="ca-2003-s127",
    title="Improper use of a public electronic communications network",
    law="Communications Act 2003 s.127",
    jurisdictions=JURISDICTIONS,
    single_incident=True,
    elements=(
        ElementSpec(
            Element.NETWORK_MESSAGE,
            "s.127(1): a message sent over a public electronic communications network that is "
            "grossly offensive, indecent, obscene or menacing",
        ),
        ElementSpec(
            Element.PERSISTENT_NETWORK_USE,
            "s.127(2)(c): persistent use of the network to cause annoyance, inconvenience or "
            "needless anxiety (persistent silent calls fall here)",
        ),
        _MIND,
    ),
    sources=(
        "https://olliespolicehandbook.com/acts/communications-act-2003",
        "https://harridanic.com/wiki/Section_127_of_the_Communications_Act",
    ),
    caution=(
        "s.127(2)(a) and (b) were repealed for England & Wales and Northern Ireland by the Online "
        "Safety Act 2023; whether s.127(2)(c) remains is marked to be checked in the reference. "
        "Safetrail's reference describes s.127 for England & Wales; check how it applies in "
        "Scotland."
    ),
)
_OSA_S179 = Offence(
    id="osa-2023-s179",
    title="False communications",
    law="Online Safety Act 2023 s.179",
    jurisdictions=(EW, NI),
    single_incident=True,
    elements=(
        ElementSpec(Element.MESSAGE_SENT, "a message was sent"),
        ElementSpec(
            Element.FALSE_INFORMATION,
            "it conveyed information the sender knew to be false, intending non-trivial "
            "psychological or physical harm to a likely audience, without reasonable excuse",
        ),
    ),
    sources=(_OSA,),
    caution="In force from 31 January 2024.",
)
_OSA_S181 = Offence(
    id="osa-2023-s181",
    title="Threatening communications",
    law="Online Safety Act 2023 s.181",
    jurisdictions=(EW, NI),
    single_incident=True,
    elements=(
        ElementSpec(
            Element.THREAT_OF_SERIOUS_HARM,
            "a message conveying a threat of death or serious harm",
        ),
        ElementSpec(
            Element.STATE_OF_MIND,
            "the sender intended the recipient to fear the threat would be carried out, or was "
            "reckless as to that",
        ),
    ),
    sources=(_OSA, "https://legislation.gov.uk/id/ukpga/2023/50/section/181?view=extent"),
    caution="In force from 31 January 2024.",
)

OFFENCES: tuple[Offence, ...] = (
    Offence(
        id="pha-1997-s2",
        title="Harassment",
        law="Protection from Harassment Act 1997 s.2 (with s.1 and s.7)",
        jurisdictions=(EW,),
        single_incident=False,
        elements=(
            _COURSE,
            ElementSpec(
                Element.ALARM_OR_DISTRESS,
                "the conduct amounts to harassment, which includes alarming a person or causing "
                "them distress (s.7(2))",
            ),
            _MIND,
        ),
        sources=(_CPS, _PHA_S7),
    ),
    Offence(
        id="pha-1997-s2a",
        title="Stalking",
        law="Protection from Harassment Act 1997 s.2A",
        jurisdictions=(EW,),
        single_incident=False,
        elements=(
            _COURSE,
            ElementSpec(Element.ALARM_OR_DISTRESS, "the course of conduct amounts to harassment"),
            ElementSpec(
                Element.STALKING_BEHAVIOURS,
                "acts associated with stalking, such as the s.2A(3) examples: following, "
                "contacting, publishing, monitoring, loitering, interfering with property, "
                "watching or spying (the list is not exhaustive)",
            ),
            _MIND,
        ),
        sources=("http://legislation.gov.uk/ukpga/1997/40/section/2A/data.html", _CPS),
    ),
    Offence(
        id="pha-1997-s4",
        title="Putting people in fear of violence",
        law="Protection from Harassment Act 1997 s.4",
        jurisdictions=(EW,),
        single_incident=False,
        elements=(
            _COURSE,
            ElementSpec(
                Element.FEAR_OF_VIOLENCE_TWICE,
                "the conduct caused fear, on at least two occasions, that violence would be used",
            ),
            _MIND,
        ),
        sources=(_CPS, _PHA_S7),
    ),
    Offence(
        id="pha-1997-s4a",
        title="Stalking involving fear of violence or serious alarm or distress",
        law="Protection from Harassment Act 1997 s.4A",
        jurisdictions=(EW,),
        single_incident=False,
        elements=(
            _COURSE,
            ElementSpec(
                Element.STALKING_BEHAVIOURS,
                "the course of conduct amounts to stalking (acts such as the s.2A(3) examples)",
            ),
            ElementSpec(
                Element.FEAR_TWICE_OR_DAILY_LIFE,
                "either fear, on at least two occasions, that violence would be used; or serious "
                "alarm or distress with a substantial adverse effect on usual day-to-day "
                "activities (for example changed routes or work, moving home, extra security, "
                "ill-health, changes to social life)",
            ),
            _MIND,
        ),
        sources=(_CPS, "https://reportandsupport.ram.ac.uk/support/what-is-stalking"),
        caution=(
            "The Home Office list of day-to-day examples is marked to be checked in the reference."
        ),
    ),
    Offence(
        id="pha-1997-s5-breach",
        title="Breach of a restraining order (or of a Stalking Protection Order)",
        law="Protection from Harassment Act 1997 s.5(5); Stalking Protection Act 2019 s.8",
        jurisdictions=(EW,),
        single_incident=True,
        elements=(
            ElementSpec(
                Element.ORDER_BREACHED,
                "doing something the order prohibits, without reasonable excuse",
            ),
        ),
        sources=(
            "https://www.legislation.gov.uk/ukpga/1997/40/section/5/2017-01-31/data.xht",
            "https://legislation.gov.uk/ukpga/2019/9/section/1?view=plain",
        ),
    ),
    Offence(
        id="mca-1988-s1",
        title="Malicious communications",
        law="Malicious Communications Act 1988 s.1",
        jurisdictions=(EW,),
        single_incident=True,
        elements=(
            ElementSpec(
                Element.MESSAGE_SENT,
                "a letter, electronic communication or article was sent (the offence is in the "
                "sending)",
            ),
            ElementSpec(
                Element.THREAT_MESSAGE,
                "it was indecent or grossly offensive, or a threat",
            ),
            ElementSpec(
                Element.STATE_OF_MIND,
                "a purpose of sending it was to cause distress or anxiety",
            ),
        ),
        sources=("https://policestationreps.com/wiki/doku.php?id=malicious_communications",),
        caution=(
            "The Online Safety Act 2023 repealed the false-information limb for England & Wales; "
            "the threat limb may also have been repealed (replaced by OSA s.181): marked to be "
            "checked in the reference."
        ),
    ),
    _CA_S127,
    _OSA_S179,
    _OSA_S181,
    Offence(
        id="cjl-2010-s39",
        title="Stalking",
        law="Criminal Justice and Licensing (Scotland) Act 2010 s.39",
        jurisdictions=(SCOT,),
        single_incident=False,
        elements=(
            _COURSE,
            ElementSpec(
                Element.CONDUCT_LIST,
                "conduct such as the s.39(6) list: following, contacting, publishing, monitoring, "
                "entering premises, loitering, interfering with property, giving or leaving "
                "things, watching or spying, or acting in a way expected to cause fear or alarm",
            ),
            ElementSpec(Element.FEAR_OR_ALARM, "the course of conduct caused fear or alarm"),
            ElementSpec(
                Element.STATE_OF_MIND,
                "the person intended to cause fear or alarm, or knew or ought to have known the "
                "conduct would be likely to",
            ),
        ),
        sources=(
            _SCOT_S39,
            "http://www.scotland.gov.uk/Topics/Justice/crimes/harassment/stalkinglaw",
        ),
    ),
    Offence(
        id="cjl-2010-s38",
        title="Threatening or abusive behaviour",
        law="Criminal Justice and Licensing (Scotland) Act 2010 s.38",
        jurisdictions=(SCOT,),
        single_incident=True,
        elements=(_SINGLE_THREAT, ElementSpec(Element.STATE_OF_MIND, "intent or recklessness")),
        sources=(_SCOT_S39,),
    ),
    Offence(
        id="pfsa-ni-2022-s1",
        title="Stalking",
        law="Protection from Stalking Act (Northern Ireland) 2022 s.1",
        jurisdictions=(NI,),
        single_incident=False,
        elements=(
            _COURSE,
            ElementSpec(
                Element.CONDUCT_LIST,
                "conduct such as the s.1(4) list: following, contacting, publishing, monitoring, "
                "entering premises, loitering, interfering with property, giving or leaving "
                "things, watching or spying, or acting in a way expected to cause fear, alarm or "
                "substantial distress",
            ),
            ElementSpec(
                Element.FEAR_OR_ALARM,
                "the conduct caused fear, alarm or substantial distress, or a reasonable person "
                "would consider it likely to",
            ),
            ElementSpec(
                Element.STATE_OF_MIND,
                "the person intended that effect, or knew or ought to have known the conduct "
                "would be likely to have it",
            ),
        ),
        sources=(_NI_OFFENCES, "https://ppsni.gov.uk/offence-stalking"),
        caution="In force from 27 April 2022; it does not apply to conduct before then.",
    ),
    Offence(
        id="pfsa-ni-2022-s2",
        title="Threatening or abusive behaviour",
        law="Protection from Stalking Act (Northern Ireland) 2022 s.2",
        jurisdictions=(NI,),
        single_incident=True,
        elements=(_SINGLE_THREAT, _MIND),
        sources=(_NI_OFFENCES,),
    ),
    Offence(
        id="pfsa-ni-2022-s13",
        title="Breach of a Stalking Protection Order",
        law="Protection from Stalking Act (Northern Ireland) 2022 s.13",
        jurisdictions=(NI,),
        single_incident=True,
        elements=(ElementSpec(Element.ORDER_BREACHED, "doing something the order prohibits"),),
        sources=(
            "https://www.legislation.gov.uk./nia/2022/17/crossheading/stalking-protection-orders",
        ),
    ),
)


def offences_for(jurisdiction: str) -> tuple[Offence, ...]:
    """The offences listed for one jurisdiction, in the order above."""
    if jurisdiction not in JURISDICTIONS:
        raise ValueError(
            f"unknown jurisdiction {jurisdiction!r}; choose one of {', '.join(JURISDICTIONS)}"
        )
    return tuple(offence for offence in OFFENCES if jurisdiction in offence.jurisdictions)
