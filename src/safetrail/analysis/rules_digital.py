"""Rules for conduct at a distance: contacting, monitoring, account access, publishing,
impersonation and contact through other people (s.2A(3)(b), (c), (d) PHA 1997; Computer Misuse
Act 1990 s.1 for account access; s.7(3A) PHA for conduct through others).
"""

from __future__ import annotations

from safetrail.analysis.model import Tag
from safetrail.analysis.rules_phrase import Rule

# What "pick up" is usually about when it is not the phone.
ERRANDS = (
    "the/some/a/an/me/my/him/her/them/us/it/from/at/on/in/after/before/when/tomorrow/later/"
    "milk/bread/kids/dinner/food/pizza/tickets/parcel/your/any/anything/something/more/where/"
    "where_you/x/xx/the_kids/litter/rubbish/speed/the_pace/a_bit"
)
CONTACT_VERBS = (
    "spoke/spoken/speak/talked/talk/chatted/chat/rang/rung/ring/called/call/phoned/phone/"
    "messaged/message/texted/text/emailed/email/contacted/contact/asked/ask/told/tell/wrote/"
    "written/added/add/visited/visit/met/meet/had_a_word/been_in_touch/got_in_touch/dm'd/dmed/"
    "chatting/talking/speaking/messaging/texting/ringing/calling/emailing/phoning/writing/"
    "warned/warn/reached_out/went_to/sent/send/went_round/been_round/came_round/round_to"
)
TELLS = (
    "told/tells/tell/says/said/answered/texting/texted/messaging/messaged/replied/rang/gave/"
    "give/helpful/knows/thinks/agrees/misses/wouldn't/won't"
)
SEE_VERBS = (
    "read/reading/seen/saw/checked/checking/been_through/went_through/go_through/look/"
    "going_through/gone_through/looked_through/looking_through/check"
)
PRIVATE = (
    "messages/texts/emails/chats/whatsapps/dms/phone/phone_bill/search_history/history/"
    "call_log/call_logs/inbox/diary/notes/calls/call_history/browsing/location/snaps"
)
ACCESS_VERBS = "know/got/have/guessed/changed/reset/cracked/still_got/still_have/found/worked_out"
SECRETS = "password/passwords/passcode/pin/login/logins/log_in/details/passcodes/pins"
POST_VERBS = (
    "post/posted/posting/share/shared/sharing/upload/uploaded/uploading/leak/leaked/leaking/"
    "put/spread/publish/published/expose/show/showed/showing/print/printed/plaster"
)
AS_YOU_ACTS = (
    "replying/replied/chatting/chatted/talking/talked/messaging/messaged/texting/texted/"
    "posting/posted/writing/wrote/rang/emailed/acting/commenting/commented/account/profile/"
    "logged/signed/applied/booked/made/created/set_up/page/dms/dming/post/message/text/reply/"
    "chat/write/email/comment/talk/speak/sign"
)
NOT_SAME_AS = "know/said/like/want/wish/say/can/do/did/were/are/'re/well/usual/always/asked/go/get"

