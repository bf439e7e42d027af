"""The word lists of the scoring rules (see ``rules_scored``): threats of violence, threats of
sexual violence and self-harm pressure.

The lists are meant to be broad and general (kinds of harm, of menace, of target), not copies of
messages: a new wording should be found because its parts are on the lists. Weights: 2 for a part
that is menacing or harmful almost wherever it appears, 1 for a part that needs a strong partner.
"""

from __future__ import annotations

from safetrail.analysis.model import Tag
from safetrail.analysis.rules_scored import Cues, ScoredRule

# --- shared ---------------------------------------------------------------------------------------

YOUR = "you're/youre/you'd/u'd/you'll/u'll/you've/u've"
# The person's own people, animals and things: harm to them is a threat to the person.
THEIRS = (
    "kids/children/child/baby/son/daughter/little_girl/little_boy/dog/cat/pets/puppy/horse/"
    "mum/mam/mom/dad/nan/gran/sister/brother/family/fella/bloke/boyfriend/girlfriend/partner/"
    "husband/wife/new_man/new_woman"
)
FAMILY_AGENT = "mum/mam/mom/mother/dad/father/nan/gran/boss/teacher/missus/wife/husband/parents"

TARGETS = Cues(
    "target",
    1,
    (
        "@you_any",
        "@your_any",
        YOUR,
        f"the/them/those {THEIRS}",
        "lovely/nice/pretty/cute car/house/kids/dog/cat/face/family/flat/place",
        "kids/children/family/baby",
    ),
)

# First-person future or conditional, and the second-person future. Not "we'll", "he'll" or
# "she'll": written without the apostrophe they are "well", "hell" and "shell".
FUTURE_WORDS = (
    "will/'ll/il/gonna/gunna/going_to/goin_to/gna/ima/imma/about_to/shall/would/wud/might/could"
)
FUTURE = (
    "i'll/il/i'd/id/i_will/i_wil/i_would/i_wud/i_shall/ima/imma/i'ma/i'm_gonna/im_gunna/"
    "i'm_going_to/i'm_about_to/i_am_going_to/i_am_gonna/gonna/gunna/going_to/goin_to/gna/"
    "we_will/we're_gonna/we're_going_to/they'll/they_will/they're_gonna/"
    "you'll/u'll/ull/u_will/u_wil/you_will/you're_gonna/ur_gonna/ur_gunna/you're_going_to/"
    "ur_going_to/you're_getting/ur_getting/u_r_going/you_are_going/your_gonna/your_going/"
    "will_be/would/wud/could/might/soon/tonight/shall/about_to/won't/wont/will_never/you'd/"
    "u'd/youd/"
    "there'll/there_will/it'll/it_will/that'll/he_will/she_will"
)
FRAME_FUTURE = Cues("future", 1, (FUTURE, "i_hope/hope"))

# Conditions, deadlines, warnings and rhetorical turns that make a harm a menace.
FRAME_MENACE = Cues(
    "menace",
    2,
    (
        "if {you_any}/{your_any}/anyone/he/she/they",
        "if i was/were",
        "or else",
        "or {im}/i'll/il/ill/ima/imma",
        "unless {you_any}",
        "carry/keep on ...1 and/like",
        "keep it/this/that up",
        "keep talking/talkin/pushing/going/lying/ignoring ...1 and",
        "one more word/lie/time/text/message/call/step/look",
        "try me",
        "test me",
        "push me",
        "don't/dont make me",
        "go/come/goes near",
        "again and",
        "do that/it again",
        "say that ...3 again/face",
        "before {you_any} know it",
        "one day/night",
        "one of these days/nights/mornings",
        "next time",
        "wait till/til/until/untill",
        "by tonight/tomorrow/the_weekend/friday/monday",
        "sooner or later",
        "when/once/as_soon_as {i} see/find/get/catch/do/get_hold",
        "when/once {im} done/finished/through",
        "last/final warning",
        "been warned",
        "warning {you_any}",
        "{im} warning",
        "remember/don't_forget/dont_forget this/that {end}",
        "remember I/i've/i_have/we",
        "mark my words",
        "swear down",
        "i swear",
        "i promise {you_any}",
        "better watch/sleep/hope/stay/keep/not/start/pray/run",
        "you'd/u'd/youd/ud/you/u better",
        "should keep/lock/watch/be_careful",
        "be a shame/pity",
        "shame ...4 if",
        "would/wud be awful/terrible/sad/tragic/horrible if",
        "hate for",
        "hate it if",
        "hope {you_any} like/enjoy/love/have",
        "do {you_any} know what happens",
        "see what/wat/wot happens",
        "what/wat/wot happens to",
        "what/wat/wot would happen",
        "people/girls/women/men/lads like {you_any}",
        "imagine",
        "think again",
        "last person/one/guy/bloke/girl/man/woman/lad who/that",
        "one wrong move/word",
        "one phone_call/call/text/word",
        "or {your_any}/{youre}",
        "won't/wont/wouldn't look so good/pretty/nice",
        "would/will/'d miss {you_any} if",
        "just {you_any} wait",
        "permanently/for_good",
        "no idea how easy",
        "watch this space",
        "{im} not joking/kidding/messing/playing",
        "i mean it/that/every_word",
        "swear on my/your/ur life/kids/mum's_grave",
        "{you_will} see/find_out/learn",
        "know/got a/some lad/guy/bloke/someone/somebody/people/mates/friends who/that",
        "tell ...3 to watch/be_careful",
        "only a matter of time",
        "wants/want/needs/need/better/should/'d_better to? be careful",
        "how would {you_any} like",
        "when/once {im} finished/done with",
        "happen/happens so easily/quickly/all_the_time",
        "so easily",
        "{youre} lucky I/i've/im/i'm",
        "not over",
        "while {you_any} still? can",
        "nobody/no_one will/would ever know",
        "{you_any} won't/wont/will_never see it/me/us/them coming",
    ),
)

