"""Rule-based multi-intent detection: a burst of messages split into the requests it contains, prioritized.

Why rules beside the LLM: the model also returns intents, but the offline provider has none, the prompt is
better when it lists what the customer asked ("answer these three things"), the handoff rules need a verdict
that does not depend on a model, and the quality set must be reproducible. The rules are deliberately about
*phrasing* (in English and the everyday phrasing of Spanish, French, German, Portuguese and Italian
customers); what the customer names (a product, a service) comes from the catalogue matcher, passed in.

Pipeline: messages → segments (sentences, and clauses joined by "and can you…", "also", "btw") → at most one
substantive intent per segment plus social ones (greeting, thanks) → merged so that no request appears twice
(same intent and same target) → sorted urgent and blocking first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from engine.catalog.text import fold

# priority: lower is answered first. Urgent and blocking: a person is wanted, something went wrong, money or
# an order is stuck; then what the customer is about to do (book, buy); then information; then small talk.
PRIORITY: dict[str, int] = {
    "human_request": 0,
    "complaint": 1,
    "forgot": 1,
    "payment_issue": 2,
    "order_status": 2,
    "cancel_order": 2,
    "refund_return": 3,
    "appointment": 4,
    "product_inquiry": 5,
    "service_inquiry": 5,
    "sizing": 6,
    "delivery": 6,
    "store_hours": 6,
    "store_location": 6,
    "payment": 6,
    "faq": 7,
    "affirm": 8,
    "deny": 8,
    "other": 8,
    "greeting": 9,
    "thanks": 9,
    "goodbye": 9,
    "frustration": 9,
}
SOCIAL = frozenset({"greeting", "thanks", "goodbye", "frustration"})
URGENT = frozenset({"human_request", "complaint", "forgot", "payment_issue"})
LABELS: dict[str, str] = {
    "human_request": "Speaking to the team",
    "complaint": "Your problem",
    "forgot": "Your earlier question",
    "payment_issue": "Your payment",
    "order_status": "Your order",
    "cancel_order": "Changing your order",
    "refund_return": "Returns and refunds",
    "appointment": "Your appointment",
    "product_inquiry": "Product",
    "service_inquiry": "Service",
    "sizing": "Sizing",
    "delivery": "Delivery",
    "store_hours": "Opening hours",
    "store_location": "Our stores",
    "payment": "Payment",
    "faq": "Your question",
    "other": "Your message",
}


def _rx(*parts: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in parts))


# Patterns run on folded text (lowercase, no accents, no apostrophes: "where's" -> "wheres").
# Each pattern has a weight: the strongest match in a segment names its intent.
PATTERNS: dict[str, list[tuple[re.Pattern[str], float]]] = {
    "human_request": [
        (
            _rx(
                r"\b(speak|talk|chat|speaking|talking)\s+(to|with)\s+(a\s+|an\s+|some\s+|your\s+|the\s+)?"
                r"(real\s+|actual\s+|live\s+)?(human|person|people|someone|somebody|agent|rep|representative|"
                r"staff|manager|operator|advis[oe]r|team|member of staff|customer service)",
                r"\b(real|actual|live)\s+(human|person|people|agent)\b",
                r"\b(human|person|agent|operator|representative|manager)\s*(pl[sz]|please|now|asap)\b",
                # ...but not a thing for people: "a human-sized beanbag", "a human hair wig"
                r"\b(get|want|need|give)\s+(me\s+)?(a\s+|an\s+)?(human|person|manager|real person)\b"
                r"(?![-\w]|\s+(hair|sized?|readable|resources|body|skin|rights|being))",
                r"\b(put|transfer|connect|pass)\s+me\s+(through|over|on)?\s*(to|with)\b",
                r"\b(not|dont want|stop)\s+(talking to\s+)?(a\s+|the\s+|this\s+)?(bot|robot|machine|ai)\b",
                r"\bescalate\b|\bcall me( back)?\b|\bcan someone (call|ring|contact)\b",
                r"\b(manager|supervisor|human|real person|someone|somebody)\b[^.?!]{0,25}"
                r"\b(talk|speak|chat)\b",
                r"^\s*(human|agent|operator|representative|person|staff)\s*[.!?]*\s*$",
                r"\bhablar con (una |un |alguien|algun)|\b(persona|humano|agente|asesor) (real|por favor)\b",
                r"\b(quiero|necesito) (una persona|un humano|un agente|un asesor|hablar con)",
                r"\bparler (a|avec) (un |une |quelqu)|\b(un vrai|une vraie) (humain|personne)\b",
                r"\b(mit )?(einem|einer) (mensch|menschen|mitarbeiter|mitarbeiterin|person)\b.*\bsprechen\b",
                r"\b(echten|echte) (mensch|menschen|person)\b",
                # the attendant asked for, not described ("o atendente da loja foi otimo", "il vostro
                # operatore e stato gentilissimo": a verb of being soon after the word)
                r"\bfalar com (um |uma |alguem)|\bpessoa real\b",
                r"\batendente\b(?![^.?!]{0,25}\b(foi|e|era|esta|estava|sao|foram|tem sido)\b)",
                r"\bparlare con (un |una |qualcuno)",
                r"\boperatore\b(?![^.?!]{0,25}\b(e|era|sono|erano|ha|sembra)\b)",
            ),
            1.0,
        )
    ],
    "forgot": [
        (
            _rx(
                r"\b(did you|you|u|did u) (forget|forgot|miss|ignore|ignored|skip|skipped)\b",
                r"\b(forgot|forgotten|ignored|missed|skipped) (about )?(my|me|the)\b",
                r"\b(you|u) (didnt|did not|never|havent|have not) (answer|reply|respond|get back)",
                r"\bstill (waiting|no (answer|reply|response))\b|\bno one (answered|replied)\b",
                r"\b(what about|any (news|update) on) my (other |first |earlier |previous )?question\b",
                r"\b(te )?olvidaste\b|\bolvido mi\b|\btu as oublie\b|\bvous avez oublie\b|\bvergessen\b",
                r"\bvoce esqueceu\b|\besqueceu\b|\bti sei dimenticato\b",
            ),
            1.0,
        )
    ],
    "complaint": [
        (
            _rx(
                r"\b(arrived|came|is|was|are|were|got it|received( it)?)\s+(broken|damaged|ripped|torn|"
                r"faulty|defective|dirty|wet|used|late|crushed)\b",
                r"\b(broken|damaged|ripped|torn|faulty|defective|falling apart|coming apart|fell apart|"
                r"came apart|split|peeling|squeak(ing|s)?|leak(ing|s)?)\b",
                r"\bwrong (item|size|colou?r|product|order|shoes|pair)\b|\bsent (me )?the wrong\b",
                r"\b(never|hasnt|has not|havent|have not|didnt|did not|still not) (arrived|come|turned up|"
                r"been delivered|received|got)\b|\bnot (arrived|received|delivered) yet\b",
                r"\b(complain|complaint|unacceptable|disgusted|appalling|terrible service|awful service)\b",
                r"\b(roto|rota|danado|defectuoso|abime|casse|defekt|kaputt|beschadigt|quebrado|rotto)\b",
                r"\bno (ha )?llegado\b|\bpas (encore )?(arrive|recu)\b|\bnicht angekommen\b|\bnao chegou\b",
            ),
            0.9,
        )
    ],
    "payment_issue": [
        (
            _rx(
                r"\b(charged|billed) (me )?(twice|double|two times|wrong|too much)\b|\bdouble charged\b",
                r"\b(payment|card|transaction)s? (was |got |keeps (getting )?|is )?(declined|refused|failed|"
                r"rejected|not going through|wont go through)\b",
                r"\bpending (charge|payment)\b|\btaken (the )?money\b|\bmoney (was )?taken\b",
                r"\bcobrado dos veces\b|\bdebite deux fois\b|\bzweimal abgebucht\b|\bcobrado duas vezes\b",
            ),
            0.95,
        )
    ],
    "order_status": [
        (
            _rx(
                r"\bwhere(s| is| are)? (is )?(my|our|the) (order|parcel|package|delivery|shoes|trainers|"
                r"boots|stuff|items?)\b",
                r"\b(track|tracking|trace)\b|\border status\b|\bstatus of my order\b",
                r"\b(has|have|did) (my|the) (order|parcel|package|shoes) (been )?"
                r"(shipped|dispatched|sent|left)\b",
                r"\bwhen (will|does|do|is) (my|the) (order|parcel|package|delivery|shoes|trainers|boots) "
                r"(arrive|come|get here|be (delivered|here)|ship|dispatch)",
                r"\b(any )?(news|update) on my (order|parcel|delivery)\b|\bmy order\b",
                r"\bdonde (esta|estan) mi (pedido|paquete)\b|\bmi pedido\b|\bou (est|en est) ma commande\b",
                r"\bma commande\b|\bwo ist meine (bestellung|lieferung|paket)\b|\bmeine bestellung\b",
                r"\bonde (esta|estao) (o )?meu (pedido|encomenda)\b|\bmeu pedido\b|\bdov\s?e il mio ordine\b",
                r"\b[a-z]{2,4}-?\d{4,}\b",
            ),
            0.85,
        ),
        (_rx(r"\bi (ordered|bought|purchased|paid for)\b", r"\bwhere (is|are) (it|they)\b"), 0.55),
    ],
    "cancel_order": [
        (
            _rx(
                r"\bcancel (my |the |an |this )?(order|purchase)\b|\b(change|update|amend) (my |the )?"
                r"(order|delivery address|address|shipping address)\b",
                r"\bcancelar (mi |el )?pedido\b|\bannuler (ma )?commande\b",
                r"\bbestellung (stornieren|andern)\b",
            ),
            0.95,
        )
    ],
    "refund_return": [
        (
            _rx(
                r"\b(return|returns|returning|returned|send (it|them) back|exchange|swap|refund|refunds|"
                r"refunded|money back)\b",
                r"\b(devolver|devolucion|reembolso|cambiar por|retourner|retour|rembourse|remboursement|"
                r"echanger|zuruckgeben|zurucksenden|ruckgabe|umtausch|erstattung|devolucao|reembolso|trocar|"
                r"reso|rimborso)\b",
            ),
            0.85,
        )
    ],
    "appointment": [
        (
            _rx(
                r"\b(book|booking|appointment|appt|reserve|schedule|reschedule|slot|availability for)\b",
                r"\b(still booked|my booking|move my|cancel my (appointment|booking|fitting))\b",
                r"\b(cita|reservar|rendez[- ]?vous|reserver|termin|buchen|agendar|marcar|prenotare|"
                r"appuntamento)\b",
            ),
            0.8,
        )
    ],
    "product_inquiry": [
        (_rx(r"\b(do|have) (you|u) (have|got|sell|stock|carry)\b|\b(got|have) (any|the)\b"), 0.85),
        (
            _rx(
                r"\b(in|back in|out of) stock\b",
                r"\b(how much|price|prices|cost|costs|pricing)\b|\bavailable in\b|\bcome in\b",
                r"\blooking for\b|\brecommend\b|\bsuggest\b|\bwhich (shoe|trainer|boot)s?\b",
                r"\b(cheapest|most affordable|best value|lightest|warmest)\b",
                r"\b(tienen|tiene|teneis|hay|cuanto cuesta|cuanto vale|precio|avez[- ]vous|vous avez|"
                r"combien|prix|habt ihr|haben sie|gibt es|was kostet|preis|voces tem|tem (o|a)|quanto custa|"
                r"preco|avete|quanto costa|prezzo)\b",
            ),
            0.7,
        ),
    ],
    "service_inquiry": [
        (
            _rx(
                r"\b(do|can) (you|u) (do|offer|repair|fix|clean|resole|stretch|waterproof|measure|wrap)\b",
                r"\bservice\b|\b(resoling|resole|repair|repairs|stretching)\b",
            ),
            0.75,
        )
    ],
    "sizing": [
        (
            _rx(
                r"\b(what|which) size\b|\bsize (guide|chart|conversion|up|down)\b|\btrue to size\b",
                r"\b(fit|fits|fitting) (small|large|big|narrow|wide|true)\b|\bhalf size\b|\bwide fit\b",
                r"\b(eu|us|uk) size\b|\bsize \d+(\.\d)? (in|to) (eu|us|uk)\b|\bmeasure my (feet|foot)\b",
                r"\bque talla\b|\bquelle taille\b|\bwelche grosse\b|\bque tamanho\b|\bche taglia\b",
            ),
            0.8,
        )
    ],
    "delivery": [
        (
            _rx(
                r"\b(delivery|deliver|delivering|shipping|ship|postage|courier|next day|click and collect)\b",
                r"\b(envio|envios|enviais|envian|livraison|livrez|lieferung|liefern|versand|entrega|"
                r"entregam|spedizione|spedite)\b",
            ),
            0.75,
        )
    ],
    "store_hours": [
        (
            _rx(
                r"\b(open|opening|close|closing|closed)\b.*\b(today|tomorrow|sunday|saturday|monday|weekend|"
                r"hours|time|christmas|bank holiday)\b",
                r"\b(what|which) time (do|does|are|is) (you|u|the (\w+ )?(shop|store))\b",
                r"\bopening (hours|times)\b",
                r"\b(sunday|saturday|weekend|bank holiday|christmas|store|shop) hours\b",
                r"\b(are|r) (you|u) open\b|\bwhen (do|does) (you|u|the (\w+ )?(shop|store)) (open|close)\b",
                r"\b(horario|a que hora|abren|abierto|horaires|ouvert|ouvrez|offnungszeiten|geoffnet|"
                r"horario de funcionamento|abrem|orari|aperto)\b",
            ),
            0.9,
        )
    ],
    "store_location": [
        (
            _rx(
                r"\bwhere (is|are) (your|the) (\w+ )?(shop|store|stores|branch)\b",
                r"\b(your |store |shop )address\b",
                r"\bnearest (shop|store)\b|\bstores? (in|near)\b",
                r"\bdonde esta la tienda\b|\bou est le magasin\b",
            ),
            0.85,
        )
    ],
    "payment": [
        (
            _rx(
                r"\b(pay|paying|payment|klarna|paypal|apple pay|google pay|card|cards|instalments?|"
                r"gift card|voucher|discount|promo code|student discount|nhs)\b",
                r"\b(pagar|pago|payer|paiement|bezahlen|zahlung|pagamento)\b",
            ),
            0.65,
        )
    ],
    "greeting": [
        (
            _rx(
                r"^\s*(hi+|hello+|hey+|hiya|yo|good (morning|afternoon|evening)|morning|hola|buenas|"
                r"buenos dias|"
                r"bonjour|salut|hallo|guten tag|moin|ola|oi|bom dia|boa tarde|ciao|buongiorno)\b"
            ),
            1.0,
        )
    ],
    "thanks": [
        (
            _rx(
                r"\b(thanks|thank you|thank u|thx|ty|cheers|ta|much appreciated|gracias|merci|danke|"
                r"obrigad[oa]|"
                r"grazie)\b"
            ),
            1.0,
        )
    ],
    "goodbye": [
        (_rx(r"\b(bye|goodbye|see you|see ya|adios|hasta luego|au revoir|tschuss|tchau|arrivederci)\b"), 1.0)
    ],
    "affirm": [
        (
            _rx(
                r"^\s*((yes|yeah|yep|yup|sure|ok|okay|k|correct|right|that one|si|oui|ja|sim|certo|exactly|"
                r"please do|go ahead|cool|great|perfect|nice|awesome|lovely|brilliant|got it|sounds good|"
                r"no worries|alright|fine|noted)\b[\s,.!\u2600-\u27bf\U0001f300-\U0001faff]*)+"
                r"(please|pls|thanks)?"
                r"[\s.!\u2600-\u27bf\U0001f300-\U0001faff]*$"
            ),
            1.0,
        )
    ],
    "deny": [
        (_rx(r"^\s*(no|nope|nah|not really|wrong|non|nein|nao)\s*[.!]*\s*(thanks|thank you)?\s*[.!]*$"), 1.0)
    ],
}
# "faq": a question the knowledge base may answer; decided by question shape when nothing else matched.
_QUESTION = re.compile(
    r"\?|^\s*(how|what|when|where|why|which|who|can|could|do|does|is|are|will|would|should|"
    r"como|que|cuando|donde|comment|quand|ou|wie|was|wann|wo|quale|quando|onde)\b"
)
_SPLIT_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+|;\s*")
_SPLIT_CLAUSES = re.compile(
    r"\s*,?\s+(?:and also|and|also|plus|btw|by the way|oh and|another thing|one more thing|y tambien|"
    r"y|et aussi|et|und|e tambem|e anche)\s+"
    r"(?=(?:can|could|do|does|did|is|are|will|would|what|where|when|how|"
    r"i|id|im|my|whats|wheres|hows|also|tienen|donde|cuanto|quiero|avez|ou|combien|habt|wo|was|voces|onde|"
    r"quanto|avete)\b)",
)
_LEADING_CONNECTOR = re.compile(
    r"^(?:and also|and|also|plus|btw|by the way|oh and|y tambien|y|et aussi|et|und|e tambem|e)\s+",
    re.IGNORECASE,
)
# Intents that take the matched catalogue item as their target; others only when it is named outright.
_TARGETED = frozenset(
    {"product_inquiry", "service_inquiry", "sizing", "appointment", "complaint", "refund_return"}
)
# Phrasings weak enough that a short message naming an item is really about the item.
_WEAK = frozenset({"payment", "delivery", "faq", "other", "sizing"})
NAMED_ITEM = 0.8
# A question ("when should I replace my running shoes?") becomes a product question only when it names an item
# this clearly; a category word alone ("running", ~0.6) leaves it to the knowledge base.
QUESTION_ABOUT_ITEM = 0.7


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_FOLLOWUP_FILLER = _words(
    """how long much does do it take takes what about the price cost costs is are they them that this these
    those and also one ones for a an of in to many when will would be there any colours colors sizes come
    theyre its"""
)


def _is_followup(segment: str) -> bool:
    """A question with nothing of its own to ask about ("how long does it take?")."""
    words = re.findall(r"[a-z]+", fold(segment))
    return bool(words) and all(w in _FOLLOWUP_FILLER for w in words)


def _inquiry(match: Any) -> str:
    return "service_inquiry" if match.kind == "service" else "product_inquiry"


def _FRUSTRATED(segment: str) -> bool:  # noqa: N802 - a predicate imported late (handoff imports this module)
    from engine.agent.handoff import is_frustrated

    return is_frustrated(segment)


MIN_SEGMENT_CHARS = 2

CatalogLookup = Callable[[str], Sequence[Any]]
"""text -> catalogue matches (objects with kind, key, name, confidence), best first."""


@dataclass(frozen=True)
class DetectedIntent:
    """One request in the customer's words; `target` is what it is about (catalogue key, order number)."""

    name: str
    confidence: float
    text: str
    priority: int
    target: str | None = None
    target_name: str | None = None
    source: str = "rules"
    segments: tuple[str, ...] = field(default_factory=tuple)

    @property
    def urgent(self) -> bool:
        return self.name in URGENT

    @property
    def social(self) -> bool:
        return self.name in SOCIAL

    @property
    def label(self) -> str:
        return self.target_name or LABELS.get(self.name, self.name.replace("_", " ").capitalize())

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.name, self.target)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "confidence": round(self.confidence, 3),
            "priority": self.priority,
            "text": self.text,
            "source": self.source,
        }
        if self.target:
            data["target"] = self.target
        return data