DIGITAL_RULES: tuple[Rule, ...] = (
    Rule(
        name="contacting.insists",
        tag=Tag.CONTACTING,
        description=(
            "Insists on contact or gets round blocking ('you can't block me', 'answer your "
            "phone', 'new number')."
        ),
        phrases=(
            "can't/cant/cannot block me",
            "{you} can block me",
            "unblock me",
            "blocked me",
            "new/another/different number",
            "another/different account/profile",
            "my mate's/mates/friend's/friends phone",
            "keep/kept/won't_stop/wont_stop/not_stop/never_stop calling/ringing/messaging/"
            "texting/trying/emailing/writing",
            "until/till/til/untill {you} answer/reply/pick/talk/respond/ring/call/text/speak/"
            "unblock/get_back",
            "answer {your} phone/calls/door/messages",
            "answer my calls/messages/texts",
            "answer/answering/replying/responding me",
            "ignoring/ignore my calls/messages/texts/emails",
            "reply/respond to my messages/texts/calls/emails",
            f"pick up !{ERRANDS}",
            "answer the/your/ur phone",
            "stop blocking/block me",
            "blocking me",
            "block away",
            "block me all {you} want/like",
            "pick up the/your/ur phone",
            "ignoring/ignore me",
            "reply to me",
            "reply or",
            "text/call/ring/message me back {end}",
            "text/call/ring/message me back now/right_now/immediately",
            "ring/call/text me {end}",
            "why won't/wont/don't/dont {you} reply/answer/pick/talk/text/ring/call/respond",
            "missed calls",
            "rung/called/rang/texted/messaged {you} ...1 {num} times",
            "hello hello",
            "talk to me eventually",
            "reading these/this/my_messages",
            "find another way to reach/contact/get_to/talk_to {you}",
            "reach/contact {you} another way",
            "every day/hour/night until",
            "been calling/ringing/texting/messaging ...2 all_night/all_day/for_hours/non_stop",
            "keep emailing",
        ),
    ),
    Rule(
        name="monitoring.reads_and_tracks",
        tag=Tag.MONITORING,
        description="Shows they read your messages, track your phone or watch your online life.",
        phrases=(
            f"{SEE_VERBS} ...2 {{your}} ...1 {PRIVATE}",
            "know/knew who {you} ...2 texting/talking/messaging/calling/called/ringing/speaking/"
            "texted/messaged/rang/seeing/with",
            "know {you} ...2 messaging/texting/talking/been_messaging/been_texting/liked/"
            "followed/unfollowed/called/posted",
            "{you} were online/active",
            "{your} whatsapp/status says",
            "last seen",
            "saw/seen {you} read/viewed/liked/typing/online/were_online",
            "{you} liked his/her/their photo/pic/post/picture/status",
            "see/saw/know who {you} follow/followed/added/message",
            "liking {your}",
            "snap map/maps",
            "find_my iphone/friends/app/device",
            "checking/checked/check/stalking/stalked {your} insta/instagram/facebook/page/"
            "profile/stories/story/twitter/tiktok/snap/strava",
            "read/seen/saw everything",
            "track/tracking/tracked {your} phone/location/car",
            "{your} location shared/sharing",
            "{your} private story",
            "what {you} search/searched/posted/google/bought/ordered/watched/liked/listened",
            "copy of every",
            "texts/messages between {you}",
            "profile pic/picture/photo at",
            "{you} read my message at",
            "see everything {you} search/send/type/post/write",
            "see/read/seen every/all ...1 message/messages/text/texts/email/emails {you} send/get/"
            "write/type",
            "saw/seen/see/checked/noticed on {your} strava/insta/instagram/facebook/story/stories/"
            "status/snap/snapchat/location",
            "read/seen/saw every/all ...1 message/messages/text/texts/email/emails/chat/chats/"
            "dm/dms",
            "deleted {your} messages/texts/chats/history",
            "location says/shows",
            "who's/who_is ...1 viewing/liking/following/messaging/commenting_on {your}",
            "{your} typing",
            "see/know what {you} watch",
        ),
    ),
    Rule(
        name="account.access",
        tag=Tag.ACCOUNT_ACCESS,
        description="Says they know your passwords or got into your accounts or devices.",
        phrases=(
            f"{ACCESS_VERBS} ...2 {{your}} ...2 {SECRETS}",
            f"{{your}} ...2 {SECRETS} is/are/was",
            f"{ACCESS_VERBS} ...2 {SECRETS} on/for/to/of {{your}}",
            "got/get/broke/hacked/been into {your} @service",
            "logged/log/logging/signed into/in_to/onto/in {your} @service",
            "in {your} ...1 account",
            "hacked {your}",
            "access to ...1 {your} ...1 @service",
            f"{SECRETS} for/to {{your}}",
            "{im} in {your} @service",
            "still logged in",
            "never logged out",
            "locked {you} out",
            "deleted {your} @service",
            "from {your} account/email",
            "app on {your} phone/laptop/computer",
            "used/using {your} apple_id/icloud/login/account",
            "{your} ...1 @service is/'s still logged/open/signed",
            "{your} outlook/email/gmail/account is open",
            "{your} ring/doorbell/camera/alexa/nest ...1 app",
            "into {your} phone/laptop/computer",
            "logged in as {you}",
        ),
    ),
    Rule(
        name="publishing.exposes",
        tag=Tag.PUBLISHING,
        description="Threatens to publish, or says they published, material about you.",
        phrases=(
            f"{POST_VERBS} ...2 {{your}} ...1 @media",
            f"{POST_VERBS} ...3 @media {{you}} ...2 sent",
            "sent/send/sending/showed/show the ...1 video/pics/photos/screenshots/nudes to {your}",
            "send/sent/sending/forward/forwarded/email/emailed ...2 {your} ...1 photos/pics/"
            "pictures/nudes/videos/video/screenshots/messages to",
            "uploaded the video/pics/photos",
            "put/post it/them/everything/it_all ...2 on youtube/facebook/tiktok/insta/instagram/"
            "twitter/reddit/onlyfans/online/the_internet",
            "{your} @media are/is/going/will/'ll going/go/be/on/up/online",
            "all over the internet/facebook/tiktok/insta/town",
            "go/going/goes public/viral",
            f"{POST_VERBS}/putting ...3 @media of {{you}} everywhere/online/on/to/all_over",
            f"{POST_VERBS}/putting {{your}} ...1 @media online/everywhere/on/up",
            "everyone/everybody will/gonna/gunna/is_going_to see {your} @media",
            "tag {your} ...2 in {your} @media",
            "everyone/everybody ...4 gonna/gunna/will/going_to see ...1 them/those/your/ur/the "
            "pics/photos/pictures/nudes/video/videos",
            "put/post/upload/uploading/posting ...2 the/your/ur/those/them video/videos/pics/"
            "pictures/photos/nudes online/everywhere/on_the_internet",
            "video/videos/pics/photos/pictures/nudes/screenshots ...2 going/go/goes online/"
            "everywhere/public/viral",
            "everyone/everybody sees",
            "everyone/everybody will/'s_going_to/is_going_to/gonna see/know/find_out "
            "!the_fireworks/the_new/the_kitchen/the_garden/the_view",
            "tell/told everyone/everybody/the_whole_town/the_world/the_whole_world/"
            "all_your_friends ...3 "
            "what/who/how {you}/{youre}",
            "let ...3 know what/who {you}/{youre}",
            "expose/exposing/exposed {you}",
            "page/post/video/blog/review/thread/tiktok/account/group/story about {you}",
            "send/show/sending/showing everyone/everybody ...2 the/your/those screenshots/pics/"
            "photos/video/videos/nudes/messages/texts",
            "posted/posting/wrote/writing about {you}",
            "posted/posting/wrote/writing ...2 about what {you}",
            "dating site/sites",
            "for everyone/everybody/all to see",
            "for the world/whole_town to see",
            "for {your} ...1 family/friends/boss/mum to see",
            "share/shared/sharing/send/sent ...3 with the_whole_world/everyone/the_world",
        ),
    ),
    Rule(
        name="impersonation.as_you",
        tag=Tag.IMPERSONATION,
        description="Says they pretended to be you, or made accounts or messages as you.",
        phrases=(
            "pretend/pretending/pretended/pretends/posing/posed/posting/impersonating/"
            "impersonated to? be? as? {you}/her/him/them",
            "made/making/set_up/setup/created/opened/ordered/got/signed/took_out/registered "
            "...4 in {your} name",
            "using/used {your} name/photos/pics/identity/details",
            f"{AS_YOU_ACTS} ...4 as {{you}} !{NOT_SAME_AS}",
            "from {your} number/phone/account/email",
            "told/said ...2 I was {you}",
            "pretending/pretended/claiming/claimed/saying I was/am/were {you}",
            "think/thinks ...2 talking/chatting/messaging/speaking to/with {you}",
            "fake ...2 with {your} pictures/photos/pics/name/details",
            "signed {you} up",
            "from {you} saying",
            "{your} ...2 account is me",
            "think/thinks/thought it's/its/it_is {you}",
        ),
    ),
    Rule(
        name="third_party.contacts_others",
        tag=Tag.THIRD_PARTY_CONTACT,
        description="Contacts your family, friends or work, or passes messages through them.",
        phrases=(
            f"{CONTACT_VERBS} ...2 {{your}} ...1 @person",
            f"{{your}} ...1 @person ...1 {TELLS}",
            "tell/let her/him ...1 I !said_hi/said_happy/said_well/said_thanks/said_congrats/"
            "said_hello/said_good_luck",
            "tell/let her/him know",
            "tell/ask her/him to",
            "tell ...1 to unblock/answer/call/ring/reply/text/message",
            "turn up at {your} ...1 @person",
            "sent/send/sending/showed/show/forwarded ...3 to {your} ...1 @person",
            "everyone in {your} family",
        ),
    ),
)
