"""Scoring rules for the tags that are not threats: following, loitering, watching, monitoring,
property, gifts, knowledge of whereabouts, account access, impersonation and third-party contact.

Each rule reuses the engine of ``rules_scored``: an **act** (what was done: a verb of pursuit,
damage, giving, observing, logging in, pretending) and a **frame** (what it was done to or where:
you, your things, your home or routine, your accounts) must meet inside one sentence (for gifts
and whereabouts, or two sentences side by side: "did the chocs arrive? more coming"). Each part
weighs 1 and the threshold is 2, so both are needed; a few acts that are this behaviour wherever
they appear ("two cars back", "weedkiller", "took the cat") weigh 2 and stand alone. Blockers keep
ordinary talk out ("follow you on insta", "pick you up", "see you later"); for gifts, property,
whereabouts, watching, impersonation and third-party contact they also veto the phrase rules'
hits for that tag in the same sentence ("Your mum rang, she says call her back").

The lists are general kinds of words, not copies of messages. Hits name the rule and the exact
words from the first part to the last, as every rule does.
"""

from __future__ import annotations

from safetrail.analysis.model import Tag
from safetrail.analysis.rules_scored import Cues, ScoredRule

YOU = Cues("you", 1, ("@you_any", "@your_any", "you're/youre/you've/youve/you'd/you'll"))

# --- following -----------------------------------------------------------------------------------

PURSUIT = Cues(
    "pursuit",
    1,
    (
        "followed/followin/following/tailed/tailing/trailed/trailing/tracked/shadowed "
        "{you_any}/{your_any}/her/him/them",
        "behind {you_any}",
        "same train/bus/tube/tram/coach/ferry/carriage/flight as {you_any}",
    ),
)
PURSUIT_ITSELF = Cues(
    "pursuit_itself",
    2,
    (
        "{num}/two/three/four/few/couple cars/car back/behind",
        "few/couple/two/three/{num} steps/step/metres/yards behind",
        "so i got/hopped/jumped off/on too/as_well/aswell",
        "drove/walked/ran/cycled/went/driving/walking after {you_any}",
        "never clocked/noticed/spotted me",
    ),
)
PURSUED = Cues(
    "pursued",
    1,
    (
        "all the way",
        "wherever/everywhere/home/from/into/round/across/through/again/every/tomorrow",
        "on foot",
        "few steps",
    ),
)
NOT_PURSUIT = Cues(
    "not_pursuit",
    0,
    (
        "follow/followed/following/follows ...3 on/back insta/instagram/twitter/tiktok/page",
        "follow/followed/following ...2 instructions/recipe/rules/advice/up/suit/lead/news",
        "follower/followers/follow_up/followup",
        "{im}/we're/we_are/i'll_be/we'll_be/always behind {you_any} on",
        "behind {you_any} all_the_way/100/every_step/one_hundred !to/from/home/up/down/back/there/"
        "into/through/along",
        "look/looking behind",
        "left/leave ...2 behind",
        "{im}/i'll/ill/i_will/will be right behind {you_any} ...2 in/with the/a",
        "on this/that one",
        "idea/decision/plan",
    ),
)
FOLLOWING = ScoredRule(
    name="following.scored",
    tag=Tag.FOLLOWING,
    description="Scored: a verb of pursuit ('followed', 'drove after', 'behind') and you as the "
    "one followed, in one sentence.",
    acts=(PURSUIT, PURSUIT_ITSELF),
    frames=(PURSUED,),
    blockers=NOT_PURSUIT,
    threshold=2,
    reach=0,
)

# --- interfering with property --------------------------------------------------------------------

