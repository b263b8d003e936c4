"""Opt-out and opt-in replies in English, Spanish, Portuguese and French, and the one confirmation each gets.

A customer who writes STOP (or "unsubscribe", "no more messages", "baja", "não quero mais mensagens",
"désabonner" …) is opted out at once, for every later campaign; START (or its equivalent) opts back in. Only
a short message that *is* such a request counts — "stop, the size is wrong" is a conversation, not an
opt-out — so the words are matched on the whole message, accents, case and punctuation ignored, or as a phrase
within a message of a few words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# whole-message keywords and phrases, per language
OPT_OUT: dict[str, tuple[str, ...]] = {
    "en": (
        "stop",
        "stopall",
        "unsubscribe",
        "opt out",
        "optout",
        "no more messages",
        "stop messages",
        "stop sending messages",
        "remove me",
    ),
    "es": (
        "baja",
        "darme de baja",
        "parar",
        "detener",
        "no mas mensajes",
        "cancelar suscripcion",
        "no quiero mas mensajes",
    ),
    "pt": (
        "sair",
        "parar",
        "cancelar inscricao",
        "nao quero mais mensagens",
        "chega de mensagens",
        "descadastrar",
    ),
    "fr": (
        "arret",
        "arreter",
        "desabonner",
        "me desabonner",
        "desinscrire",
        "plus de messages",
        "je ne veux plus de messages",
    ),
}
OPT_IN: dict[str, tuple[str, ...]] = {
    "en": ("start", "unstop", "subscribe", "opt in"),
    "es": ("alta", "empezar", "reanudar"),
    "pt": ("voltar", "iniciar", "reativar"),
    "fr": ("commencer", "reprendre", "reabonner"),
}
PHRASE_WORDS_MAX = 6  # a phrase counts inside a message of at most this many words

CONFIRMATIONS: dict[str, dict[str, str]] = {
    "opt_out": {
        "en": "You will not get any more messages from us. Reply START to subscribe again.",
        "es": "No recibirás más mensajes nuestros. Responde ALTA para volver a suscribirte.",
        "pt": "Você não receberá mais mensagens nossas. Responda VOLTAR para se inscrever novamente.",
        "fr": "Vous ne recevrez plus de messages de notre part. Répondez COMMENCER pour vous réabonner.",
    },
    "opt_in": {
        "en": "You are subscribed again: we will send you our news. Reply STOP at any time to stop.",
        "es": "Te has vuelto a suscribir. Responde BAJA cuando quieras para dejar de recibirlos.",
        "pt": "Você está inscrito novamente. Responda SAIR a qualquer momento para parar.",
        "fr": "Vous êtes de nouveau abonné. Répondez ARRET à tout moment pour arrêter.",
    },
}


@dataclass(frozen=True, slots=True)
class ConsentReply:
    kind: str  # opt_out | opt_in
    language: str


def normalize(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().casefold()
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", plain).split())


def _match(text: str, table: dict[str, tuple[str, ...]]) -> str | None:
    words = text.split()
    for language, phrases in table.items():
        if text in phrases:
            return language
    if len(words) <= PHRASE_WORDS_MAX:
        padded = f" {text} "
        for language, phrases in table.items():
            if any(" " in p and f" {p} " in padded for p in phrases):
                return language
    return None


def classify(text: str) -> ConsentReply | None:
    """An opt-out or opt-in request, with its language; None for anything else."""
    plain = normalize(text)
    if not plain or len(plain) > 80:
        return None
    language = _match(plain, OPT_OUT)
    if language:
        return ConsentReply("opt_out", language)
    language = _match(plain, OPT_IN)
    if language:
        return ConsentReply("opt_in", language)
    return None


def confirmation(kind: str, language: str) -> str:
    texts = CONFIRMATIONS[kind]
    return texts.get(language) or texts["en"]


__all__ = ["ConsentReply", "classify", "confirmation", "normalize"]
