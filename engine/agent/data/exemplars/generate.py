"""Writes the classifier's labelled exemplars (one JSON Lines file per class) from hand-written seeds.

Run `python -m engine.agent.data.exemplars.generate --vectors` after editing the seeds; the .jsonl files and
vectors.npz (their MiniLM vectors) are committed and are what engine.agent.classify reads. Seeds are written
fresh for the classifier (never copied from a quality set); the templates only multiply them with the
openings, closings and phrasings customers add, so a class has several hundred neighbours to vote with.
`none` holds ordinary shop messages and near-misses ("a person with wide feet", "the delivery agent was
kind"), so the nearest neighbours of a plain question are plain questions.
"""

from __future__ import annotations

import itertools
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).parent
SEED = 13
PER_CLASS = 420

OPENINGS = ["", "", "", "hi, ", "hello ", "ok ", "look, ", "sorry but ", "excuse me, ", "hey "]
CLOSINGS = ["", "", "", " please", " now", " asap", "!", "!!", " thanks", ".", " right now", "?"]

PERSON_VERBS = ["talk to", "speak to", "speak with", "chat with", "deal with", "be put through to", "get"]
PERSON_WHO = [
    "a human",
    "a person",
    "a real person",
    "an actual person",
    "a human being",
    "a live agent",
    "an agent",
    "a member of your team",
    "someone from your team",
    "one of your staff",
    "a staff member",
    "customer service",
    "the support team",
    "a manager",
    "your supervisor",
    "someone in charge",
    "a real human",
    "someone who works there",
    "the shop owner",
    "a customer service rep",
    "somebody real",
    "a representative",
    "an advisor",
    "someone at the store",
]
PERSON_FRAMES = [
    "I want to {v} {w}",
    "can I {v} {w}",
    "I need to {v} {w}",
    "let me {v} {w}",
    "I'd like to {v} {w}",
    "could I please {v} {w}",
    "is it possible to {v} {w}",
    "I would rather {v} {w}",
    "pls let me {v} {w}",
    "how do I {v} {w}",
]
PERSON_EXTRA = [
    "no more bot please, a human",
    "are there any humans working there",
    "is a real person reading this",
    "transfer me to your team",
    "connect me to support",
    "pass me to a colleague of yours",
    "can someone call me",
    "have someone phone me back",
    "get a human on the line",
    "human please",
    "agent please",
    "real person please",
    "can a person take over this chat",
    "I don't want automated replies",
    "stop the bot and get me someone",
    "is this a robot? I want a person",
    "I need human help",
    "please escalate my case to a person",
    "can your team contact me directly",
    "give me a phone number to call",
    "who can I call about this",
    "I'd like a call back from the shop",
    "operator please",
    "customer service pls",
    "let me talk to whoever is in charge",
    "you're a bot, I want a human",
    "humen plz",
    "get me a persn",
    "talk to hman",
    "can i speak to sombody",
    "need a real agent not a bot",
    "put a human on",
    "is there anyone I can actually talk to",
    "a person, not a machine",
    "I demand to speak to a manager",
    # other languages (the semantic model is English-first; the lexicons carry these, the exemplars help)
    "quiero hablar con una persona",
    "pásame con alguien del equipo",
    "necesito un agente humano",
    "quero falar com uma pessoa",
    "me passa para um atendente",
    "tem algum humano aí",
    "je veux parler à un conseiller",
    "passez-moi quelqu'un",
    "un humain s'il vous plaît",
    "ich will mit einem Menschen sprechen",
    "verbinden Sie mich mit jemandem",
    "voglio parlare con un operatore",
    "nataka kuongea na mtu",
    "kisi insaan se baat karao",
    "agent se baat karni hai",
]