DAMAGE = Cues(
    "damage",
    1,
    (
        "glued/superglued/scratched/slashed/keyed/smashed/smash/kicked/kick/dented/sprayed",
        "punctured/flattened/burnt/burned/torched/poisoned/tampered/unscrewed/loosened/drained",
        "let ...2 down",
        "cut/cutting/poured/pour/snapped/ripped/stole/nicked/taking/took",
        "rearranged/moved/emptied/tipped/dug_up/pulled_up",
        "go/gone/went up in flames",
        "been taking/nicking",
        "going missing/walkabout",
        "dead/gone/ruined/wrecked/missing",
        "funny noise",
        "by itself/themselves",
        "in my drawer/bag/room/loft/shed/house/flat/car/possession",
        "petrol/lighter/matches/set_fire/set_alight/torch",
        "something happened/happens/happening to it/them",
        "what happened to",
    ),
)
DAMAGE_ITSELF = Cues(
    "damage_itself",
    2,
    (
        "weedkiller/weed_killer/paint_stripper",
        "sugar in ...2 tank",
        "took/taken/nicked/stole/got the/your/ur cat/dog/puppy/kitten",
        "scratched ...3 into",
    ),
)
THINGS = Cues(
    "your_things",
    1,
    (
        "{your_any} car/tyres/tires/tyre/locks/lock/door/doors/plants/garden/"
        "flowers/post/mail/letters/bins/bin/bike/windows/window/windscreen/brakes/fence/"
        "kitchen/stuff/things/clothes/paintwork/mirror/wing_mirror/letterbox/shed/keys/brake_lines/"
        "car_door/front_door/back_door/roses/pots/hedge/gate/heating/boiler/wheels/van",
        "the/them/those tyres/tires/brakes/brake_lines/locks/plants/bins/windows/wheels",
        "{your_any} place/house/flat",
        "old places/houses",
        "{your_any} ...1 car",
    ),
)
NOT_DAMAGE = Cues(
    "not_damage",
    0,
    (
        "in for {you_any}",
        "to the garage/mechanic/tip/vet/vets/dump/recycling",
        "fixed/repair/repaired/mended/sorted/get_them_checked/checked",
        "looked ...2 low",
        "i'll/ill/i_can/can/shall_i take",
        "the kids/boys/girls/dog broke/smashed",
        "accident/accidentally/sorry",
        "door/doors open",
        "my car/phone/bike/house/flat/screen",
        "our/my street/road/bins/estate/block",
        "keyed in",
        "bins/bin out/in",
        "pumped/pump/inflated",
        "bring/drop/pop/hand ...2 round/over",
        "get/got lost",
        "to mine/ours",
        "safe/safely/collect",
        "finds/find out",
    ),
)
PROPERTY = ScoredRule(
    name="property.scored",
    tag=Tag.INTERFERING_WITH_PROPERTY,
    description="Scored: a verb of damage, tampering or taking ('glued', 'slashed', 'took') and "
    "your things (car, tyres, locks, post, plants, pets), in one sentence.",
    acts=(DAMAGE, DAMAGE_ITSELF),
    frames=(THINGS,),
    blockers=NOT_DAMAGE,
    vetoes=frozenset({Tag.INTERFERING_WITH_PROPERTY}),
    threshold=2,
    reach=0,
)

# --- gifts ----------------------------------------------------------------------------------------

GIVING = Cues(
    "giving",
    1,
    (
        "sent/send/sending/left/leave/leaving/posted/posting/ordered/ordering/bought/buy/got",
        "delivered/delivery/dropped/drop/put/arrive/arrived/coming/comin/is_from_me/'s_from_me",
        "from me",
        "wear/wearing/keep/kept/open/opened",
    ),
)
GIFT = Cues(
    "gift",
    1,
    (
        "flowers/roses/bouquet/perfume/chocolates/chocs/choccies/cake/ring/necklace/bracelet/"
        "teddy/bear/takeaway/pizza/present/presents/gift/gifts/jewellery/"
        "lingerie/underwear/balloons/hamper/earrings/locket/little_something/surprise",
        "left/leaving/sent/sending/dropped something/sumthin/summat on/at/in/for {your_any}",
    ),
)
NOT_GIFT = Cues(
    "not_gift",
    0,
    (
        "thank/thanks/thx/ty for",
        "secret santa",
        "from all of us/the_team/everyone",
        "love mum/dad/nan/gran/grandma/grandad/auntie/uncle",
        "wedding list/present",
        "happy birthday/bday/anniversary/christmas/xmas/easter",
        "with {your_any}? neighbour/neighbours/reception/next_door/mum/mam",
        "in the fridge/freezer/cupboard/oven",
        "birthday card/cards from",
        "card ...2 payment/machine/declined/details/reader",
        "got {your_any} letter/card",
        "letter from/about the/your council/school/bank/court/solicitor/hospital/gp",
        "ring me/him/her/us/them/back/later/tomorrow/the",
        "give ...1 ring",
        "parcel/package ...4 depot/tracking/courier/royal_mail/amazon/evri/dpd/missed",
    ),
)
GIFTS = ScoredRule(
    name="gifts.scored",
    tag=Tag.GIFTS,
    description="Scored: sending, leaving or ordering something (flowers, perfume, chocolates, a "
    "present) for you or to your place, in one sentence or the next.",
    acts=(GIFT,),
    frames=(GIVING,),
    targets=Cues(
        "gift_target",
        1,
        (
            "@you_any",
            "@your_any",
            "locker/doorstep/door/office/work/desk",
            "more comin/coming",
            "every day",
        ),
    ),
    blockers=NOT_GIFT,
    vetoes=frozenset({Tag.GIFTS}),
    threshold=2,
    reach=1,
)