# --- threat of violence -------------------------------------------------------------------------

# Harm verbs, in present forms (past narration is not a threat), aimed at you or yours: the object
# must follow, so "if you hurt her" (you as the one acting) and "hurt myself" are not threats.
# Not "yourself": "you'll cut yourself" is care, not menace.
AIMED_AT_YOU = (
    "you/u/ya/yu/yous/youse/{your_any}/both/the_kids/the_dog/the_cat/the_baby/the_children"
)
# What follows "you" when the verb is everyday speech: "shoot you a message", "hit you up".
NOT_HARM = "!a/an/some/up/out/off/over/back/to/in_on/loose/short/slack/free/round/for/on"
# Some are also the idiom of games, sport, exams and food, and are ignored in such a context.
CONTEST_VERBS = Cues(
    "contest_harm",
    2,
    (
        "kill/killing/murder/murdering/destroy/destroying/smash/smashing/"
        "batter/battering/wreck/wrecking/thrash/hammer/annihilate/demolish/crush/slaughter/bury/"
        f"beat/beating/leather/pummel/flatten/attack/assault {AIMED_AT_YOU} {NOT_HARM}",
        "finish {you_any} off",
    ),
)
# Outcomes that are also the jokes of food and sport ("you'll need an ambulance after my chilli").
CONTEST_OUTCOMES = Cues(
    "contest_outcome",
    2,
    (
        "need/needing an ambulance/paramedic/stretcher",
        "blow {your_any} head/socks off",
    ),
)
# The parts of a body, and the people and animals that are the person's own.
BODY = (
    "face/head/legs/leg/arms/arm/neck/throat/skull/jaw/nose/ribs/kneecaps/knees/fingers/teeth/"
    "hands/back/bones/body/eyes/brains/heart/guts/skin/lip/lips/mouth/knee/kneecap/ankles/" + THEIRS
)
INJURED = (
    "stabbed/battered/beaten/hurt/shot/burnt/burned/smashed/done_in/cut/cut_up/slashed/glassed/"
    "bottled/knocked_out/run_over/kicked_in/murdered/killed/buried/strangled/hit/jumped/"
    "kneecapped/done/dealt_with/sorted/hospitalised/torched/knocked_down/set_on_fire/attacked"
)
# Verbs that are also ordinary words ("cut your hair", "the floor"): harm only when aimed at you.
AIMED_VERBS = (
    "cut/cutting/break/breaking/burn/burning/hit/hitting/knock/kick/kicking/punch/punching/"
    "slap/slapping/bash/bashing/snap/stamp/chop/glass/floor/deck/boot/lamp/twat/thump/blind/"
    "scar/slash/slit/bottle/headbutt/nut/belt/run_over/run_down/set_fire_to/set_light_to/"
    "cave/kick_in/smack/strangle/shoot/bludgeon/bruise/butcher/carve/cosh/"
    "dismember/gut/hack/impale/injure/knee/mangle/maul/mutilate/pistol_whip/pound/pulverise/"
    "rough_up/scald/scorch/shatter/skin/slice/spike/stomp/string_up/trample/wallop/whack/whip/"
    "wound/gouge/drag/tie_up/lock_up/shove/push/throw/chuck/bleed/"
    "disable/finish_off/get_rid_of/take_out/pay_back/punish"
)
HARM_VERBS = Cues(
    "harm",
    2,
    (
        "hurt/hurting/stab/stabbing/strangle/strangling/throttle/choke/choking/"
        "shoot/shooting/shank/maim/cripple/torture/disfigure/paralyse/hospitalise/suffocate/"
        f"smother/drown/poison/torch/burn_down/blow_up/{AIMED_VERBS} {AIMED_AT_YOU} "
        f"{NOT_HARM}",
        "knock {you_any} out/spark/sparko/dead/unconscious",
        f"{AIMED_VERBS} ...1 {{your_any}} ...1 {BODY}",
        "acid/petrol/knife/blade/machete/gun/bullet/bullets/hammer/bat/crowbar on/in/at/to/into "
        "{you_any}/{your_any}",
        "{youre} ...1 dead !right/tired/good/funny/serious/easy/jealous/proud/on/to/lucky",
        "drop dead",
        "be/end_up/wind_up ...1 dead",
        "want/wish {you_any} dead",
        "do {you_any} in",
        "done {you_any}",
        "make {you_any} regret/pay/suffer/bleed/scream/sorry/wish !for_the/for_dinner/for_drinks/"
        "for_lunch/for_a/for_my/for_your/back/up/next",
        "teach {you_any} a lesson",
        "get my hands on",
        "get hold of {you_any}",
        "{youre} ...1 getting/gonna_get/going_to_get it",
        "regret the day",
        "wish you'd/u'd/youd/ud/you_had never",
        "get/getting/got/gets what's/whats/what_is/wat's/wats coming",
        "what's/whats/what_is coming to {you_any}",
        "get/gets yours",
        "pay for what/wat/wot/everything",
        "six foot/feet under",
        "in/into the ground/grave/ditch/canal/river/morgue/boot",
        "in/into a grave/ditch/box/coffin/body_bag/wheelchair",
        "put/land/end_up/wake_up ...2 in hospital/a&e/intensive_care",
        "never/won't/wont/not ...1 find {your_any} body",
        "never ...1 be found",
        "teeth ...4 floor/pavement/ground",
        "every bone",
        "eating/eat through a straw",
        "won't/wont/didn't/didnt/doesn't/doesnt/never come/coming home/back",
        "won't/wont be walking/breathing/waking/smiling/talking",
        "won't/wont have a mum/mam/mom/dad/mother/father/home/house/car",
        "go/goes/went_up ...1 in_flames/in_smoke/nice/like/lovely/in_seconds/in_minutes/quick/"
        "quickly/fast",
        f"{FUTURE_WORDS} ...1 get/be/end_up ...2 {INJURED}",
        f"getting/gets ...2 {INJURED}",
        "the hard way",
        "rearrange/ruin/ruining/mess_up/fix/sort_out/redo {your_any} face/teeth/looks",
        "no teeth/face/kneecaps/legs/fingers",
        "set of teeth",
        "make {you_any} disappear/vanish/go_away_for_good",
        "lose/lost {your_any}/their mum/mam/mom/dad/mother/father/kids/children/face/looks/legs",
        "get {you_any} in the end/eventually/one_day/sooner_or_later",
        "put/throw/send/kick {you_any} through/into/down/under a/the/that window/wall/floor/"
        "table/windscreen/door/stairs/river/canal/bus/train",
        "burn/burns/go_up/goes_up lovely/nicely/nice/well/easily/quick/quickly/fast",
        "hospital food/jelly/bed/meals/grub/gown",
        "bullet/knife/blade/bullets with {your_any} name",
        "got/bought/have/saving/kept ...1 a/something/the knife/gun/blade/bat/machete/bullet/"
        "surprise/present for {you_any}",
        "need/have/get/getting/be_wearing ...1 stitches/crutches/bruises/a_black_eye/a_cast/"
        "a_drip/a_neck_brace/plastic_surgery/dentures/false_teeth",
        "pay the price",
        "busted/broken/bloody/bloodied/smashed/burst nose/jaw/lip/lips/face/teeth/head",
        "{you_will} be gone/dead/finished before",
        "what {i}/i'll/ill ...1 do/did to {your_any}/that/{you_any}",
        "over for {you_any}",
        "out of the river/canal/water/lake/sea/ditch",
        "dental records",
        "grow/growing up without a/their/your mum/mam/mom/mother/dad/father",
        "say/saying {your_any} prayers",
        "better pray",
        "how safe {you_any} feel/are",
        "take {your_any} legs/knees/feet out/from",
        "through a tube/straw",
        "read/reading about {you_any} in the paper/papers/news",
        "{your_any} ...1 funeral/grave/headstone/coffin/obituary/wake",
        "crying/begging/screaming/pleading for {your_any} mum/mam/mom/mummy/life/mercy",
        "goodbye to {your_any} family/kids/mum/children/face/looks/legs",
        "nobody/no_one ...1 wants/want/will_want to look at {you_any}",
        "over ...1 shoulder",
        "nowhere {you_any} can/could/will hide/run/go !from/to_get/for",
        "never see {your_any} ...1 kids/children/family/baby/mum/dad grow/again",
        "the last time {you_any} ...1 see/hear/speak/talk",
        "least expect it",
        "in a cast/sling/neck_brace/coma/body_cast",
        "make {your_any} life hell/a_misery/a_living_hell",
        "how would {you_any} like to wake/lose/never/have_no",
        "what {im}/i'm_really capable of",
        "make sure {you_any} never",
        "never walk/see/work/breathe/wake/smile/talk again",
        "scrape/scraping/scraped ...3 off the pavement/floor/road/wall/ground",
        "nothing left of {you_any}",
        "think/thinking {youre} safe",
        "{youre} not/never/nowhere safe",
        "keep {your_any} ...1 " + THEIRS + " away/inside/indoors/close",
        "like/likes/love/loves/enjoy/enjoys ...1 hospital/hospitals/hospital_food/wheelchairs",
        "ended_up/end_up/ends_up/wound_up/put ...2 in a/the wheelchair/hospital/grave/coffin/"
        "ground/morgue/intensive_care/a&e",
    ),
)
# Harm to the person's safety at home: strong enough to need only a weak frame ("hope").
SECURITY = Cues("security", 2, ("good/strong/new locks/alarm/alarms/insurance/smoke_alarms",))
# Menace complete in itself: needs only a target.
MENACE_ITSELF = Cues(
    "menace_itself",
    3,
    (
        "won't/wont/not/never/didn't/didnt ...1 make/making it home/back !in_time/on_time/for/"
        "before/till/until/by/in/at/early/late/first",
        "won't/wont wake up",
        "won't/wont like how/what/wat/wot ...1 ends/happens/comes",
        "{your_any} days are numbered",
        "{youre}/{you_any}'ve/you_have/uve had it",
        "count {your_any} days",
        "protect {you_any} forever/for_ever/every_day/all_the_time/24_7",
        "say goodbye to {your_any} ...1 face/looks/teeth/kneecaps/legs/fingers/kids/family",
        "sharpening/sharpened/sharpen ...2 something/a_knife/a_blade/knives/"
        "a_machete/a_bat for {you_any}",
        "{youre} a dead man/woman walking",
        "dead man/woman walking {end}",
        "who/someone/somebody/people gets/will_get/'s_gonna_get/is_going_to_get/'ll_get/"
        "are_gonna_get/are_going_to_get hurt",
        "won't/wont even? see me/us/them/it coming",
        "over {your_any} shoulder ...3 rest/life/forever",
        "looking/look over {your_any} shoulder",
        "sleep with one eye open",
        "sleep/enjoy/breathe/smile/laugh ...3 while {you_any} still? can",
        "{you_any} won't/wont/will_never/never see it/me/us/them coming",
        "wish you'd/u'd/youd/ud/you_had never been born",
    ),
)
VEILED_ACTS = Cues(
    "veiled_harm",
    1,
    (
        "accident/accidents",
        "something/anything ...1 happen/happens/happened/happening/to_happen",
        "happen/happens/happened to {you_any}/{your_any}",
        "fire/fires/flames/petrol/lighter/matches",
        "brakes/brake_lines/tyres/tires/wheel_nuts ...3 not/fail/fails/failing/go/went/gone/cut/"
        "tampered/stop_working/give_out",
        "sort {you_any} out",
        "deal with {you_any}",
        "won't/wont/wouldn't be just? the/your/ur car/tyres/tires/windows/house/flat/dog/cat/bike",
        "{youre} done/finished/toast/history !for/with/yet/now/already/eating/there/here/today",
        "lock {your_any} doors/door/windows",
        "watch {your_any} back/step",
        "watch {you_any}",
        "sleep with",
        "be/feel/feeling sorry !you/u/to/that/for/about/if",
        "regret it/this/that/everything/ever/the",
        "pay/paying",
        "know/no/knw where {you_any}/{your_any}/he/she/they ...1 live/lives/sleep/sleeps/work/"
        "works",
        "find {you_any}",
        "grass/grasses/snitch/snitches/rat/rats",
        "alone",
        "nothing to lose",
        f"if ...6 got/get/gets/was/were ...1 {INJURED}",
        f"get/be/end_up/ending_up ...2 {INJURED}",
        "be waiting for {you_any}",
        "shut {your_any} mouth/face",
        "at {your_any} door/window/bedroom_window",
        "still breathing/alive/standing/walking",
        "get to {you_any}",
        "wipe ...3 smile off",
        "won't/wont/never make it to",
        "payback/revenge/retribution/consequences/karma",
        "{your_any} time will/is come/coming",
        "bruises/bruised/black_eye/stitches/scars/scarred/blood/bleeding",
        "wish I/i'd hadn't/had_not/never",
        "ambulance/ambulances/paramedics",
        "under {your_any} car/van/bonnet",
        "wearing {your_any} teeth",
        "through a/the/that/ur/your window/windscreen/wall/table/floor",
        "will/'ll be the last time",
        "do {you_any} !a/an/some/up/over/good/proud/the/for_dinner/any/no/both",
        "on his/her/your/ur/their own",
        "watch himself/herself/yourself/urself/themselves/his_back/her_back",
        "know which/what pub/school/gym/house/road/street/bus/train/route",
        "catch/catching up with {you_any}",
        "end/ending up like ...1 {your_any}/him/her/them/the_last",
        "crossing/cross roads/the_road/the_street",
        "walking home/alone/on_your_own/at_night/in_the_dark",
        "my boys/lads/cousins/brothers/mates/crew/people/friends/soldiers",
        "recognise/recognize {you_any}",
    ),
)
# News, court reports and fiction: what they say is reported, not threatened.
REPORTED = (
    "police/cops/officers said/say/says/are/were/have/appeal/appealed/appealing/"
    "investigating/confirmed",
    "court told/heard/hears/was_told",
    "told the court",
    "charged/jailed/sentenced/convicted/arrested/acquitted/inquest/trial/witnesses/"
    "headline/headlines",
    "on/in the news",
)
FICTION = (
    "the/this/that/a/new/his/her/their film/films/movie/episode/series/documentary/podcast/"
    "novel/thriller/song/poster/trailer/chapter/scene/character/book/show/game",
    "spoiler/spoilers/lyric/lyrics/chorus/verse/zombies/villain/netflix",
    "song/draft",
)
# Everyday idioms that use the words of harm.
IDIOMS = (
    "no_one/nobody/noone is/'s/will/would ...2 hurt/harm/touch {you_any}",
    f"if/when {{you_any}} ...1 get/got/gets/are/were/get_yourself ...1 {INJURED}",
    "slash/smash/key/scratch/wreck/torch/burn/break/kick/trash/cut ...1 {your_any} ...1 car/"
    "tyres/tires/windows/windscreen/mirror/mirrors/phone/laptop/stuff/things/door/fence/bike/van/"
    "shed/hair/fringe/nails/grass/hedge !with",
    "{your_any} ...1 "
    + FAMILY_AGENT
    + " is/will/'s/'ll/gonna/going_to/gunna/would/'d ...2 kill/murder/batter/have",
    "by {your_any} ...1 " + FAMILY_AGENT,
    "beat {you_any} to/at/in !death/a_pulp",
    "kill/killing/murder for a/an/some",
    "break a leg",
    "die/died/dying laughing",
    "{youre} killing/killin me/it",
    "killing/killin me",
    "dead right/tired/good/funny/serious/easy/jealous/proud",
    "knock {you_any} dead/sideways",
    "hit {you_any} up",
    "shoot {you_any} a/an/over",
    "blow {you_any} away",
    "if/when {you_any} ...1 need/needs/call/want/get an/a ambulance/doctor/paramedic/lift",
    "he'll/she'll/he_will/she_will/they'll/they_will ...1 kill/murder/strangle {you_any}",
    "drown/smother/bury/kill ...1 {you_any} in/with love/kisses/hugs/cake/compliments/work/"
    "paperwork/emails/kindness/presents",
)
THREAT_BLOCKERS = Cues("news_fiction_idiom", 0, REPORTED + FICTION + IDIOMS)
# Songs and stories: vetoes the phrase rules for following, loitering and watching too
# ("I'd follow you to the edge of the world (verse 2)").
FICTION_ONLY = Cues("fiction", 0, FICTION)
FICTION_VETOES = frozenset({Tag.FOLLOWING, Tag.LOITERING, Tag.WATCHING_OR_SPYING})
CONTEXT = Cues(
    "game_sport_food",
    0,
    (
        "fifa/fortnite/cod/warzone/minecraft/xbox/playstation/ps5/ps4/gaming/match/chess/pool/"
        "darts/snooker/golf/tennis/squash/badminton/football/footy/rugby/cricket/netball/quiz/"
        "scrabble/monopoly/poker/wordle/mario/league/pitch/exam/exams/interview/presentation/"
        "gig/audition/workout/karaoke/pint/pints/beer/kebab/curry/pizza/burger/chips/cake/"
        "biscuit/biscuits/sandwich/chocolate/takeaway/tournament/boss_fight/chilli/chili/spicy/"
        "derby/season/referee/ref/goal/goals/kickoff/kick_off/come_on_you",
        "the/a/this/that/next game/race/level",
    ),
)
# A first-person denial of harm ("I would never hurt you", "I'm not going to touch you").
DENIED = (
    "hurt/harm/touch/kill/hit/lay/attack/threaten/batter/stab/beat/punch/slap/do_anything/"
    "do_something/mean_it/come_near"
)
DENIALS = Cues(
    "denial",
    0,
    (
        f"I/i'd/id/i'll/ill/i'm/im/i've/ive ...1 never/not/won't/wont/wouldn't/wouldnt/don't/"
        f"dont/didn't/didnt/couldn't/couldnt ...3 {DENIED}",
        "never lay a finger",
        "won't/wont/wouldn't/wouldnt/doesn't/doesnt/can't/cant/never/didn't/didnt hurt/harm/kill "
        "{you_any}",
    ),
)
CONDITIONS = Cues(
    "condition",
    0,
    (
        "yet/unless/until/till/til",
        "if {you_any}/{your_any}",
        "as/so long as",
        "this time",
        "for now",
        "provided",
    ),
)