FRUSTRATED_STRONG = [
    "this is the worst service ever",
    "I'm absolutely furious",
    "you are completely useless",
    "this is a joke",
    "I've had enough of this",
    "I am sick and tired of waiting",
    "unacceptable, totally",
    "you keep sending me the same reply",
    "are you actually reading my messages",
    "for the fourth time, NO",
    "how many times do I have to explain",
    "I'm fuming right now",
    "this company is a disgrace",
    "what a waste of my afternoon",
    "I've been going round in circles for an hour",
    "you're not helping me at all",
    "STOP SENDING ME THE SAME THING",
    "I AM SO ANGRY",
    "never ordering from you again, appalling",
    "terrible terrible service",
    "I'm so done with this",
    "this is beyond ridiculous",
    "you are hopeless",
    "ridiculous, absolutely ridiculous!!!",
    "I can't believe how bad this is",
    "my patience has run out",
    "seriously, what is wrong with you people",
    "this is outrageous",
    "I'm livid about this order",
    "you just repeat the same nonsense",
    "third message and still no real answer",
    "pathetic service",
    "I told you already, read it",
    "nobody here cares at all",
    "worst shopping experience of my life",
    "I'm at the end of my rope",
    "this is making me so mad",
    "utterly useless answers",
    "for god's sake",
    "estoy harta de esto",
    "qué vergüenza de servicio",
    "ya lo he preguntado tres veces",
    "que atendimento ridículo",
    "estou revoltado",
    "é a terceira vez que pergunto",
    "c'est inadmissible",
    "j'en ai ras le bol",
    "ich bin stinksauer",
    "das ist eine Frechheit",
    "sono stufo di questo servizio",
    "nimechoka kabisa",
    "bahut ghatiya service",
]
FRUSTRATED_MILD = [
    "hmm that's not what I asked",
    "this is a bit annoying",
    "still waiting...",
    "come on",
    "ugh, not again",
    "that doesn't really help",
    "I'm a little disappointed",
    "why is it taking so long",
    "not great tbh",
    "I already said that",
    "that's not it",
    "you're not getting it",
    "meh",
    "this is frustrating",
    "still no update?",
    "seriously?",
    "that makes no sense",
    "again?",
    "I'm getting a bit fed up",
    "not impressed so far",
    "sigh",
    "this is slow",
    "I'm not happy about this",
    "that didn't answer my question",
    "I'm confused and a bit annoyed",
    "no, I meant something else",
    "un poco molesto la verdad",
    "no es lo que pregunté",
    "tô meio chateado",
    "não ajudou",
    "je suis un peu déçu",
    "ce n'est pas ma question",
    "etwas genervt",
    "non mi aiuta",
]
LEGAL = [
    "I'm contacting my lawyer",
    "you'll be hearing from my solicitor",
    "I'm going to sue your company",
    "I will take you to court",
    "I'm filing a small claims case",
    "I'm raising a chargeback",
    "I'll ask my bank to reverse the payment",
    "I've opened a dispute with my card provider",
    "I'm reporting you to trading standards",
    "complaint to the ombudsman is on its way",
    "I'll report this to the consumer protection agency",
    "this breaks consumer law",
    "my attorney will contact you",
    "I'm starting legal proceedings",
    "I'll be seeking legal advice",
    "I'm reporting this scam to the police",
    "expect a letter from my lawyer",
    "I'll dispute it with PayPal",
    "I'm calling my credit card company to get my money back",
    "the regulator will hear about this",
    "I'm going to the Better Business Bureau",
    "I will file a complaint with the FTC",
    "I'll see you in court",
    "this is illegal and I'm reporting it",
    "legal action is next",
    "I'll make a claim through my bank",
    "I'm disputing the transaction",
    "my bank is doing a chargeback",
    "voy a denunciarlos",
    "hablaré con mi abogado",
    "pediré a mi banco que anule el cargo",
    "vou acionar o Procon",
    "vou processar vocês",
    "vou contestar no cartão",
    "je vais porter plainte",
    "mon avocat vous contactera",
    "je fais opposition à ma carte",
    "ich gehe zum Anwalt",
    "ich verklage Sie",
    "ich lasse das zurückbuchen",
    "chiamo l'avvocato",
    "farò denuncia",
    "nitawapeleka mahakamani",
    "consumer court jaunga",
]
MEDICAL = [
    "my child swallowed a button battery",
    "the toaster caught fire",
    "the lamp gave me an electric shock",
    "I'm having an allergic reaction to the lotion",
    "I burned my hand on the faulty handle",
    "there was a piece of metal in the food",
    "my cat was sick after eating the treats",
    "the heater is smoking",
    "is it safe to take while pregnant",
    "the battery pack is swelling",
    "my skin is red and burning after the cream",
    "the car seat buckle broke while driving",
    "I had to go to hospital after using it",
    "I feel nauseous since using the spray",
    "the charger sparked and melted",
    "can I take this with my medication",
    "my baby choked on a small part",
    "I cut my finger badly on the broken glass",
    "the hair dryer exploded",
    "I think I've been poisoned",
    "rash all over my arms after wearing it",
    "the kettle leaks boiling water",
    "the ladder collapsed under me",
    "the product is dangerous, someone could get hurt",
    "my son got an electric shock from the toy",
    "my face swelled up after the mask",
    "the dog's lead snapped near the road",
    "food poisoning from your deli",
    "mi hijo se tragó una pila",
    "el enchufe echó chispas",
    "tengo una alergia por el producto",
    "meu filho engoliu uma peça",
    "o carregador pegou fogo",
    "tive uma reação alérgica",
    "mon fils a avalé une pièce",
    "l'appareil a pris feu",
    "j'ai une réaction allergique",
    "mein Kind hat einen Magneten verschluckt",
    "das Gerät hat Feuer gefangen",
    "mio figlio ha ingoiato un pezzo",
    "mtoto amemeza kipande",
    "charger mein aag lag gayi",
]
ABUSE = [
    "you stupid bot",
    "shut up",
    "go to hell you useless machine",
    "you're an idiot",
    "f*** you",
    "piss off",
    "screw you",
    "you absolute moron",
    "what a pile of crap",
    "you brainless software",
    "I hope you all get fired",
    "I'll come to your shop and smash it",
    "I know where you work",
    "you pathetic waste of space",
    "drop dead",
    "you dumb piece of junk",
    "eat dirt",
    "get lost loser",
    "your staff are scum",
    "stfu bot",
    "kiss my ass",
    "you clown",
    "useless idiots the lot of you",
    "I will hurt someone if this isn't fixed",
    "dickhead",
    "bloody useless muppets",
    "you people are trash",
    "cállate idiota",
    "eres un imbécil",
    "vete a la mierda",
    "cala a boca idiota",
    "vai se ferrar",
    "ta gueule",
    "espèce de crétin",
    "halt die Klappe, Idiot",
    "stai zitto cretino",
    "wewe ni mjinga",
    "chup kar bewakoof",
]
NONE = [
    "what time do you close today",
    "how much is delivery",
    "do you have this in black",
    "where is my parcel",
    "can I return it if it doesn't fit",
    "how do refunds work",
    "do you ship abroad",
    "hi!",
    "thank you",
    "can I pay by card",
    "is it in stock",
    "what sizes are available",
    "when will my order arrive",
    "can I change my order",
    "do you have a shop in town",
    "is there free delivery over 50",
    "can a person with small hands use this",
    "the delivery agent was very kind",
    "my friend who is a lawyer loves your shop",
    "I'm dying to try it",
    "this offer is killer",
    "that's insane value",
    "your team was great yesterday",
    "can I speak to the product details? I mean read them",
    "does the price include tax",
    "what's the warranty",
    "is it safe for the dishwasher",
    "is it suitable for children",
    "do you sell first aid kits",
    "is the heater energy efficient",
    "what's your returns address",
    "the parcel was a bit late but fine",
    "I love it, thanks",
    "ok perfect",
    "great, thanks a lot",
    "how do I apply a voucher",
    "can I book a slot",
    "is there a discount for students",
    "can you gift wrap it",
    "what colours does it come in",
    "do you price match",
    "is it vegan",
    "do you have a catalogue",
    "can I collect from the store",
    "how long is the battery life",
    "do you have anything for a sore back, like a cushion",
    "I need a gift for my dad",
    "which one do you recommend",
    "is this the newest model",
    "what's the difference between them",
    "can I order more than one",
    "will it fit a small kitchen",
    "do you deliver on weekends",
    "I'd like to update my address",
    "my card was declined, I'll try again",
    "please cancel my order",
    "can you resend the receipt",
    "how do I track my order",
    "is customer service open on sunday",
    "who makes this brand",
    "what is it made of",
    "how heavy is it",
    "are you open on holidays",
    "I got the wrong size, can I swap",
    "my order was fine, thanks team",
    "please tell me about the sale",
    "is the box recyclable",
    "is it machine washable",
    "what's in the set",
    "can I add a note for the courier",
    "hola, ¿tienen envío gratis?",
    "¿a qué hora abren?",
    "gracias!",
    "¿dónde está mi pedido?",
    "olá, vocês entregam hoje?",
    "qual o preço?",
    "obrigado",
    "posso trocar?",
    "bonjour, livrez-vous à Lyon ?",
    "merci beaucoup",
    "c'est combien ?",
    "où est mon colis ?",
    "haben Sie das in blau?",
    "danke",
    "wie lange dauert die Lieferung?",
    "a che ora chiudete?",
    "grazie",
    "asante",
    "bei gani?",
    "kitne ka hai?",
    "shukriya",
]