# --- knowledge of whereabouts ---------------------------------------------------------------------

DAYS = "mondays/tuesdays/wednesdays/thursdays/fridays/saturdays/sundays"
ROUTINE = Cues(
    "routine_detail",
    1,
    (
        "{your_any} shift/class/classes/yoga/gym/lesson/lessons/school_run/run/train/bus/walk",
        "{your_any} new address/place/flat/house/office/job/work/gym/fella's/fellas/bloke's",
        "that/the new flat/place/house/office/address",
        "which/where ...3 drinks/works/lives/parks/drink/work/live/park/shops/sleeps",
        f"{DAYS}",
        f"on {DAYS}",
        "finishes/finish/starts/start/ends/leaves/leave/gets_out/opens/closes at {num}",
        "number {num}",
        "flat/house/place above/next_to/opposite/behind/over",
        "first/second/third/fourth/top/ground floor",
        "green/red/blue/black/white/yellow/grey front/back door",
        "moved to",
        "snap map/snapmap/find_my/find_my_friends/life360 says/shows",
        "at {your_any} mum's/mums/mam's/mams/nan's/nans/mate's/mates/sister's/sisters",
        "walk home/to_school",
    ),
)
KNOWING = Cues(
    "knowing",
    1,
    (
        "isn't/isnt/doesn't/doesnt/don't/dont/aren't/arent/didn't/didnt it/they/you/u/ya",
        "right/yeah/yh/innit {end}",
        "found/find/finding/know/knew/heard/worked_out/figured/tracked/took_me/got_there",
        "every/always/as_always/still/again/usual",
        "on their/your/ur own",
        "think/safe",
        "finishes/finish/starts/ends",
        "cosy",
        "nice/lovely little",
        "new address/place",
    ),
)
NOT_WHEREABOUTS = Cues(
    "not_whereabouts",
    0,
    (
        "what's/whats/what_is/what/send/text/give me {your_any}",
        "let me/us know",
        "see {you_any} there/then/at",
        "appointment/booking/reminder/confirmed/rota/delivery_slot",
        "happy/congrats/congratulations/good_luck",
        "can/shall/should/do we/i/you/u",
        "see you at",
        "what time/day",
        "while {you_any} were/was/are",
        "dream/dreamt/dreamed",
        "when does/do/is",
        "pick/picking {you_any} up",
        "lift",
    ),
)
WHEREABOUTS = ScoredRule(
    name="whereabouts.scored",
    tag=Tag.KNOWLEDGE_OF_WHEREABOUTS,
    description="Scored: a detail of where you live, work or go, or when ('your shift', "
    "'thursdays 7pm', 'number 14', 'your new address') with a sign that they know it ('isn't "
    "it', 'found it', 'always'), in one sentence or the next.",
    acts=(ROUTINE,),
    frames=(KNOWING,),
    blockers=NOT_WHEREABOUTS,
    vetoes=frozenset({Tag.KNOWLEDGE_OF_WHEREABOUTS}),
    threshold=2,
    reach=1,
)

# --- loitering ------------------------------------------------------------------------------------

