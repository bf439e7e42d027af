"""Rules for threats (of violence, of sexual violence), self-harm pressure and breach of an order.

Decision on threats by denial: words that deny the act in the same breath ("I would never hurt
you", "I'm not going to kill you") are NOT tagged as a threat, because the tag would tell the
person the message threatens them when its words say the opposite, and Safetrail cannot hear the
tone. A denial that carries a condition or a delay IS tagged ("I'm not going to hurt you... yet",
"I won't hurt you as long as you do what I say"), because the condition is the threat. The person
can always add a tag to any message themselves.

Jokes between friends ("I'll kill you if you spoil it 😂") are deliberately not filtered out by
laughter or emoji: people who cause harm write "lol" too, and a missed threat costs more than a
tag the person rejects.

Self-harm pressure is tagged even when denied ("I'm not saying I'll kill myself but..."): the
mention itself is the pressure, and missing it costs more than a tag the person rejects.
"""

from __future__ import annotations

from safetrail.analysis.model import Tag
from safetrail.analysis.rules_phrase import Rule

HARM_VERBS = (
    "kill/murder/hurt/stab/batter/strangle/choke/shoot/beat/punch/slap/kick/burn/knife/glass/"
    "deck/throttle/drown/end/destroy/finish/smash/break/bury/hunt/maim/cut/slice/torture/"
    "hospitalise/paralyse/slit/knock/bash/cave/snap/rip/wreck/hit/thump/floor/leather/"
    "kneecap/belt/waste/torch/petrol/acid/run_over"
)
# What follows "I'll beat/cut/shoot you" in everyday speech: games, favours, messages.
NOT_VIOLENT = (
    "some_slack/a_deal/a_break/a_slice/a_piece/a_text/a_message/an_email/a_line/a_dm/a_link/"
    "over/in/to_it/there/home/first/up_a/at_mario/at_cod/at_fortnite/at_chess/at_fifa/"
    "at_pool/at_darts/at_tennis/"
    "at_scrabble/at_cards/at_monopoly/at_wordle/at_golf/at_squash/at_badminton/at_football/"
    "at_quiz/at_that/at_this/at_the_game"
)
BODY = (
    "face/head/teeth/legs/arms/neck/throat/skull/jaw/nose/ribs/kneecaps/knees/fingers/bones/"
    "heart/eyes/brains/body/kids/children/boyfriend/bf/fella/girlfriend/husband/wife/mum/dad/"
    "family/sister/brother/son/daughter/partner/new_boyfriend/new_fella/new_bloke/life"
)