def _variants(seeds: list[str], rng: random.Random, target: int) -> list[str]:
    """The seeds, then seeds with openings and closings, until `target` distinct texts."""
    out = list(dict.fromkeys(seeds))
    combos = list(itertools.product(OPENINGS, seeds, CLOSINGS))
    rng.shuffle(combos)
    for opening, seed, closing in combos:
        if len(out) >= target:
            break
        text = f"{opening}{seed}{closing}".strip()
        if text not in out:
            out.append(text)
    return out


def _person() -> list[str]:
    framed = [f.format(v=v, w=w) for f in PERSON_FRAMES for v in PERSON_VERBS for w in PERSON_WHO]
    rng = random.Random(SEED)
    rng.shuffle(framed)
    return PERSON_EXTRA + framed[:220]


def _language(text: str) -> str:
    markers = {
        "es": (
            "quiero",
            "pásame",
            "necesito",
            "vergüenza",
            "harta",
            "denunciar",
            "hablaré",
            "pediré",
            "mi hijo",
            "el enchufe",
            "tengo",
            "cállate",
            "eres",
            "vete",
            "pregunté",
            "molesto",
            "he preguntado",
            "hola,",
            "¿",
        ),
        "pt": (
            "quero",
            "passa",
            "tem algum",
            "atendimento",
            "revoltado",
            "terceira",
            "vou ",
            "meu filho",
            "o carregador",
            "tive",
            "cala",
            "ferrar",
            "chateado",
            "não",
            "olá",
            "obrigado",
            "posso",
            "qual",
        ),
        "fr": (
            "je ",
            "passez",
            "humain",
            "inadmissible",
            "ras le",
            "mon ",
            "l'appareil",
            "j'ai",
            "ta gueule",
            "espèce",
            "bonjour",
            "merci",
            "c'est",
            "où ",
            "ce n'est",
        ),
        "de": (
            "ich",
            "verbinden",
            "stinksauer",
            "frechheit",
            "mein kind",
            "das gerät",
            "halt die",
            "etwas",
            "haben sie",
            "danke",
            "wie lange",
        ),
        "it": (
            "voglio",
            "sono stufo",
            "chiamo",
            "farò",
            "mio figlio",
            "stai zitto",
            "non mi",
            "a che ora",
            "grazie",
        ),
        "sw": ("nataka", "nimechoka", "nitawapeleka", "mtoto", "wewe", "asante", "bei gani"),
        "hi": ("kisi", "agent se", "bahut", "jaunga", "aag", "chup", "kitne", "shukriya"),
    }
    low = text.lower()
    for lang, words in markers.items():
        if any(w in low for w in words):
            return lang
    return "en"