_ORDER_NUMBER = re.compile(r"\b([A-Za-z]{2,4}-?\d{4,})\b")


def segments(messages: Sequence[str]) -> list[str]:
    """Each message split into sentences and joined clauses ("…and can you…", "also …"), in order."""
    out: list[str] = []
    for message in messages:
        for sentence in _SPLIT_SENTENCES.split(message or ""):
            for clause in _SPLIT_CLAUSES.split(sentence):
                clause = _LEADING_CONNECTOR.sub("", clause.strip(" ,"))
                if len(clause) >= MIN_SEGMENT_CHARS:
                    out.append(clause)
    return out


def _score(name: str, folded: str) -> float:
    best = 0.0
    for pattern, weight in PATTERNS[name]:
        if weight > best and pattern.search(folded):
            best = weight
    return best


def classify(segment: str) -> list[tuple[str, float]]:
    """Intents a segment expresses, strongest first (social ones included)."""
    folded = fold(segment)
    found = [(name, s) for name in PATTERNS if (s := _score(name, folded)) > 0]
    found.sort(key=lambda p: (-p[1], PRIORITY[p[0]]))
    return found


def order_number(text: str) -> str | None:
    match = _ORDER_NUMBER.search(text or "")
    return match.group(1).upper() if match and any(c.isdigit() for c in match.group(1)) else None