WAITING = Cues(
    "waiting_near",
    1,
    (
        "sat/stood/parked/waiting/waitin/wait/camp/camped/hanging/hangin/lurking/sitting/"
        "standing/loitering/stay/stayed",
        "be/been outside/by/near/round",
        "where {im} parked/sat/stood",
        "{im} in the car/van",
        "still here",
    ),
)
NEAR = Cues(
    "near_your_places",
    1,
    (
        "outside/by/near/round/around/in/at/on/from/opposite the/your/ur/yr "
        "house/flat/place/work/office/school/gym/college/salon/gates/gate/school_gate/car_park/"
        "carpark/road/street/garden/back_garden/door/drive/driveway/window/end/corner/shop",
        "outside/by/near/round/around {your_any}/yours/urs",
        "car park/carpark",
        "on {your_any} road/street",
        "outside {end}",
        "{num} metres/yards/meters/feet away",
    ),
)
NOT_LOITERING = Cues(
    "not_loitering",
    0,
    (
        "pick/picking {you_any}? up",
        "lift/taxi/uber/delivery/driver/ready/come_down/meet/meeting/parcel",
        "see {you_any} there/soon/then/at",
        "running late/early",
        "be there at/in/by",
        "no rush",
        "for gran/nan/mum/dad/the_kids/the_boys/the_girls/my_mum/my_dad",
        "for {you_any} {end}",
        "hospital/spaces/parking_space/parking",
        "film/bbq/party/drink/champagne",
        "can't/cannot/not_allowed_to come",
    ),
)
LOITERING = ScoredRule(
    name="loitering.scored",
    tag=Tag.LOITERING,
    description="Scored: waiting, sitting or parking ('sat', 'parked', 'still here', 'camp') by "
    "your home, work, school or road, in one sentence.",
    acts=(WAITING,),
    frames=(NEAR,),
    blockers=NOT_LOITERING,
    threshold=2,
    reach=0,
)

# --- watching or spying ---------------------------------------------------------------------------

SEEING = Cues(
    "seeing",
    1,
    (
        "see/saw/watch/watched/watching/filming/filmin/filmed/recording/photographed/view/"
        "spying/spied",
        "zoom lens",
        "binoculars",
        "camera/cam/monitor/bug/gps/tracker",
        "heard every",
        "came out very/really/so clear",
    ),
)
SEEN = Cues(
    "seen_at_home",
    1,
    (
        "{your_any} kitchen/window/windows/blinds/curtains/bedroom/garden/balcony/house/"
        "light/lights/bins/bathroom/lounge/living_room/door",
        "from the alley/street/road/car/garden/bushes/window",
        "from where",
        "comin/coming and goin/going",
        "every morning/night/evening/day",
        "{you_any} ...4 sleeping/undressing/getting_dressed/in_the_shower",
        "connects/connected to my",
        "in its eye",
        "under {your_any}",
        "{you_any} and him/her",
        "on the balcony",
        "in {your_any} dressing_gown/pyjamas/pjs/underwear/towel/nightie/bra/undies",
    ),
)
NOT_SEEING = Cues(
    "not_seeing",
    0,
    (
        "see {you_any} later/soon/tomorrow/there/then/at/on/in/next/tonight/x",
        "can't/cant/cannot wait to see",
        "nice/good/lovely to see",
        "see {you_any}'ve/you've/uve/u've",
        "watch the/this/that film/match/game/show/telly/tv",
        "see what {you_any} mean",
        "doorbell/ring_doorbell",
        "when/wen/next_time/once i/we see {you_any}",
        "watch/watching/mind/minding the kids/dog/baby/boys/girls",
        "see how",
    ),
)
WATCHING = ScoredRule(
    name="watching.scored",
    tag=Tag.WATCHING_OR_SPYING,
    description="Scored: seeing, watching or filming (or a camera, lens or tracker) and you at "
    "home or a view of your rooms, in one sentence.",
    acts=(SEEING,),
    frames=(SEEN,),
    targets=YOU,
    blockers=NOT_SEEING,
    vetoes=frozenset({Tag.WATCHING_OR_SPYING}),
    threshold=2,
    reach=0,
)

# --- monitoring -----------------------------------------------------------------------------------