# --- threat of sexual violence ------------------------------------------------------------------

SEXUAL_ACTS = Cues(
    "sexual",
    2,
    (
        "rape/raped/molest/molested/grope/groped/forced/force",
        "clothes/knickers/pants/bra/top/dress off",
        "naked/undress/strip",
        "on {your_any} back/knees",
        "in/into my? bed",
        "get/got/climb in/into ...2 bed",
        "{your_any} ...1 bed/bedroom",
        "bed of {your_any}",
        "get/got/catch/have {you_any} alone",
        "get/got/catch/have {you_any} on {your_any} own",
        "be/are/'re alone",
        "girls/women/sluts/slags who tease/lead/dress/dresses/flirt/wear/act",
        "tease/teases/teasing/prick_tease/pricktease",
        "owe me a night/sex/shag",
        "spread/open {your_any} legs",
        "strip/undress {you_any}",
        "tie {you_any} up",
        "pin/hold {you_any} down",
        "inside {you_any}",
        "use {you_any} like/how/whenever",
        "make {you_any} mine",
        "take advantage",
        "{your_any} little/tight body",
        "have my way",
        "drunk/asleep/passed_out",
        "sex/shag/shagging",
    ),
)
SEXUAL_ITSELF = Cues(
    "sexual_itself",
    3,
    (
        "pay/owe ...2 with {your_any} body",
        "owe me {your_any} body",
        "have my way with {you_any}",
        "force myself on",
    ),
)
SEXUAL_HINTS = Cues(
    "sexual_hint",
    1,
    (
        "{youre} mine",
        "then {youre} mine",
        "have/touch {you_any}",
        "take {you_any} to_bed/upstairs/by_force/whether",
        "take/get/getting it",
        "give me what/wat/wot {i} want",
        "get/take what/wat/wot {i} want",
        "owe me",
        "had/have {you_any} {end}",
    ),
)
OVERRIDES = Cues(
    "no_consent",
    2,
    (
        "whether ...4 or not",
        "like it or not",
        "yes or not/no",
        "won't/wont/can't/cant/couldn't/cannot ...1 stop me",
        "won't/wont be able to stop me",
        "say/saying no",
        "nobody/no_one ...1 will/would/gonna ...1 believe/hear {you_any}",
        "one way or another",
        "when/whenever {i} want/like/feel_like",
        "{im} collecting",
        "happen again",
        "what/wat/wot happens to",
        "begging/beg",
        "struggle/struggling/fight_back",
        "won't/wont stop",
        "scream all",
        "next time {youre}",
        "one day/night",
        "wait till/til/until",
        "then {youre} mine",
        "not leaving/going till/until/til/untill",
        "finish what {i} started",
        "or {you_will} regret/be_sorry",
        "asleep/passed_out/drunk/unconscious/out_of_it",
        "no_one/nobody will/would know/find_out",
        "keep {you_any} there/here/locked/in/inside ...1 till/until/til",
        "do as {youre} told",
        "{i_will} make {you_any} {end}",
        "any way/how {i} want/like",
        "fight/struggle/scream all {you_any} want/like",
        "what {i} came for",
    ),
)
SEXUAL = ScoredRule(
    name="sexual.scored",
    tag=Tag.THREAT_OF_SEXUAL_VIOLENCE,
    description=(
        "Scored: sex, your body or your bed, with words that override your consent ('whether you "
        "like it or not', 'you won't stop me', 'one way or another')."
    ),
    acts=(SEXUAL_ACTS, SEXUAL_HINTS, SEXUAL_ITSELF),
    frames=(OVERRIDES,),
    targets=TARGETS,
    blockers=THREAT_BLOCKERS,
)