THREAT_RULES: tuple[Rule, ...] = (
    Rule(
        name="threat.harm_you",
        tag=Tag.THREAT_OF_VIOLENCE,
        description="Says they will kill, hurt or attack you (for example 'I'll kill you').",
        phrases=(
            f"{{i_will}} ... {HARM_VERBS} {{you}} !{NOT_VIOLENT}",
            f"{{i_will}} ... {HARM_VERBS} ...2 {{your}} ...1 {BODY}",
            f"{{i_will}} ... {HARM_VERBS} his/her/their ...1 {BODY}",
            "{i_will} ... break every bone",
            "{i_will} ... beat/kick/knock the shit/crap/hell/life out_of",
            "{i_will} ... burn ...2 {your} house/flat/home/place",
            "{i_will} ... put {you} in hospital/a_box/the_ground/the_grave/a_coffin/a_wheelchair",
            "{i_will} ... make {you} suffer/bleed/scream",
            "{i_will} ... hunt {you} down",
            "{i_will} ... throw acid",
            f"{{i_will}} ... {HARM_VERBS} the/both/all/each ...2 of {{you}}",
            "{i_will} ... do {you} in",
            "{i_will} ... run {you} over/down",
            "{i_will} ... hurt/kill/get everyone/anyone/everybody {you} love/care",
            "{im} coming for {you} !at/to_pick/in/tomorrow/later/on",
            "better hope I don't/never find/see/catch/get",
            "head/face/teeth kicked/smashed/caved/punched/knocked in/out",
            "with a broken jaw/nose/leg/legs/arm/arms/neck/back",
            "end up dead",
            "{i_will} ... get {you} one_way/eventually/for_this/for_that/when_you_least",
            "want/wish/hope {you} dead/were_dead/to_die/die/dies/rot",
            "do time/prison/life/a_stretch for {you}",
            f"gonna/gunna/going_to {HARM_VERBS} {{your}} ...1 {BODY}",
            "make me ...4 hurt/kill/hit {you}",
            "{i_will} ...2 torch/burn/petrol ...2 {your}",
            "{i_will} ...2 poison {your}",
        ),
        negatable=True,
    ),
    Rule(
        name="threat.you_are_dead",
        tag=Tag.THREAT_OF_VIOLENCE,
        description="Tells you that you are dead or as good as dead ('you're dead', 'dead meat').",
        phrases=(
            "{youre} dead !tired/right/funny/good/nice/lucky/cute/late/wrong/to_me/serious/"
            "bored/jealous/gorgeous/proud/easy/sound/quiet/brave/sweet/clever/boring/on/excited/"
            "posh/chuffed",
            "{youre} a dead man/woman/girl/boy/bitch",
            "dead meat",
            "{your} days are numbered",
            "{you_will}/{youre} get/getting/be battered/beaten/stabbed/killed/smashed/done_in/"
            "slapped/hurt/bottled/glassed/what's_coming/what_you_deserve",
            "{youre} finished/toast/history/done_for/next {end}",
            "she's/he's/she_is/he_is next {end}",
            "dead when/once/as_soon_as I see/find/get/catch",
            "{youre} not/never/aren't safe",
            "{you_will} never be safe",
            "can't/cannot/won't/nobody_can/no_one_can protect {you}",
            "{you_will} end up in a_box/a_coffin/the_grave/a_grave/the_ground/hospital/"
            "a_wheelchair",
            "{you} won't live to/long/past",
            "{you_will} never walk/see/breathe/wake again",
            "{i_will} ... make sure {you} never walk/see/breathe/wake",
        ),
    ),
    Rule(
        name="threat.warning",
        tag=Tag.THREAT_OF_VIOLENCE,
        description="A menacing warning of harm to come ('watch your back', 'you'll regret it').",
        phrases=(
            "watch {your} back !on_that/on_the/it's/its/there's/theres/the_ice/in_that/"
            "when_you_lift",
            "sleep with one eye open",
            "{you} won't see me coming",
            "{you_will} regret !not/missing/it_if_you_don't",
            "make {you} pay !for_dinner/for_drinks/for_lunch/for_the_drinks/for_the_taxi",
            "{you_will} pay for this/that/what/it",
            "pay for this/that/it with {your} life",
            "{you_will} get hurt",
            "somebody/someone/people is/are/'s going_to/gonna get hurt",
            "when I get hold of {you}",
            "no idea what {im} capable of",
            "{you} won't get away",
            "wring {your} neck",
            "if I can't have {you} no_one/nobody can",
        ),
    ),
    Rule(
        name="threat.veiled",
        tag=Tag.THREAT_OF_VIOLENCE,
        description=(
            "A veiled threat: harm hinted at rather than named ('accidents happen', 'it'd be a "
            "shame if...', 'you won't see it coming')."
        ),
        phrases=(
            "accidents happen/can_happen to",
            "{your} ...1 could/might have an accident",
            "have/has an accident !at_work/in_the",
            "be a shame/pity if ...3 {your}/something/anything",
            "be a shame/pity if something/anything happened/happens",
            "something/anything bad/nasty happens/happened/happening to {you}/{your}",
            "I/i've know/got people who/that/round",
            "I know people !at/from/there/in/like/who_can_help",
            "friends/mates/people who owe me",
            "{you} won't/wont/will_never/never see it/them/us coming",
            "one eye open",
            "end up in a/the ditch/canal/river/boot/morgue/mortuary/gutter",
            "eating/eat/drinking through a straw",
            "won't/wont/never wake up",
            "nobody/no_one would/will/wouldn't miss {you}",
            "nobody/no_one would/will ever find {you}",
            "nobody/no_one will ever know",
            "{you_will} disappear/vanish",
            "{you_will} be sorry !to/that/when/you/u",
            "{youre} going_to/gonna/gunna be sorry",
            "{you_will} get what's/what_is coming",
            "what's_coming_to/what_is_coming_to {you}",
            "not {you}/{your} ...1 lucky next_time",
            "{you_will} learn the hard way",
            "or else {end}",
            "{you_will} find out what happens",
            "last warning !from_the/for_the/call/before_the",
            "final warning !from_the/for_the/call/before_the",
            "be careful/carefull walking/driving/going home/alone/at_night",
            "lovely kids/family/house/car/dog/cat {you}'ve/you_have got",
            "shame if ...2 happened to {your}",
            "{your} ...1 dog/cat/car/house/kids/mum/family would/will/won't look/be so",
            "with {you} in it",
        ),
    ),
    Rule(
        name="sexual.rape",
        tag=Tag.THREAT_OF_SEXUAL_VIOLENCE,
        description="Threatens rape or sexual assault in plain words.",
        phrases=(
            "rape/molest/grope/sexually_assault {you}",
            "rape/molest/grope {your} ...1 sister/daughter/kids/friend/mum/son",
            "{you_will} get/be raped/molested/groped",
            "{you_will} ...2 get/be raped",
        ),
    ),
    Rule(
        name="sexual.coercion",
        tag=Tag.THREAT_OF_SEXUAL_VIOLENCE,
        description="Says they will force sex or sexual acts on you against your will.",
        phrases=(
            "force myself on {you}",
            "force {you} to have/sleep/do/give",
            "make {you} have_sex/sleep_with/suck/give_me/do_things",
            "have my way with {you}",
            "have/take/make/do/be ...5 whether {you} like/want it/to ...1 or not",
            "won't/wont/not be consensual",
            "stop me having/taking/touching {you}",
            "force {you} into/onto",
            "won't/wont/can't/cant say no to me",
            "take what I want/like {end}",
            "do what I want/like to/with {you}",
            "get {you} on {your} own",
            "take what I want from {you}",
            "take what's/what_is/what_i'm mine/owed",
            "sex slave",
            "owe me sex",
            "drug {your} drink",
            "get {you} drunk and",
            "tie {you} up",
            "hold/pin {you} down",
            "take {your} clothes off",
            "nobody/no_one will hear {you} scream",
            "{you} on {your} knees",
            "pay/owe me with {your} body",
            "sleep/sleeping/shag with me or else/else",
            "{you_will} sleep with me",
            "pin {you} to/down/against",
            "scream all {you} want/like",
            "tear/rip/cut {your} clothes/knickers/top/dress off",
            "{i_will} ...2 have {you} whether",
            "{you} won't/wont be able to stop me",
            "teach {you} ...1 lesson in bed",
            "show {you} what a real man",
            "{you} know {you} want it",
            "{youre} mine whether",
            "{you_will} be begging me to stop",
            "no means yes",
        ),
    ),
    Rule(
        name="self_harm.kill_myself",
        tag=Tag.SELF_HARM_PRESSURE,
        description="Threatens suicide or self-harm, often tied to what you do ('if you leave').",
        phrases=(
            "kill/hang/hurt/harm/top/cut/stab/drown/shoot/cutting myself !laughing",
            "can't/cant/cannot go on",
            "not/won't/wont going_to? be here/around tomorrow/much_longer/by",
            "be dead by the? morning/tomorrow/tonight",
            "{i_will} ... kill/hurt {you} ...2 myself",
            "end/ending/ended it all",
            "end/ending/take/taking my own? life",
            "{i_will} ... end it {end}",
            "end it tonight/now/today/all",
            "my suicide/goodbye note/letter",
            "written/wrote/writing my note/letter",
            "throw/throwing myself under/off/in_front",
            "my death on {your}",
            "death on {your} conscience/hands/head",
            "bought/got ...2 rope",
            "no point living/going_on/being_alive/in_living",
            "slit my wrists",
            "take/taking all/every my?/the? pill/pills/tablets",
            "take/taking ...3 pills/tablets",
            "pills lined up",
            "overdose/od tonight",
            "I'll/I_will overdose",
            "jump/jumping off the/a bridge/roof/cliff/building",
            "or I jump",
            "rather/better be/off dead",
            "sorry when {im} dead/gone",
            "at my funeral",
            "blood will_be/is/'ll_be on {your} hands",
            "won't be around much longer",
            "don't/dont want to live !in/near/with/there/here/abroad/together/on/at/like",
            "can't/cant live without {you}",
            "do something stupid",
            "drive my car into",
            "standing on the edge",
            "reason {im} still alive",
            "drive/driving ...2 off a/the cliff/bridge/road",
            "{i_will} ...2 take them/it all {end}",
            "or I take them/it/the_lot/all",
            "tablets/pills in my hand",
            "not worth living",
            "{i_will} end it if/when {you}",
            "end it ...2 if/when {you} leave/go/walk/don't",
            "blood ...2 on {your} hands",
            "{you_will} have killed me",
            "won't/wont be here when {you}",
            "nothing left to live for",
            "{you_will} find me dead/hanging",
            "{you_will} ...1 miss me when {im} gone",
            "kms/kys tonight",
        ),
    ),
    Rule(
        name="order.mention",
        tag=Tag.BREACH_OF_ORDER,
        description=(
            "Mentions a court order, bail conditions or a no-contact rule: contact that does so "
            "may be a breach, which is an offence in itself."
        ),
        phrases=(
            "court/restraining/protection/non-molestation/non_molestation/nonmol/non_mol/"
            "occupation/injunction order/orders",
            "non_mol/nonmol/injunction",
            "bail conditions",
            "{your} ...1 order can't/won't/doesn't/means/changes",
            "the/this/that order says/said/can't/won't/doesn't/means/changes",
            "breach/breaching/breached me/the_order/my_order/it",
            "break/breaking/broke/breach/breaching ...1 the/my/this/your/that order/injunction/"
            "conditions/bail",
            "put/send/lock me in/to/away prison/jail/inside/away",
            "order against me",
            "piece of paper won't/can't/doesn't/wont/cant/will_not/isn't",
            "not allowed/supposed/meant to ...2 contact/message/text/call/see/be/come/talk",
            "not allowed/supposed/meant near/within/around",
            "within {num} metres/meters/miles/yards",
            "judge/court/magistrates can't/cannot/won't/said/says",
            "conditions say/says",
            "solicitor says/said I can't",
            "lock me up",
            "risk prison/jail",
            "get ...2 months/years for this",
        ),
    ),
)