ONLINE = Cues(
    "online_things",
    1,
    (
        "post/posts/story/stories/pics/pic/photos/profile_pic/profile_picture/emails/email/"
        "spotify/strava/playlist/likes/hearts/followers/following/last_seen/online/"
        "search_history/running_app/app/status",
    ),
)
CHECKING = Cues(
    "checking",
    1,
    (
        "see/saw/seen/read/check/checked/checking/screenshotted/screenshot/screenshots/noticed/"
        "watched/tracking/listen/listening",
        "went up",
        "says {you_any}/{youre}",
        "like/liked/liking/leavin/leaving/commented",
        "at {num}/half/quarter",
        "this morning/last_night",
        "everything",
    ),
)
NOT_MONITORING = Cues(
    "not_monitoring",
    0,
    (
        "my post/posts/story/pic/pics/photos/email",
        "check {your_any} email/emails/inbox for",
        "sent ...2 to {your_any} email",
        "did {you_any} see",
        "please like/share",
        "saw {your_any} post about",
        "congrats/congratulations/well_done/sounds_good/good_to_me/thanks/thank_you",
        "check {your_any} post/letterbox",
        "following up",
        "love/loved/loving the/it/that/this/your",
        "looks/look/looked great/lovely/amazing/gorgeous/happy",
        "everyone ...5 see",
    ),
)
MONITORING = ScoredRule(
    name="monitoring.scored",
    tag=Tag.MONITORING,
    description="Scored: reading, checking or noting your posts, stories, likes, emails or apps, "
    "in one sentence.",
    acts=(ONLINE,),
    frames=(CHECKING,),
    targets=YOU,
    blockers=NOT_MONITORING,
    threshold=2,
    reach=0,
)

# --- account access -------------------------------------------------------------------------------

CREDENTIALS = Cues(
    "credentials",
    1,
    (
        "password/passwords/pin/passcode/code/codes/two-factor/two_factor/2fa/verification/"
        "fingerprint/fingerprints/face_id/login/log-in/account/facebook/outlook/gmail/icloud/"
        "hive/alexa/ring_app/banking",
        "phone pin/passcode/password/code",
    ),
)
ENTERING = Cues(
    "entering",
    1,
    (
        "logged/logging/log/logs/got/get/getting/signed/sign into/in",
        "trying/tried/reset/resetting/hacked/accessed/still/saved/works/"
        "aint_changed/ain't_changed/hasn't_changed/hasnt_changed/never_changed/same/guessed",
    ),
)
POSTING_AS = Cues("posting_as", 1, ("posting/posted/post as {you_any}",))
NOT_ACCESS = Cues(
    "not_access",
    0,
    (
        "my password/pin/account/phone/code",
        "forgot/forgotten",
        "should/must/need/needs/remember/make_sure change/reset/update",
        "bank/app/phone/support/team/never ask/asks",
        "do not share/give",
        "{you_any} ...1 changed",
        "change/reset/update {your_any} password/pin/passcode",
    ),
)
ACCOUNT_ACCESS = ScoredRule(
    name="account.scored",
    tag=Tag.ACCOUNT_ACCESS,
    description="Scored: your password, PIN, codes, fingerprint or accounts with getting in, "
    "trying, resetting or still working, in one sentence.",
    acts=(CREDENTIALS,),
    frames=(ENTERING, POSTING_AS),
    targets=Cues("whose", 1, ("@your_any", "to me")),
    blockers=NOT_ACCESS,
    threshold=2,
    reach=0,
)

# --- impersonation --------------------------------------------------------------------------------