def build() -> dict[str, list[dict[str, str]]]:
    rng = random.Random(SEED)
    files: dict[str, list[dict[str, str]]] = {}
    files["wants_person"] = [{"text": t} for t in _variants(_person(), rng, PER_CLASS)]
    strong = _variants(FRUSTRATED_STRONG, rng, PER_CLASS * 2 // 3)
    mild = _variants(FRUSTRATED_MILD, rng, PER_CLASS // 3)
    files["frustrated"] = [{"text": t, "strength": "strong"} for t in strong] + [
        {"text": t, "strength": "mild"} for t in mild
    ]
    files["legal"] = [{"text": t} for t in _variants(LEGAL, rng, PER_CLASS)]
    files["medical_safety"] = [{"text": t} for t in _variants(MEDICAL, rng, PER_CLASS)]
    files["abuse"] = [{"text": t} for t in _variants(ABUSE, rng, PER_CLASS)]
    files["none"] = [{"text": t} for t in _variants(NONE, rng, PER_CLASS * 2)]
    for rows in files.values():
        for row in rows:
            row["lang"] = _language(row["text"])
    return files


def main() -> None:
    for name, rows in build().items():
        path = HERE / f"{name}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        print(f"{path.name}: {len(rows)}")
    if "--vectors" in sys.argv:
        import os

        os.environ.setdefault("KNOWLEDGE_EMBEDDER", "local")
        from engine.agent.classify import save_packaged_vectors

        print(f"vectors: {save_packaged_vectors()}")


if __name__ == "__main__":
    main()
