"""Rules for conduct in the physical world: whereabouts, watching, following, loitering,
property and gifts (s.2A(3)(a), (e), (f), (g) PHA 1997; "giving or leaving things" in Scotland
s.39(6)(h) and Northern Ireland s.1(4)).

The line between the tags: knowledge of whereabouts is what the sender *knows* (where you live,
where you were, what you wore); watching is the act of *observing* (watching, cameras, trackers);
following is moving after you; loitering is the sender *being or waiting* near your places.
"""

from __future__ import annotations

from safetrail.analysis.model import Tag
from safetrail.analysis.rules_phrase import Rule

SEEN = "saw/seen/spotted/clocked/noticed/watched"
AFTER_SEEN = (
    "at/in/with/go/going/leave/leaving/coming/walking/on/outside/down/getting/through/"
    "today/this_morning/tonight/last_night/yesterday/earlier/get/enter/entering/out/by/near/"
    "all/again/every/do/doing/shopping/walking/running"
)
# "Saw you on the telly" is not whereabouts.
NOT_IN_PERSON = (
    "the_telly/telly/tv/the_tv/the_news/the_paper/the_papers/facebook/insta/instagram/tiktok/"
    "stage/the_stage/youtube/twitter/the_screen/screen/the_radio/radio/my_feed"
)
CLOTHES = "dress/top/coat/jacket/shoes/skirt/outfit/jeans/hair/boots/jumper/hat/bag/scarf"
NOT_A_MEETING = (
    "tomorrow/later/soon/next/on_monday/on_tuesday/on_wednesday/on_thursday/on_friday/"
    "on_saturday/on_sunday/then/there/in_a_bit/at_the/at_8/at_7/at_6/at_9/at_10/at_12/x/"
    "around/again/when/why/what/how/on_the/in_the"
)
# Being somewhere counts as loitering only "outside" a place; waiting counts anywhere near it.
BEING = "i'm/im/i_am/i'll_be/ill_be/i_will_be/been/i_was"
WAITING = (
    "waiting/wait/sat/sitting/sit/stood/standing/stand/parked/park/hanging/hang/staying/camped/"
    "lurking/lingering/loitering"
)
OUTSIDE = (
    "outside/opposite/across_the_road_from/end_of/near/outside_of/round_the_corner_from/"
    "across_from/over_the_road_from"
)
DAMAGE = (
    "keyed/scratched/smashed/smash/broke/broken/kicked/damaged/vandalised/wrecked/trashed/"
    "torched/burnt/burned/slashed/slash/cut/popped/let/done/poured_paint_on/spray_painted/"
    "threw/thrown/dumped/took/taken/stole/nicked/moved/pulled/ripped/snapped"
)
PROPERTY = (
    "car/window/windows/windscreen/door/mirror/wing_mirror/brake_lines/brakes/fence/garden/"
    "shed/bike/tyres/tires/petrol_tank/locks/lock/phone_line/things/stuff/clothes/post/bins/"
    "flowers/plants/letterbox/front_door/back_door/gate/van/motorbike/cat/dog/keys/bag/mail/"
    "mirrors/wing_mirrors/washing_line/washing/wheels/aerial/plant_pots/pots/wipers/paintwork"
)