PRETENDING = Cues(
    "pretending",
    1,
    (
        "pretending/pretendin/pretended/pretend/posing/posed/claiming/claimed",
        "told ...3 i was/i'm/im",
        "said/claimed i was",
        "profile/account/insta/page/tinder/dating/bumble/hinge ...3 up/made/created/with/using",
        "made/set_up/created/opened an/a insta/instagram/account/profile/page/facebook",
    ),
)
AS_SOMEONE = Cues(
    "as_someone",
    1,
    (
        "to be {you_any}/{your_any}",
        "as {you_any}/{your_any}",
        "a delivery/courier/police/policeman/officer/engineer/plumber/doctor/nurse/council",
        "{your_any} pictures/photos/pics/name/face/number/details",
        "exactly like {your_any}",
        "like {your_any}/urs",
        "{your_any} husband/wife/boyfriend/girlfriend/brother/sister/dad/mum/partner",
    ),
)
IMPERSONATION = ScoredRule(
    name="impersonation.scored",
    tag=Tag.IMPERSONATION,
    description="Scored: pretending or claiming to be someone (you, your partner, a courier), or "
    "a profile made with your pictures or name, in one sentence.",
    acts=(PRETENDING,),
    frames=(AS_SOMEONE,),
    blockers=Cues(
        "not_pretending",
        0,
        (
            "stop pretending/pretendin",
            "pretending/pretend/pretended {you_any} can't/cant/didn't/didnt/don't/dont/haven't/"
            "havent/aren't/arent/weren't/werent/are/were/did",
        ),
    ),
    vetoes=frozenset({Tag.IMPERSONATION}),
    threshold=2,
    reach=0,
)

# --- third-party contact --------------------------------------------------------------------------

REACHING = Cues(
    "reaching_others",
    1,
    (
        "rang/rung/called/phoned/emailed/messaged/messaging/texted/dming/dmed/dm'd/wrote_to/"
        "spoke/speaking/talked/talking/chatted/visited/popped_round/contacted/contacting/told",
        "get/got to one",
        "had a very/really/little? interesting/long/nice chat/talk/word",
        "made me a cuppa/tea/coffee",
        "gets/get/getting a visit/call/letter/knock",
        "interested in what i",
        "pass ...2 on",
    ),
)
YOUR_PEOPLE = Cues(
    "your_people",
    1,
    (
        "{your_any} mum/mam/mom/dad/nan/nans/gran/grandma/grandad/sister/brother/cousin/aunt/"
        "auntie/uncle/family/mates/friends/friend/mate/boss/manager/landlord/neighbour/"
        "neighbours/gp/doctor/teacher/headteacher/school/work/workplace/hr/colleagues/"
        "girlfriend/boyfriend/fella/new_fella/new_man/new_girlfriend/husband/wife/ex/kids",
        "the kids' headteacher/teacher/school",
        "hr at",
        "one of them",
        "every single one",
    ),
)
FRIENDLY_RELAY = Cues(
    "friendly_relay",
    0,
    (
        "happy birthday/bday/christmas/anniversary",
        "thanks/thank_you/cheers for",
        "said thanks/hi/hello/congrats/well_done/good_luck",
        "{im}/i_am proud",
        "says/said/wants ...2 call/ring/text her/him/them back",
        "when {you_any} can",
        "doing great/well",
        "she's/he's/they're fine/coming/in/running/on_her_way/on_his_way",
        "wants/want ...3 back",
        "would love/like it",
        "the meeting/trip/van/lawnmower/drill/dinner/leaving_do/casserole",
        "parents' evening/parents_evening",
        "will/'ll be late",
        "it's/its {your_any} mum/dad",
        "tell {your_any} mum/dad/teacher {end}",
        "how was",
        "taking ...2 off",
        "said yes/ok/okay/fine",
        "to ask about/if/whether",
        "father's/fathers/mother's/mothers day",
    ),
)
THIRD_PARTY = ScoredRule(
    name="third_party.scored",
    tag=Tag.THIRD_PARTY_CONTACT,
    description="Scored: ringing, messaging, visiting or talking to your family, friends, work "
    "or school, in one sentence; ordinary passed-on messages (thanks, 'she says call her back') "
    "are not counted, whichever rule read them.",
    acts=(REACHING,),
    frames=(YOUR_PEOPLE,),
    blockers=FRIENDLY_RELAY,
    vetoes=frozenset({Tag.THIRD_PARTY_CONTACT}),
    threshold=2,
    reach=0,
)

CONDUCT_RULES: tuple[ScoredRule, ...] = (
    FOLLOWING,
    PROPERTY,
    GIFTS,
    WHEREABOUTS,
    LOITERING,
    WATCHING,
    MONITORING,
    ACCOUNT_ACCESS,
    IMPERSONATION,
    THIRD_PARTY,
)