# --- self-harm pressure -------------------------------------------------------------------------

SELF_HARM_ACTS = Cues(
    "self_harm",
    2,
    (
        "kill/hurt/harm/cut/top/hang/end/drown/poison/starve/burn/stab/shoot/throw/overdose/"
        "do_something_to/do_away_with/do_in ...1 myself/meself/mself",
        "end/ending it/my_life/things/everything",
        "my own? life",
        "pill/pills/tablets/paracetamol/rope/noose/razor/blades/overdose",
        "to/at/on/off the bridge/roof/edge/ledge/cliff/tracks/railway/motorway",
        "my/a note/letter",
        "with a knife/blade/razor/rope",
        "with the/my pills/tablets",
        "read about me",
        "whole bottle/packet/box/lot",
        "running in the garage",
        "hosepipe/exhaust",
        "{you_will} be the one who finds/found/find me",
        "better off without me",
        "this is goodbye",
        "never wake/waking up",
        "go/going to sleep ...2 forever/for_good",
        "walk/walking into the sea/river/traffic",
        "drive/driving/drove/crash/crashing ...1 into the river/sea/wall/lorry/tree/traffic/canal",
        "last time {you_any} ...1 hear/hears/see/sees from_me/me/of_me",
        "last message/text/time/thing ...3 from me",
        "tell the kids/children/mum/everyone/them i'm/im/i_am sorry/i_love/i_loved",
        "get {your_any} wish",
        "never ...2 hear/see ...2 me/my_voice/my_face/from_me again",
        "won't/wont/will_not be a me",
        "no more me",
        "swallow/swallowing/take/taking the lot",
        "jump/jumping",
        "standing/stood/sat/sitting on/at the bridge/roof/edge/ledge/cliff/platform/tracks",
        "on the roof/bridge/ledge/edge",
        "not/won't/wont/never be ...1 here/around/alive",
        "not ...1 gonna/going_to/gunna be ...1 here/around/alive",
        "no point ...3 being_here/being_alive/living/going_on/carrying_on/in_life",
        "no reason to live/stay/be/carry/go",
        "my death/blood/funeral/body",
        "drove/driven/drive/pushed/push me to it",
        "something i can't/cant/cannot take back",
        "something stupid",
        "find me dead/hanging/gone",
        "say/saying goodbye",
        "after tonight {im} gone",
        "{im} gone !for/to/out/home/now",
        "{i_will} ...1 be gone",
        "can't/cant promise anything",
        "don't/dont know what i'll/ill/i_will/i_might do",
        "tell the kids/children/family i love/loved",
    ),
)
SELF_HARM_ITSELF = Cues(
    "self_harm_itself",
    3,
    (
        "note/letter is/'s/was written",
        "suicide/goodbye note/letter",
        "written/wrote/writing my/a note/letter",
    ),
)
SELF_HARM_WEAK = Cues(
    "self_harm_hint",
    1,
    (
        "at/on the station/platform/tracks/railway/line",
        "{i_will} ...1 do it {end}",
        "{i_will} ...1 do it ...1 i_mean_it/this_time/tonight",
        "can't/cant go on",
        "goodbye/bye_forever",
    ),
)
PRESSURE = Cues(
    "pressure",
    2,
    (
        "if {you_any}/{your_any}",
        "without {you_any}",
        "{your_any} choice/call/fault/decision/conscience/hands",
        "because of {you_any}",
        "it was {you_any}",
        "{you_any} drove/made/pushed me",
        "on {your_any} hands/head/conscience",
        "answer/pick_up/reply/ring/call/text/come_back/come_home ...2 or",
        "or i",
        "pick up/up_the_phone",
        "everyone/everybody will know",
        "{you_any} did this",
        "hope {youre} happy",
        "tell the kids/children",
        "if/when {you_any} leave/go/block/ignore",
        "block/leave/ignore/dump me and",
        "up to {you_any}",
        "{you_any} made me do",
        "say the word",
        "happy now",
        "it'll/it_will/will be on {you_any}",
        "remember that/this {end}",
        "it's/its/it_is on {you_any}",
        "because of what {you_any}",
        "{you_any} ...1 regret leaving/going/this/it",
        "come back/home",
        "answer/ring/call/text me {end}",
        "want/wanted me gone/dead/out_of_the_way",
        "ruined/wrecked/destroyed my life",
        "you've/u've/youve/uve/you_have/u_have/you left me",
    ),
)
SELF_HARM_BLOCKERS = Cues(
    "not_self_harm",
    0,
    (
        "end/ending/ended it ...1 with",
        "with food/water/milk",
        "doctor/gp/pharmacy/pharmacist/prescription/prescribed/chemist/dose/hours",
        "jump/jumping in/into/on the shower/bath/car/train/bus/pool/call/bandwagon",
        "myself a/an/some",
        "tell {you_any} myself",
    ),
)
SELF_HARM = ScoredRule(
    name="self_harm.scored",
    tag=Tag.SELF_HARM_PRESSURE,
    description=(
        "Scored: talk of ending their life or harming themselves (pills, a bridge, 'not being "
        "here'), tied to what you do ('if you leave', 'your choice', 'pick up')."
    ),
    acts=(SELF_HARM_ACTS, SELF_HARM_WEAK, SELF_HARM_ITSELF),
    frames=(PRESSURE,),
    blockers=SELF_HARM_BLOCKERS,
    vetoes=frozenset({Tag.SELF_HARM_PRESSURE}),
    reach=2,
)

