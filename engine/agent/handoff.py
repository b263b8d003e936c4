"""When a person must take over: `should_handoff(signals) -> HandoffDecision`, with a categorized reason.

Rules, first match wins (the category names what the inbox shows and analytics count):

- explicit_request: the customer asks for a human, in any phrasing we know (engine.agent.intents).
- topic: the message is about one of the tenant's configured handoff topics (refund disputes, legal threats,
  medical questions…). Configured topics are free text; each is mapped to a built-in lexicon by its words
  ("injury, foot pain or medical advice" → medical), and a topic we have no lexicon for matches when the
  message contains its content words.
- frustration: one strongly frustrated or abusive message (or the tenant's choice: a button offering a
  person instead), or two milder signals in this conversation session — a mildly frustrated message, or the
  bot giving the customer the same answer again. One bad moment gets an apology, a second one a person.
- model: the model itself asked for a person (AgentTurn.handoff), with its reason.
- no_answer / low_confidence: nothing could answer the request, or the turn's confidence is under the
  tenant's threshold.
- repeated_low_confidence: N turns in a row (the tenant's max_low_confidence_turns) answered in the "unsure"
  band just above the threshold (threshold to threshold + UNSURE_MARGIN): each is sent, but a run of them
  means the bot is not getting there.

The message signals (wants a person, frustrated, legal, medical or safety, abuse) come from
engine.agent.classify: lexicons per language and, for English, a classifier fitted on labelled exemplars'
vectors from the local embedding model. A signal class counts for a topic only when the tenant has that
topic on (Persona → Handoff; new tenants start with the sensitive ones on,
engine.agent.persona.DEFAULT_HANDOFF_TOPICS).

Pure functions: the pipeline gathers the signals and applies the decision (conversation status, the notice).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from rapidfuzz import fuzz

from engine.agent.classify import MessageSignals, lexicon_signals, lexicons, shouting
from engine.agent.intents import classify
from engine.agent.language import locale
from engine.catalog.text import STOPWORDS, fold, stem
from engine.models.base import zone_or_utc

UNSURE_MARGIN = 0.15
FRUSTRATED_MESSAGES = 2


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


# Built-in lexicons for sensitive topics (folded text). Each is a *situation*, not a word: "how do refunds
# work?" is a FAQ, "you still haven't refunded me" is a dispute.
TOPIC_LEXICON: dict[str, re.Pattern[str]] = {
    "refund_dispute": _rx(
        r"\b(still|never|havent|have not|hasnt|didnt|did not|not yet|yet to)\b[^.?!]{0,40}"
        r"\b(refund|refunded|my money)\b",
        r"\brefund\b[^.?!]{0,30}\b(refused|denied|rejected|declined|not (arrived|received|come))\b",
        r"\b(wont|will not|refuse to|refused to|wouldnt)\b[^.?!]{0,20}\b(refund|give (me )?my money)\b",
        # a dispute raised or threatened, not the word ("can I dispute nothing? lol")
        r"\b(open(ed|ing)?|fil(e|ed|ing)|rais(e|ed|ing)|start(ed|ing)?|lodg(e|ed|ing)|make|made) "
        r"(a |an |the )?dispute\b",
        r"\b(dispute|disputing) (a |the |this |that |my |your )?(charge|payment|transaction|order|bill)\b",
        r"\b(ill|i will|im going to|going to|gonna|i am|im|will|is|are|was|were) (be )?(dispute|disputing)\b",
        r"\bwant my money back\b|\bgive me my money back\b",
        r"\bwhere is my (refund|money)\b|\bbeen \d+ (days|weeks)\b[^.?!]{0,40}\brefund\b",
        r"\breembolso\b[^.?!]{0,30}\b(no|nunca|todavia)\b|\bno me (han )?(devuelto|reembolsado)\b",
        r"\bpas (ete |encore )?rembourse\b|\bnoch (kein|nicht)\b[^.?!]{0,20}\b(geld|erstattet)\b",
    ),
    "chargeback": _rx(
        r"\bcharge ?back\b|\bbank dispute\b|\b(contact|call|tell|report (it|this|you) to) my bank\b",
        r"\b(paypal|card) (claim|dispute)\b|\breverse the (charge|payment)\b",
    ),
    # The legal signal's own patterns (engine/agent/data/lexicons/<lang>.txt, [legal]): one rule for the topic
    # and the signal, in every language, with a lawyer counted in a threat ("I'm contacting my lawyer") and
    # not in a description ("my lawyer recommended your shop", "a gift for my lawyer").
    "legal": _rx(*(p.pattern for sections in lexicons().values() for p in sections.get("legal", []))),
    "medical": _rx(
        r"\b(injury|injured|injuries|pain|painful|hurts?|hurting|sore|blisters?|bleeding|swollen|swelling|"
        r"plantar|fasciitis|bunions?|sprain(ed)?|podiatrist|doctor|physio|tendon|tendonitis|achilles|"
        r"shin splints|numb|diabetic|diabetes|medical|broke my (foot|ankle|toe))\b",
        r"\b(twisted|sprained|hurt|injured|broke|rolled|cut) my "
        r"(ankle|knee|foot|feet|toe|toes|heel|back|leg)\b",
        r"\b(dolor|duele|lesion|douleur|blessure|schmerz|schmerzen|verletzt|dor|machucado|dolore)\b",
    ),
    "allergy": _rx(
        r"\b(allergy|allergic|allergies|rash|skin reaction|reaction to|itchy|itching|irritation|hives|"
        r"eczema|burning skin)\b",
        r"\b(alergia|alergico|allergie|allergique|allergisch|allergia)\b",
    ),
    "abuse": _rx(
        r"\b(f+u+c+k+(ing|ed|er)?|shit|bitch|bastard|asshole|dickhead|cunt|idiot|moron|stupid bot)\b",
        r"\b(i will|ill|im going to|gonna) (find|hurt|kill|destroy|come for) (you|u)\b|\bthreat(en)?\b",
        r"\b(puta|mierda|gilipollas|putain|merde|connard|scheisse|arschloch|porra|caralho|cazzo|stronzo)\b",
    ),
    "data_privacy": _rx(
        r"\b(delete|erase|remove|wipe)\b[^.?!]{0,15}\b(my|all my)\b[^.?!]{0,15}\b(data|details|information|"
        r"info|account|number|personal)\b",
        r"\bgdpr\b|\bsubject access\b|\bdata (request|protection|breach)\b|\bwhat data do you (have|hold)\b",
        r"\b(borrar|eliminar) mis datos\b|\bsupprimer mes (donnees|informations)\b|\bmeine daten\b",
    ),
    "wholesale": _rx(
        r"\b(wholesale|bulk (order|buy|purchase|discount)|trade (account|price|pricing)|team order|"
        r"corporate order|resell|reseller|b2b)\b",
        r"\b([2-9]\d|\d{3,}) (pairs|units|shirts|hoodies)\b|\bfor (my|our) (whole )?(team|club|squad|company|"
        r"staff|school)\b",
    ),
}
# Words in a configured topic that point at a lexicon.
TOPIC_WORDS: dict[str, tuple[str, ...]] = {
    "refund_dispute": ("refund", "dispute", "money back"),
    "chargeback": ("chargeback", "charge back", "bank"),
    "legal": ("legal", "lawyer", "regulator", "court", "solicitor", "complaint to"),
    "payment_dispute": ("payment dispute", "disputed payment", "chargeback"),
    "medical": ("medical", "injur", "pain", "health", "doctor", "podiatr"),
    "medical_safety": ("safety", "unsafe", "danger"),
    "allergy": ("allerg", "skin", "reaction", "rash"),
    "abuse": ("abus", "harass", "offensive", "rude", "threatening"),
    "data_privacy": ("data", "privacy", "gdpr", "deletion", "personal information"),
    "wholesale": ("wholesale", "bulk", "team order", "b2b", "trade"),
    "human": ("human", "person", "agent", "staff", "someone"),
}
# Which configured topic categories let a classifier signal hand off ("legal threat" → the legal signal).
SIGNAL_TOPICS: dict[str, frozenset[str]] = {
    "legal": frozenset({"legal", "chargeback", "payment_dispute"}),
    "medical_safety": frozenset({"medical", "medical_safety", "allergy"}),
    "abuse": frozenset({"abuse"}),
}
FRUSTRATION = _rx(
    r"\b(ridiculous|useless|pathetic|a joke|rubbish|terrible|awful|worst|hopeless|fed up|sick of|annoyed|"
    r"annoying|angry|furious|livid|frustrat\w*|unbelievable|waste of (my )?time|wtf|ffs|"
    r"come on|are you (even )?listening|(not|isnt|wasnt|no) (helpful|help)|doesnt help|you dont understand|"
    r"makes no sense|i (already|just) (told|said|asked)|for the (second|third|fourth|last) time|"
    r"how many times|still nothing|nobody (cares|helps)|disgrace(ful)?|shocking)\b",
    r"\b(seriously|again)\s*\?",
    r"\b(ridiculo|inutil|harto|harta|enfadado|vergonzoso|nul|inadmissible|marre|ridicule|lacherlich|"
    r"unverschamt|nervig|sauer|absurdo|ridicolo|vergogna)\b",
    r"[!?]{3,}|(?:😡|🤬|😤|😠|🙄|💢)",
)


@dataclass(frozen=True)
class HandoffSignals:
    """What the pipeline knows about the turn when deciding."""

    text: str  # this burst, sanitized (one message per line)
    confidence: float
    threshold: float = 0.55
    topics: Sequence[str] = ()
    max_low_confidence_turns: int = 2
    low_confidence_turns: int = 0  # consecutive unsure turns before this one
    recent_customer_messages: Sequence[str] = ()  # earlier messages of this session, oldest first
    model_handoff: bool = False
    model_reason: str | None = None
    answered: bool = True  # False: nothing (knowledge, catalogue, model) could answer a request
    social_only: bool = False  # greeting/thanks only: confidence means nothing
    intents: Sequence[str] = ()
    # engine.agent.classify per message of this burst; None: the lexicon layer is run here on `text`
    signals: Sequence[MessageSignals] | None = None
    previous_signals: Sequence[MessageSignals] | None = None  # of recent_customer_messages, when known
    repeated_answer: bool = False  # the bot gave this customer the same answer twice this session
    frustration_action: str = "handoff"  # "handoff" | "offer": a button offering a person instead
    tapped_person: bool = False  # the customer tapped the offered "talk to a person" button


@dataclass(frozen=True)
class HandoffDecision:
    needed: bool
    category: str | None = None
    reason: str | None = None
    topic: str | None = None
    low_confidence_turns: int = 0  # the conversation's counter after this turn
    frustrated_messages: int = 0
    checks: dict[str, Any] = field(default_factory=dict)
    offer_person: bool = False  # no handoff, but the reply offers a person with a button

    def to_dict(self) -> dict[str, Any]:
        return {
            "offer_person": self.offer_person,
            "needed": self.needed,
            "category": self.category,
            "reason": self.reason,
            "topic": self.topic,
            "low_confidence_turns": self.low_confidence_turns,
            "frustrated_messages": self.frustrated_messages,
        }


def explicit_request(text: str) -> bool:
    """The customer asks for a person (any line of the burst)."""
    return any(name == "human_request" for line in _lines(text) for name, _ in classify(line))


def _lines(text: str) -> list[str]:
    return [line for line in (text or "").split("\n") if line.strip()] or [text or ""]


def topic_categories(topic: str) -> list[str]:
    """The built-in lexicons a configured topic points at ("refund dispute" → refund_dispute).

    "Medical or safety concerns" means harm (an injury, a fire, a reaction), not every mention of pain:
    a topic naming safety takes the narrower classifier signal, not the broad medical lexicon."""
    folded = fold(topic)
    found = [name for name, words in TOPIC_WORDS.items() if any(w in folded for w in words)]
    if "medical_safety" in found and "medical" in found:
        found.remove("medical")
    return found


def _lexicon(category: str) -> re.Pattern[str] | None:
    return TOPIC_LEXICON.get(category)


def _topic_words(topic: str) -> list[str]:
    return [stem(w) for w in re.findall(r"[a-z]{4,}", fold(topic)) if w not in STOPWORDS]


def matched_topic(text: str, topics: Sequence[str]) -> tuple[str, str] | None:
    """(the configured topic, the lexicon or "words") the message is about, or None."""
    folded = fold(text)
    words = [stem(w) for w in re.findall(r"[a-z0-9]+", folded)]
    for topic in topics:
        categories = [c for c in topic_categories(topic) if c != "human"]
        for category in categories:
            pattern = _lexicon(category)
            if pattern is not None and pattern.search(folded):
                return topic, category
        if categories or "human" in topic_categories(topic):
            continue
        wanted = _topic_words(topic)
        if not wanted:
            continue
        present = sum(1 for w in wanted if any(fuzz.ratio(w, m) >= 85 for m in words if len(m) >= 4))
        needed = len(wanted) if len(wanted) <= 2 else -(-2 * len(wanted) // 3)
        if present >= needed:
            return topic, "words"
    return None


def is_frustrated(message: str) -> bool:
    """Frustration in one message: the lexicon, angry emoji, "!!!", or shouting (mostly capitals)."""
    if FRUSTRATION.search(fold(message)) or FRUSTRATION.search(message):
        return True
    return shouting(message)  # the classifier's rule, so the two layers agree on what shouting is


def signal_topic(signals: Sequence[MessageSignals], topics: Sequence[str]) -> tuple[str, str] | None:
    """(the configured topic, the signal class) a classifier signal hands off for, or None."""
    shown = {name for s in signals for name in s.classes}
    for name, categories in SIGNAL_TOPICS.items():
        if name not in shown:
            continue
        for topic in topics:
            if categories & set(topic_categories(topic)):
                return topic, name
    return None


def _frustration_points(signal: MessageSignals, text: str) -> int:
    """2 for a strong or abusive message, 1 for a mild one (the classifier or the older lexicon)."""
    if signal.frustration == "strong":
        return 2
    return 1 if signal.frustration == "mild" or is_frustrated(text) else 0


def should_handoff(signals: HandoffSignals) -> HandoffDecision:
    """The decision for one turn (see the module docstring for the rules and their order)."""
    text = signals.text
    checks: dict[str, Any] = {}
    current = _lines(text)
    now_signals = (
        list(signals.signals) if signals.signals is not None else [lexicon_signals(m) for m in current]
    )
    before = list(signals.recent_customer_messages)
    before_signals = (
        list(signals.previous_signals)
        if signals.previous_signals is not None and len(signals.previous_signals) == len(before)
        else [lexicon_signals(m) for m in before]
    )
    # Earlier messages count once each (a strong one already had its chance to hand off or offer).
    earlier = sum(1 for sig, m in zip(before_signals, before, strict=True) if _frustration_points(sig, m))
    texts_now = current if len(current) == len(now_signals) else [text] * len(now_signals)
    points_now = max(
        (_frustration_points(sig, m) for sig, m in zip(now_signals, texts_now, strict=True)), default=0
    )
    frustrated = earlier + (1 if points_now else 0) + (1 if signals.repeated_answer else 0)
    strong = points_now >= 2
    checks.update(
        frustrated_messages=frustrated,
        strong_frustration=strong,
        repeated_answer=signals.repeated_answer,
        signals=[s.to_dict() for s in now_signals if s.classes],
    )

    low_turns = signals.low_confidence_turns
    threshold = signals.threshold
    unsure = threshold <= signals.confidence < threshold + UNSURE_MARGIN
    if not signals.social_only:
        low_turns = low_turns + 1 if unsure else 0
    checks["unsure"] = unsure and not signals.social_only

    def decide(category: str, reason: str, topic: str | None = None) -> HandoffDecision:
        return HandoffDecision(
            True,
            category,
            reason[:255],
            topic,
            low_confidence_turns=low_turns,
            frustrated_messages=frustrated,
            checks=checks,
        )

    wants_person = any("wants_person" in s.classes for s in now_signals)
    if signals.tapped_person or explicit_request(text) or wants_person:
        return decide("explicit_request", "the customer asked for a person")
    found = matched_topic(text, signals.topics) or signal_topic(now_signals, signals.topics)
    if found is not None:
        return decide("topic", f"sensitive topic: {found[0]}", topic=found[0])
    if strong or frustrated >= FRUSTRATED_MESSAGES:
        why = "strongly frustrated" if strong else f"{frustrated} signals"
        if signals.frustration_action == "offer":
            return HandoffDecision(
                False,
                low_confidence_turns=low_turns,
                frustrated_messages=frustrated,
                checks=checks,
                offer_person=True,
            )
        return decide("frustration", f"the customer is frustrated ({why})")
    if signals.model_handoff:
        why = (signals.model_reason or "no reason given").strip()
        return decide("model", f"the model asked for a person: {why}")
    if not signals.social_only:
        if not signals.answered:
            return decide("no_answer", "nothing in the knowledge base or catalogue answered the request")
        if signals.confidence < threshold:
            return decide("low_confidence", f"low confidence ({signals.confidence:.2f} < {threshold:.2f})")
        if low_turns >= max(1, signals.max_low_confidence_turns):
            return decide(
                "repeated_low_confidence",
                f"{low_turns} unsure answers in a row (confidence under {threshold + UNSURE_MARGIN:.2f})",
            )
    return HandoffDecision(
        False, low_confidence_turns=low_turns, frustrated_messages=frustrated, checks=checks
    )


# ----------------------------------------------------------------------------------- the customer is told

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def team_availability(business_hours: dict[str, Any], now: datetime) -> tuple[bool, str | None]:
    """(is the team working now, when it next starts as "at 08:00 on Monday"); (True, None) when the tenant
    set no hours."""
    weekly = (business_hours or {}).get("weekly")
    if not weekly:
        return True, None
    local = now.astimezone(zone_or_utc(str(business_hours.get("timezone") or "UTC")))
    hhmm = local.strftime("%H:%M")
    for start, end in weekly.get(_DAYS[local.weekday()]) or []:
        if start <= hhmm < end:
            return True, None
    for offset in range(0, 8):
        day = local + timedelta(days=offset)
        for start, _end in sorted(weekly.get(_DAYS[day.weekday()]) or []):
            if offset == 0 and start <= hhmm:
                continue
            when = (
                "today" if offset == 0 else ("tomorrow" if offset == 1 else f"on {_DAY_NAMES[day.weekday()]}")
            )
            return False, f"at {start} {when}"
    return False, None


NOTICES = {
    "explicit_request": "Of course — I'm passing you to a member of our team now. They'll reply right here",
    "topic": "This is one for a member of our team, so I've passed your message on. They'll reply right here",
    "frustration": (
        "I'm sorry this has been frustrating. I've asked a member of our team to take over; they'll reply "
        "right here"
    ),
    "default": "I've passed your message to a member of our team, who will reply right here",
}


def handoff_notice(
    category: str | None,
    business_hours: dict[str, Any],
    now: datetime,
    *,
    missing: Sequence[str] = (),
    answered_something: bool = False,
    language: str = "en",
) -> str:
    """What the customer is told when a person takes over, with when the team is back if it is closed.

    `missing`: the requests nothing could answer (named when others in the same reply were answered).
    `language`: other languages read their wording from engine/locales.
    """
    open_now, next_open = team_availability(business_hours, now)
    if (language or "en") != "en" and locale(language) is not locale("en"):
        words = locale(language)["handoff"]
        ending = (
            words["open"]
            if open_now
            else (words["closed"].format(when=next_open) if next_open else words["closed_unknown"])
        )
        return str(words.get(category or "", words["default"])) + ending
    when = (
        " shortly."
        if open_now
        else (f" when the team is back, {next_open}." if next_open else " as soon as they can.")
    )
    if category in ("no_answer", "low_confidence") and missing:
        if answered_something:
            asked = "; ".join(f"“{_short(m)}”" for m in missing)
            return (
                f"I don't have the answer to {asked} right now, so I've passed it to a member of our team, "
                f"who will reply right here{when}"
            )
        return (
            "Thanks for your message. I don't have the answer to that right now, so I've passed it to a "
            f"member of our team, who will reply right here{when}"
        )
    return NOTICES.get(category or "", NOTICES["default"]) + when


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


__all__ = [
    "FRUSTRATED_MESSAGES",
    "HandoffDecision",
    "HandoffSignals",
    "TOPIC_LEXICON",
    "UNSURE_MARGIN",
    "explicit_request",
    "handoff_notice",
    "is_frustrated",
    "matched_topic",
    "should_handoff",
    "signal_topic",
    "team_availability",
    "topic_categories",
]