def detect_intents(
    messages: Sequence[str],
    *,
    catalog: CatalogLookup | None = None,
    match_threshold: float = 0.5,
) -> list[DetectedIntent]:
    """The requests in a burst, deduplicated and sorted urgent first (see the module docstring)."""
    found: list[DetectedIntent] = []
    last_substantive: int | None = None
    for segment in segments(messages):
        ranked = classify(segment)
        social = [(n, s) for n, s in ranked if n in SOCIAL]
        substantive = [(n, s) for n, s in ranked if n not in SOCIAL]
        for name, score in social[:2]:
            found.append(DetectedIntent(name, score, segment, PRIORITY[name], segments=(segment,)))
        matches = list(catalog(segment)) if catalog is not None else []
        matches = [m for m in matches if m.confidence >= match_threshold]
        top = matches[0] if matches else None
        frustrated = _FRUSTRATED(segment)
        if last_substantive is not None and top is None and _is_followup(segment):
            # "how long does it take?", "and how much": about the request before it.
            prev = found[last_substantive]
            found[last_substantive] = replace(
                prev, text=f"{prev.text} {segment}", segments=(*prev.segments, segment)
            )
            continue
        if substantive:
            name, score = substantive[0]
            if (
                top is not None
                and top.confidence >= NAMED_ITEM
                and name in _WEAK
                and len(segment.split()) <= 3
            ):
                name, score = _inquiry(top), float(top.confidence)  # "egift card": naming an item
        elif top is not None:
            name, score = _inquiry(top), 0.6
        elif _QUESTION.search(fold(segment)) and not social:
            name, score = "faq", 0.5
        elif social:
            continue
        elif frustrated:
            # "this is useless": nothing to answer, but not nothing to say (the handoff rules count it).
            found.append(
                DetectedIntent("frustration", 0.8, segment, PRIORITY["frustration"], segments=(segment,))
            )
            continue
        else:
            # A fragment of the previous request ("last week", "in size 9"): it belongs to it.
            if last_substantive is not None:
                prev = found[last_substantive]
                found[last_substantive] = replace(
                    prev, text=f"{prev.text} {segment}", segments=(*prev.segments, segment)
                )
                continue
            name, score = "other", 0.4
        target: str | None = None
        target_name: str | None = None
        if name in ("order_status", "cancel_order", "complaint", "refund_return", "payment_issue"):
            target = order_number(segment)
        if top is not None and target is None:
            if name in ("faq", "other") and top.confidence >= QUESTION_ABOUT_ITEM:
                name = _inquiry(top)
                score = max(score, float(top.confidence))
            if name in ("product_inquiry", "service_inquiry"):
                # The kind the phrasing asks for ("do you clean…": a service) beats a better match of the
                # other kind ("trainers"); with no match of that kind there is no target.
                wanted = "service" if name == "service_inquiry" else "product"
                kind_top = next((m for m in matches if m.kind == wanted), None)
                if kind_top is None and (substantive and name == substantive[0][0] and wanted == "service"):
                    top = None
                else:
                    top = kind_top or top
                    name = _inquiry(top)
            if top is not None and (name in _TARGETED or top.confidence >= NAMED_ITEM):
                target, target_name = top.key, top.name
        intent = DetectedIntent(
            name, min(score, 1.0), segment, PRIORITY[name], target, target_name, segments=(segment,)
        )
        found.append(intent)
        last_substantive = len(found) - 1
    return prioritize(merge(found))