VIOLENCE = ScoredRule(
    name="threat.scored",
    tag=Tag.THREAT_OF_VIOLENCE,
    description=(
        "Scored: harm (named or hinted), aimed at you or yours, framed as menace (the future, a "
        "condition, a warning or 'be a shame if...'), in one or two sentences."
    ),
    acts=(CONTEST_VERBS, CONTEST_OUTCOMES, HARM_VERBS, VEILED_ACTS, SECURITY, MENACE_ITSELF),
    frames=(FRAME_FUTURE, FRAME_MENACE),
    targets=TARGETS,
    blockers=THREAT_BLOCKERS,
    denials=DENIALS,
    conditions=CONDITIONS,
    context=CONTEXT,
    idiomatic=frozenset({CONTEST_VERBS.name, CONTEST_OUTCOMES.name}),
    yields_to=frozenset({Tag.THREAT_OF_SEXUAL_VIOLENCE}),
    yields_within=frozenset({Tag.SELF_HARM_PRESSURE}),
    vetoes=frozenset({Tag.THREAT_OF_VIOLENCE, Tag.THREAT_OF_SEXUAL_VIOLENCE}),
)

# In this order: violence yields to the other two.
SCORED_RULES: tuple[ScoredRule, ...] = (SEXUAL, SELF_HARM, VIOLENCE)