PRESENCE_RULES: tuple[Rule, ...] = (
    Rule(
        name="whereabouts.saw_you",
        tag=Tag.KNOWLEDGE_OF_WHEREABOUTS,
        description="Says they saw you somewhere, showing they know where you go.",
        phrases=(
            f"{SEEN} {{you}} {AFTER_SEEN} !{NOT_IN_PERSON}",
            "watching {you} do/doing/shopping/walk/walking/leave/leaving/at/in/with/get/getting",
        ),
    ),
    Rule(
        name="whereabouts.know_where",
        tag=Tag.KNOWLEDGE_OF_WHEREABOUTS,
        description="Says they know where you live, work or are, or your new address.",
        phrases=(
            "know/found/find/out/told_me where {you} live/work/are/go/sleep/park/stay/drink/moved",
            "know/found/got {your} ...1 address/route/routine/postcode",
            "know/found_out exactly where",
            "know which/what school/gym/house/road/bus/train/street/flat",
            "know {youre} home/in/out/there/at/back/alone",
            "know {you} ...1 moved/live/work/go/staying",
            "know about {your}/the new flat/place/house/address/job/bloke/boyfriend/fella",
            "location says/shows {youre}",
            "I know/no/knw where ...3 lives/works",
            "know {you} pick/leave/finish/start/get",
            "know/got the address/postcode",
        ),
    ),
    Rule(
        name="whereabouts.you_were_at",
        tag=Tag.KNOWLEDGE_OF_WHEREABOUTS,
        description="Tells you where you were or what you did, as if keeping track of you.",
        phrases=(
            "{you} were at/in/with/out",
            "{you} went to/into/out",
            "{your} hair looked/looks ...2 today/tonight",
            "{you} were late/early leaving/home/to/for",
            "{youre} at ...2 aren't/arent/innit {you}",
            "{you} left work/home/the_house/the_gym/the_office early/late/at",
            "{you} got the ...2 bus/train",
            "{you} always/usually go/walk/leave/get",
            "same route/way/time",
            "nice/lovely new flat/place/house",
            "{you} wore/were_wearing/had_on",
            "who was ...2 {you} were with",
            "{you} had {your} hair",
            "{you} looked ...1 lovely/nice/tired/beautiful/stressed/happy/great/gorgeous/sad/"
            "upset/pretty/hot/fit at/in/today/this_morning/tonight/yesterday/earlier",
            f"nice/lovely/cute/new/love_the/like_the/love_your/like_your {CLOTHES} today/tonight/"
            "this_morning/earlier",
            f"that {CLOTHES} is new",
            "{your} light/lights/light's/lights_are is/are/'s/was/were/went on/off",
            "{your} bedroom/kitchen light",
            "{your} curtains are/were",
            "{your} car was/is/'s/wasn't/isn't parked/outside/on/at/there",
            "{you} ...1 dyed/cut/changed/had {your} hair",
            "{youre} on/in the sofa/bed/bath/kitchen/garden/shower/bedroom/lounge",
            "{your} new flat/flat's/place/house/home",
            "{your} strava",
        ),
    ),
    Rule(
        name="watching.watching_you",
        tag=Tag.WATCHING_OR_SPYING,
        description="Says they are watching or observing you.",
        phrases=(
            "watching/watched/watch/observing/observed {you} !grow/play/perform/sing/"
            "on_tv/on_telly/on_stage",
            f"I? can/could see {{you}} !{NOT_A_MEETING}",
            "watching from the/my/across/behind",
            "I see {you} {end}",
            "always watching",
            "eyes everywhere",
            "eye/eyes/tabs on {you}",
            "I? can see {your} bedroom/window/windows/house/flat/kitchen/living_room/garden/lounge",
            "keeping/keep an eye on {you}",
            "spy/spying/spied on {you}",
            "on camera",
            "camera/cameras ...3 in/on/at {your}",
            "put/hid/hidden/installed a ...1 camera/cameras",
            "camera in the living/bedroom/bathroom/kitchen",
            "tracker/airtag/air_tag/gps/tile ...3 {your} car/bag/phone/coat/bike/keys",
            "binoculars",
            "through the window/curtains",
            "through {your} window/windows/curtains",
            "gap in {your} curtains",
            "curtains open",
            "watch/watches/watching {your} ...1 house/flat/place/every/window/door/home",
            "see/know everything {you} do",
            "put/hid/hidden/placed/stuck/planted ...2 airtag/tracker/air_tag/tile/gps",
            "airtag/tracker/air_tag in/on/under ...1 {your}/the",
            "watch {you} sleep",
        ),
    ),
    Rule(
        name="following.followed_you",
        tag=Tag.FOLLOWING,
        description="Says they followed you, or will follow you.",
        phrases=(
            "follow/followed/following/tailed/trailed/tracked {you} !on/back/on_insta/"
            "on_instagram/on_twitter/on_tiktok",
            "follow/followed/following/tailed/trailed {your} ...1 car/bus/taxi/van/train",
            "followed/following/tailed/trailed the ...2 bus/van/car/taxi",
            "I ...4 behind {you} !on_this/all_the_way/100/one_hundred",
            "following/tracking/tracked {your} every move",
            "cars behind {you}",
            "me behind {you}",
            "drove/walked/ran/cycled behind {you}",
            "same train/bus as {you}",
            "got off at {your} stop",
            "{you} ...1 lost me !at",
        ),
    ),
    Rule(
        name="loitering.outside",
        tag=Tag.LOITERING,
        description="Says they are, or will be, waiting or hanging about near your places.",
        phrases=(
            f"{BEING} ...2 {OUTSIDE} {{your}} ...1 @place",
            f"{WAITING} ...4 {OUTSIDE}/at/in/on/by/near/round {{your}} ...1 @place",
            f"{BEING}/{WAITING} ...4 {OUTSIDE}/at the school/school_gates/front_door/back_door",
            "{im} at/on {your} door/doorstep/front_door/gate",
            "{im} in/on {your} street/road/doorstep/drive/close",
            "{im} at {your} ...1 @place now/again/right_now",
            "sat/sitting/parked/waiting/stood/standing outside in_the_car/in_my_car/in_the_van",
            "wait/waiting til/until/till {you} finish/come_out/leave/get_home/get_back",
            "wait/waiting outside when/til/until/till/for",
            "sat/sitting/stood/standing/parked watching {your} @place",
        ),
    ),
    Rule(
        name="property.interference",
        tag=Tag.INTERFERING_WITH_PROPERTY,
        description="Says they damaged, took, moved or got into your things or home.",
        phrases=(
            f"{DAMAGE} ...2 {{your}} ...2 {PROPERTY}",
            "{your} ...1 tyres/tires",
            "{your} windscreen/window/windows/mirror looks/is/was",
            "{your} bins are",
            "{your} locks/lock won't/wont/can't",
            "check {your} letterbox",
            "key to {your} flat/house/place/home",
            "let myself in",
            "been/went/got in/into {your} flat/house/home/room/car/bedroom/place",
            "broke/broken/got into {your} shed/house/flat/car/garage/home",
            "went/been through {your} stuff/things/drawers/bag/bins/post/wardrobe",
            "got {your} dog/cat/keys/bike/post/passport",
            "sugar in {your}",
            "{i_will} ... smash/slash/burn/torch/wreck/key {your} car/tyres/windows/house",
            "tracker/airtag/air_tag/gps/tile ...3 {your} car/bike/van",
            "left the back/front door open",
        ),
    ),
    Rule(
        name="gifts.left_or_sent",
        tag=Tag.GIFTS,
        description="Says they left, sent or gave you something.",
        phrases=(
            "left/leave/leaving/sent/send/sending/got/bought/ordered/posted {you} ...2 @gift",
            "sending/send/keep_sending @gift",
            "did {you} get/like/find/receive/open/love my/the @gift",
            "my flowers/gift/present/presents/roses/card/letter/parcel",
            "@gift ...4 from me",
            "@gift ...3 in/on/under/through/by {your} doorstep/door/step/letterbox/car/porch/"
            "windowsill/wiper/desk",
            "@gift ...2 sent/delivered to {your}",
            "open {your} parcel/present/gift/post",
            "@gift waiting for {you}",
            "sent/left/bought/ordered/posted a/an/some @gift",
            "through {your} door/letterbox",
        ),
    ),
)
