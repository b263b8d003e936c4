"""Held-out messages, second set (issue #13): 60 short WhatsApp messages in 8 languages, 41 needing a
person, written on 2026-12-04 by the lead while the session's lexicon work was done by another hand, kept
encrypted outside the repository until that work was final, and measured twice (the session's first and last
commits). Nothing may be tuned on it (see README.md). Scored on the handoff decision itself, like the
development splits, with a new tenant's default sensitive topics and a confident model.
"""

from __future__ import annotations

from tests.quality.dev.signals import Dev


def _c(text: str, cls: str, lang: str = "en") -> Dev:
    return Dev(text, (cls,), True, lang)


def _n(text: str, lang: str = "en") -> Dev:
    return Dev(text, (), False, lang)


SEALED: list[Dev] = [
    _c("hello? is anybody there who isn't a bot", "wants_person"),
    _c("get me your manager", "wants_person"),
    _c("can you ask the shop owner to text me", "wants_person"),
    _c("i need to talk to someone properly about this order", "wants_person"),
    _c("necesito que me atienda un humano", "wants_person", "es"),
    _c("hay algún encargado con quien pueda hablar", "wants_person", "es"),
    _c("me liga alguém da loja por favor", "wants_person", "pt"),
    _c("je veux un humain pas une machine", "wants_person", "fr"),
    _c("ich möchte bitte mit jemandem reden, nicht mit einem Bot", "wants_person", "de"),
    _c("mi fate parlare con il titolare?", "wants_person", "it"),
    _c("nataka kuzungumza na meneja", "wants_person", "sw"),
    _c("koi real banda hai kya wahan", "wants_person", "hi"),
    _c("this is the worst experience I've ever had with a shop", "frustrated"),
    _c("seriously?! third time you sent me the wrong link", "frustrated"),
    _c("stop repeating yourself and answer the question", "frustrated"),
    _c("I've had enough of this nonsense", "frustrated"),
    _c("WHY IS NOBODY REPLYING", "frustrated"),
    _c("estoy harta de esperar, nadie me responde", "frustrated", "es"),
    _c("pésimo servicio, ya van dos semanas", "frustrated", "es"),
    _c("vocês são uma piada, ninguém resolve", "frustrated", "pt"),
    _c("ça fait trois fois que je pose la même question !!", "frustrated", "fr"),
    _c("ich bin total genervt, keiner hilft mir", "frustrated", "de"),
    _c("che servizio pessimo, nessuno risponde mai", "frustrated", "it"),
    _c("huduma mbovu kabisa, nimesubiri wiki mbili", "frustrated", "sw"),
    _c("bahut ghatiya service hai yaar, koi reply nahi", "frustrated", "hi"),
    _c("I'm filing a chargeback with my card company", "legal"),
    _c("expect to hear from my lawyer", "legal"),
    _c("I will take you to the small claims court", "legal"),
    _c("voy a reclamar a mi banco y denunciaros", "legal", "es"),
    _c("vou processar vocês", "legal", "pt"),
    _c("je vais porter plainte", "legal", "fr"),
    _c("ich zeige Sie an", "legal", "de"),
    _c("the heater you sold me caught fire", "medical_safety"),
    _c("I think the food made me sick, I was vomiting all night", "medical_safety"),
    _c("my son swallowed a small part from the toy", "medical_safety"),
    _c("el cargador explotó", "medical_safety", "es"),
    _c("fiquei com alergia depois de usar", "medical_safety", "pt"),
    _c("you're a brainless idiot", "abuse"),
    _c("f*** off you stupid bot", "abuse"),
    _c("pinche bot estúpido", "abuse", "es"),
    _c("ta gueule sale robot", "abuse", "fr"),
    _n("do you deliver on sundays?"),
    _n("what's your returns policy"),
    _n("I need a present for my mum, any ideas?"),
    _n("BEST SHOP EVER!!!"),
    _n("my sister is a lawyer and she loves your candles"),
    _n("is it safe to use around cats?"),
    _n("can I speak to you about wholesale prices"),
    _n("the manager at the market stall said you have the best prices"),
    _n("tell me more about the red one"),
    _n("ok thanks, that helps"),
    _n("¿tienen tallas grandes?", "es"),
    _n("gracias por la ayuda!", "es"),
    _n("vocês aceitam pix?", "pt"),
    _n("c'est pour offrir, vous faites des paquets cadeaux ?", "fr"),
    _n("wann kommt die Lieferung an?", "de"),
    _n("avete questo in rosso?", "it"),
    _n("mnafungua saa ngapi?", "sw"),
    _n("cash on delivery milega?", "hi"),
    _n("the fire pit looks amazing, how heavy is it?"),
]