def merge(intents: Sequence[DetectedIntent]) -> list[DetectedIntent]:
    """One intent per (name, target): "where's my order?" said twice in a burst is answered once.

    An untargeted intent merges into a targeted one of the same name ("where is my order" + "STR-10457").
    """
    merged: dict[tuple[str, str | None], DetectedIntent] = {}
    order: list[tuple[str, str | None]] = []
    for intent in intents:
        key = intent.key
        if intent.target is None:
            same = [k for k in order if k[0] == intent.name]
            key = same[0] if same else key
        elif (intent.name, None) in merged:
            # the earlier untargeted one takes this target
            old = merged.pop((intent.name, None))
            order[order.index((intent.name, None))] = key
            merged[key] = replace(
                intent,
                text=f"{old.text} {intent.text}",
                confidence=max(old.confidence, intent.confidence),
                segments=(*old.segments, *intent.segments),
            )
            continue
        if key in merged:
            old = merged[key]
            if intent.text in old.text:
                continue
            merged[key] = replace(
                old,
                text=f"{old.text} {intent.text}",
                confidence=max(old.confidence, intent.confidence),
                segments=(*old.segments, *intent.segments),
            )
        else:
            merged[key] = intent
            order.append(key)
    return [merged[k] for k in order]


def prioritize(intents: Sequence[DetectedIntent]) -> list[DetectedIntent]:
    """Urgent and blocking first; the customer's own order breaks ties (stable sort)."""
    return sorted(intents, key=lambda i: i.priority)


def substantive(intents: Sequence[DetectedIntent]) -> list[DetectedIntent]:
    return [i for i in intents if not i.social and i.name not in ("affirm", "deny")]


def merge_model_intents(
    detected: Sequence[DetectedIntent], model: Sequence[Any], *, threshold: float = 0.3
) -> list[DetectedIntent]:
    """The model's intents (AgentTurn.intents) beside the rules': the model names what the rules missed,
    the rules keep their text and target. Names the rules already have are not added twice."""
    out = list(detected)
    have = {i.name for i in detected}
    for item in model:
        name = str(getattr(item, "name", "") or "").strip().lower().replace(" ", "_")[:64]
        confidence = float(getattr(item, "confidence", 0.0) or 0.0)
        if not name or name in have or confidence < threshold:
            continue
        have.add(name)
        out.append(DetectedIntent(name, confidence, "", PRIORITY.get(name, 7), source="llm"))
    return prioritize(out)


__all__ = [
    "DetectedIntent",
    "LABELS",
    "PRIORITY",
    "SOCIAL",
    "URGENT",
    "classify",
    "detect_intents",
    "merge",
    "merge_model_intents",
    "order_number",
    "prioritize",
    "segments",
    "substantive",
]
