"""What the words around a mention say about it: the second phase of matching (engine/catalog/matcher.py).

English puts the head noun last, so an item's words followed or preceded by another thing's words may only
qualify that thing ("nail gun", "horse treats", "cake decorating class"); Romance languages put it first ("pão
de queijo"). Plain qualifiers (sizes, colours, quantities, states, origins) name nothing else; work named on a
thing the shop does not know is not offered; a plural of a qualifier names the thing itself; two words only
one item has together name it. Each rule reads the positions `engine.catalog.reading.analyse` produced.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from rapidfuzz.distance import OSA

from engine.catalog.index import IndexedItem, MatchIndex
from engine.catalog.reading import (
    NEUTRAL_MODIFIERS,
    SIZE_WORDS,
    QueryToken,
    cached,
    padded_plural,
    per_word,
)
from engine.catalog.text import ADJECTIVE_ENDINGS, STOPWORDS, has_digit, singular_forms, stem, stems
from engine.catalog.words import common_words, foreign_words, is_english

# A word used by at least this many items, and this share of them, is generic: "dog collars" still names
# the collar, where "nail gun" does not name the nails.
GENERIC_MIN_ITEMS = 3
GENERIC_SHARE = 0.08


_PURPOSE_AFTER = frozenset({"my", "our", "a", "an", "the", "your", "his", "her", "their"})


# Verbs "for" follows to say what is sought, not whom or what it is for: "looking for a belt".
_SEEKING_TEXT = "look looking looked search searching shop shopping hunt hunting ask asking"
_SEEKING = frozenset(_SEEKING_TEXT.split())


def purpose_positions(qtokens: list[QueryToken]) -> set[int]:
    """Positions of the words right after "for" (and a determiner): "for my puppy", "for the car". Not
    after a verb of seeking: in "looking for a belt for my husband" the belt is what is sought."""
    out: set[int] = set()
    for i, q in enumerate(qtokens):
        if q.text != "for" or (i > 0 and qtokens[i - 1].text in _SEEKING):
            continue
        j = i + 1
        if j < len(qtokens) and qtokens[j].text in _PURPOSE_AFTER:
            j += 1
        if j < len(qtokens):
            out.add(j)
    return out


_PARTICLES = frozenset({"on", "off", "in", "up"})


def unknown_modifier(
    qtokens: list[QueryToken],
    per_position: list[list[tuple[str, float]]],
    at: int,
    elsewhere: MatchIndex | None = None,
    described: frozenset[str] = frozenset(),
) -> bool:
    """Is the word just before position `at` one the catalogue does not know and that is not a plain
    qualifier (size, colour, "new", a stopword, another language's word)? A verb and its particle written
    apart count as one such word: "press on nails", "clip on earrings" (press-on, clip-on). An adverb or a
    participle only says how the thing is, unless the shop's other kind has it (`elsewhere`: "tempered
    screen" is the tempered glass, not a screen repair)."""
    if at >= 2 and qtokens[at - 1].text in _PARTICLES and not per_position[at - 1]:
        at -= 1
    if at == 0 or qtokens[at].text in foreign_words():
        return False  # Spanish and Portuguese put the qualifier after the noun: "fazem entrega?"
    word = qtokens[at - 1].text
    return (
        _open_word(qtokens[at - 1], per_position[at - 1])
        and stem(word) not in described  # "boxwood topiary": the ball its description calls a topiary
        and not (_describes_a_state(word) and (elsewhere is None or stem(word) not in elsewhere.postings))
        and qtokens[at - 1].end < qtokens[at].start  # two words, not the halves of one split word
    )


def _describes_a_state(word: str) -> bool:
    """An adverb or a past participle ("freshly", "sliced", "squeezed"): it says how the thing is, never
    which other thing is meant, as the noun in "horse treats" does."""
    return len(word) >= 5 and (word.endswith("ly") or (word.endswith("ed") and not word.endswith("eed")))


def done_on_unknown_thing(
    index: MatchIndex,
    text: str,
    qtokens: list[QueryToken],
    per_position: list[list[tuple[str, float]]],
    content: list[int],
    elsewhere: MatchIndex | None,
) -> bool:
    """Is the service named in full after a thing the shop knows nothing of ("laptop screen repair" at a
    phone shop)? The word before a service's name is what the work is done on: one the shop's products
    have ("iphone screen repair") is served, an unknown one is not, however fully the service was named.
    (With one word of the service, the rule for a single qualified word already applies.)"""
    if index.kind != "service" or len(content) < 2:
        return False
    first, last = min(content), max(content)
    if last - first != len(set(content)) - 1 or first == 0:
        return False
    if not all(_compound(text, qtokens[i - 1], qtokens[i]) for i in range(first, last + 1)):
        return False  # the name written as one phrase, right after the thing: "laptop screen repair"
    if not unknown_modifier(qtokens, per_position, first, elsewhere):
        return False
    return elsewhere is None or stem(qtokens[first - 1].text) not in elsewhere.postings


def names_category(category: tuple[str, ...], exact: set[str]) -> bool:
    """Does the message name the whole category ("running shoes" for "running"), not just share a word of it
    ("door hinges" against the category "door hardware")?"""
    words = [t for t in category if t not in STOPWORDS]
    return bool(words) and all(t in exact for t in words)


def qualifies(per_position: list[list[tuple[str, float]]], modifier: str, head: str) -> bool:
    """Does the message put `modifier` right before `head` ("running shoes")?"""
    return any(
        any(tok == modifier for tok, _ in per_position[i - 1])
        and any(tok == head for tok, _ in per_position[i])
        for i in range(1, len(per_position))
    )


def _compound(text: str, left: QueryToken, right: QueryToken) -> bool:
    """Are two neighbouring query words one noun phrase ("nail gun"), not two list items ("nails, gun")?"""
    return left.end < right.start and not text[left.end : right.start].strip(" -")


def _generic(index: MatchIndex, token: str) -> bool:
    """A word a good share of the catalogue uses ("dog" in a pet shop): it says little about which item."""
    return index.df.get(token, 0) >= max(GENERIC_MIN_ITEMS, GENERIC_SHARE * index.size)


def _distinctive(index: MatchIndex, token: str, elsewhere: MatchIndex | None) -> bool:
    """A name word at most two items use that is not plain English ("ridgeline", "cloudstep"): a brand or
    model word, which names the item on its own even when a word the catalogue does not know follows it.
    `elsewhere` is the shop's other index: "paint" is in one service of three, but in many products."""
    return (
        token in index.name_tokens
        and index.df.get(token, 0) + (elsewhere.df.get(token, 0) if elsewhere is not None else 0) <= 2
        and token not in common_words()
    )


def _plural(index: MatchIndex, position: int, raw: str) -> bool:
    """Did the customer pluralise the word ("doors", or with a letter too many: "puppiesi")? The stemmer also
    trims "canvas"; a word the item's own phrases spell the same way is the catalogue's word, not a plural."""
    if not raw.isalpha():
        return False
    if stem(raw) == raw:
        return raw not in index.postings and bool(padded_plural(index, raw))
    return raw not in index.item_words[position]


def _other_items_word(index: MatchIndex, tokens: frozenset[str], hits: list[tuple[str, float]]) -> bool:
    """Is the word the catalogue's, but specifically another item's (not this item's, not generic)?"""
    return bool(hits) and not any(
        tok in tokens or function_word(tok) or tok in NEUTRAL_MODIFIERS or _generic(index, tok)
        for tok, _ in hits
    )


def _ends_in_open_words(
    text: str,
    qtokens: list[QueryToken],
    per_position: list[list[tuple[str, float]]],
    at: int,
    item_tokens: frozenset[str],
    described: frozenset[str] = frozenset(),
) -> bool:
    """Do the item's words end a noun phrase that goes on, to the end of the message, in words the catalogue
    does not know ("nail drill", "makeup bag", "spray tan appointment")? English puts the head noun last: the
    customer wants that, and the item's words only say which one. The last word may be one the catalogue
    knows from another item only, after an unknown one ("cake decorating class": a class, not the cake), or
    a word of work done ("watch battery replacement": the replacing, not the watch)."""
    end = len(qtokens) - 1
    for j in range(at, len(qtokens)):
        word = qtokens[j].text
        if (
            not (
                _open_word(qtokens[j], per_position[j])
                or (j == end and word in _WORK_NOUNS)
                or (j == end and j > at and _only_others_word(per_position[j], item_tokens))
            )
            or not _compound(text, qtokens[j - 1], qtokens[j])
            or word in _SHOP_TALK
            or stem(word) in described  # "midge spray": the repellent its description calls a spray
            or word.endswith(ADJECTIVE_ENDINGS)
            or any(OSA.distance(word, tok, score_cutoff=1) <= 1 for tok in item_tokens)  # "brow gell"
        ):
            return False
    return not text[qtokens[-1].end :].strip(" .!?")


# Nouns of work done on a thing: after its name they are what is asked for ("watch battery replacement"),
# where before a name they only qualify it ("replacement strap", so they are plain qualifiers there).
_WORK_NOUNS = frozenset({"replacement", "replacements"})


def _only_others_word(hits: list[tuple[str, float]], item_tokens: frozenset[str]) -> bool:
    """Is the word the catalogue's, but none of this item's, and no function word or plain qualifier?"""
    return bool(hits) and not any(
        tok in item_tokens or function_word(tok) or tok in NEUTRAL_MODIFIERS for tok, _ in hits
    )


# Words that follow a thing's name without being a thing: asking about it ("mascara price"), when ("race
# day"), where, and prepositions ("cone after surgery"); adjectives by their ending ("washable").
_SHOP_TALK_TEXT = """
    price prices cost costs stock available availability delivery deliver shipping sale offer offers deal
    discount review reviews colour colours color colors shade shades option options today tomorrow now
    tonight asap here there again too aswell day days week weekend morning afternoon evening night month
    year after before under over without during near into onto off out
    up down inside outside behind above below between through across around"""
_SHOP_TALK = frozenset(_SHOP_TALK_TEXT.split())


def _other_section_word(
    index: MatchIndex, position: int, tokens: frozenset[str], hits: list[tuple[str, float]]
) -> bool:
    """Does the word name the sections every item using it is in, and not this item's ("lip" for the lips
    section, next to a Face Scrub)? Then "lip scrub" is a scrub of that section, which the shop
    does not sell. A word used across sections ("dog" in a pet shop) says nothing about which one."""
    for tok, _ in hits:
        if tok in tokens or function_word(tok) or tok in NEUTRAL_MODIFIERS:
            return False  # the item's own word, or a colour or size ("black trainers")
    # and not this item's section: its own words were ruled out above
    return any(_names_its_sections(index, tok) for tok, _ in hits)


@per_word("\x00section:")
def _names_its_sections(index: MatchIndex, token: str) -> bool:
    """Is every item using the token in a section it names ("hair" for hair and hair tools)? "glass" in one
    section's names is a material, not the section's name."""
    owners = _items_using(index, token)
    categories = {index.items[p].category or "" for p in owners}
    return len(owners) >= 2 and all(token in stems(c) for c in categories)


_COPULAS = frozenset({"is", "are", "was", "were", "isnt", "arent", "its"})


def _after_copula(qtokens: list[QueryToken], first: int) -> bool:
    """Is the mention the subject of "is (the) …" — "is the knife sharp", where what follows describes it?"""
    return any(qtokens[j].text in _COPULAS for j in range(max(0, first - 2), first))


def function_word(token: str) -> bool:
    """A stopword, or a word of one or two letters ("de", "la", "el"): "tienen mascara de pestañas" is not
    about the Eau *de* Parfum. It counts for an item whose phrase has it, never against another."""
    return token in STOPWORDS or (len(token) <= 2 and token.isalpha())


def _elsewhere_word(elsewhere: MatchIndex | None, word: str, *, head: bool = False) -> bool:
    """Is the word one of the shop's other kind, specific to a few of those items? "nail glue" next to a Gel
    Manicure: the glue is a product, so the nails qualify it (and the message asks for no service). Before
    the item's words (`head`), only a word that is such an item's head noun: in "iphone screen repair" the
    iPhone (of an iPhone 15 Case) is what the repair is done on, and the repair is asked for."""
    if elsewhere is None:
        return False
    token = stem(word)
    return (
        token in elsewhere.postings
        and token not in STOPWORDS
        and token not in NEUTRAL_MODIFIERS
        and not _generic(elsewhere, token)
        and (not head or any(token in elsewhere.items[p].heads for p in _items_using(elsewhere, token)))
    )


def _open_word(token: QueryToken, hits: list[tuple[str, float]]) -> bool:
    """A content word the catalogue does not know (not a stopword, size, plain qualifier or foreign word)."""
    word = token.text
    return (
        not hits
        and len(word) >= 3
        and word.isalpha()
        and word not in STOPWORDS
        and word not in SIZE_WORDS
        and word not in NEUTRAL_MODIFIERS
        and word not in foreign_words()
    )


def names_other_thing(
    index: MatchIndex,
    position: int,
    by_category: bool,
    text: str,
    qtokens: list[QueryToken],
    per_position: list[list[tuple[str, float]]],
    found: list[int],
    purpose: set[int],
    elsewhere: MatchIndex | None,
) -> bool:
    """Does the message use this item's words to qualify something else? English puts the head noun last:

    - "nail gun", "glue gun", "bird cage": a word right before or after the item's words, in the same noun
      phrase, that the catalogue knows as another item's (not a word many items share, like "dog"), or
      for a service, as a product's ("nail glue" beside a Gel Manicure);
    - "paint sprayer", "safety boots", "light switch": the item matched only on words that qualify it (none
      of its head nouns, or its category), followed by a word the catalogue does not know: that word is
      what the customer wants (unless the qualifier is a brand or model word: "harbour canvas sneakers");
    - "AA batteries", "puppies for sale": the item matched only on qualifiers, and the customer wrote one in
      the plural: a plural names the thing itself ("batteries"), where a brand or model word alone
      ("cordless", "ridgeline") names the item. Not after "for (the)": "a gate for the stairs" says where;
      not a plural of the item's own head noun ("running shoes" is a category of shoes) nor of a trade word
      only it uses ("gimbals": the Phone Gimbal Stabiliser).
    """
    item = index.items[position]
    tokens = item.tokens
    first, last = found[0], found[-1]
    before = first - 1 if first > 0 and _compound(text, qtokens[first - 1], qtokens[first]) else None
    after = (
        last + 1 if last + 1 < len(qtokens) and _compound(text, qtokens[last], qtokens[last + 1]) else None
    )
    if _of_another_thing(text, qtokens, per_position, first, tokens):
        return True
    for at in (before, after):
        if (
            at is not None
            and stem(qtokens[at].text) not in item.described
            and (
                (
                    _other_items_word(index, tokens, per_position[at])
                    and not (at == after and _kind_of_its_section(index, position, found, per_position, at))
                )
                or _other_section_word(index, position, tokens, per_position[at])
                or (not per_position[at] and _elsewhere_word(elsewhere, qtokens[at].text, head=at == before))
            )
        ):
            return True
    if (
        after is not None
        and last not in purpose
        and not _after_copula(qtokens, first)
        and _ends_in_open_words(text, qtokens, per_position, after, tokens, item.described)
    ):
        return True
    if _describes_other_kind(text, qtokens, per_position, found, item.heads, elsewhere):
        return True
    matched = {tok for i in found for tok, _ in per_position[i] if tok in tokens}
    qualifiers_only = by_category or not matched & item.heads
    if not qualifiers_only:
        return False
    if (
        after is not None
        and _open_word(qtokens[after], per_position[after])
        and stem(qtokens[after].text) not in item.described
        and (by_category or not any(_distinctive(index, tok, elsewhere) for tok in matched))
    ):
        return True
    if not matched & item.heads and _common_compound(index, text, qtokens, found, matched, elsewhere):
        return True
    return index.kind == "product" and any(
        _plural(index, position, qtokens[i].text)
        and not any(
            tok in item.heads or _own_word(index, position, tok)
            for tok, _ in per_position[i]
            if tok in tokens
        )
        for i in found
        if i not in purpose
    )


# "de" and its kin join a head noun to what qualifies it in Spanish, Portuguese, French and Italian.
_OF_WORDS = frozenset({"de", "del", "da", "das", "dos", "di", "du", "des"})


def _of_another_thing(
    text: str,
    qtokens: list[QueryToken],
    per_position: list[list[tuple[str, float]]],
    first: int,
    tokens: frozenset[str],
) -> bool:
    """Do the item's words follow "de" after another item's word ("pão de queijo": a cheese bread, not the
    cheese; "aceite de oliva": the oil, not the olives)? Romance languages put the head noun first, so what
    follows "de" only qualifies it, as the words before the head do in English."""
    if first < 2 or qtokens[first - 1].text not in _OF_WORDS:
        return False
    head, of = qtokens[first - 2], qtokens[first - 1]
    if not (_compound(text, head, of) and _compound(text, of, qtokens[first])):
        return False
    return _only_others_word(per_position[first - 2], tokens)


def _common_compound(
    index: MatchIndex,
    text: str,
    qtokens: list[QueryToken],
    found: list[int],
    matched: set[str],
    elsewhere: MatchIndex | None,
) -> bool:
    """Is the message's mention a noun phrase of two everyday words or more, ending the message, that the item
    only has as a qualifier of its head, and other items too ("smart watch" for a Smart Watch Charger beside
    a Smart Watch Strap)? The phrase names its own thing, which the shop does not sell. Not for a brand,
    model or trade word ("red velvet", "micro usb"), an -ing form or an adjective at its end ("wireless
    charging"), nor words only this item has together ("tennis ball" for the Tennis Ball Launcher)."""
    if len(matched) < 2 or any(has_digit(tok) or _distinctive(index, tok, elsewhere) for tok in matched):
        return False
    sharing = frozenset.intersection(*(_items_using(index, tok) for tok in matched))
    if sum(matched <= _name_words(index, p) for p in sharing) < 2:
        return False
    last = qtokens[found[-1]]
    if text[last.end :].strip(" .!?") or last.text.endswith(("ing", *ADJECTIVE_ENDINGS)):
        return False
    return all(_compound(text, qtokens[i], qtokens[i + 1]) for i in range(found[0], found[-1]))


def _kind_of_its_section(
    index: MatchIndex,
    position: int,
    found: list[int],
    per_position: list[list[tuple[str, float]]],
    at: int,
) -> bool:
    """Is the word after the item's a head noun of other items, all of them in this item's section and none
    with the item's words before it ("feta cheese" beside a Manchego Cheese at the deli counter, "rye loaf"
    beside the Sourdough Loaf)? It says what kind of thing the item is, as a customer who does not know the
    name's word for it would. Not "nail gun" (the nails and the caulking gun are in different sections), nor
    "litter tray" beside a Litter Tray (that item has both words: it is named)."""
    item = index.items[position]
    kinds = [tok for tok, _ in per_position[at] if item.category and _section_of(index, tok) == item.category]
    if not kinds:
        return False
    said = {tok for i in found for tok, _ in per_position[i] if tok in item.tokens}
    if not any(_names_the_item(index, position, tok) for tok in said - NEUTRAL_MODIFIERS):
        return False  # "spanish cheese": the Spanish Chorizo's qualifier, not what it is
    for tok in kinds:
        owners = _items_using(index, tok) - {position}
        if any(tok in index.items[p].heads for p in owners) and not any(
            said & index.items[p].tokens for p in owners
        ):
            return True
    return False


@per_word("\x00one-section:")
def _section_of(index: MatchIndex, token: str) -> str | None:
    """The one section every item using the token is in, or None."""
    categories = {index.items[p].category for p in _items_using(index, token)}
    return next(iter(categories)) if len(categories) == 1 else None


def _names_the_item(index: MatchIndex, position: int, token: str) -> bool:
    """Is the token one of the item's head phrases (its head noun, or a word only its name has: "feta" in
    Greek Feta, "rye" in Dark Rye Bread)? A word many items use is no word only one name has."""
    if token in index.items[position].heads:
        return True
    posting = index.postings[token][0]
    return len(posting) <= 4 and any(
        index.phrase_field[p] == "head" and int(index.phrase_item[p]) == position for p in posting.tolist()
    )


def _own_word(index: MatchIndex, position: int, token: str) -> bool:
    """Is the token a name word only this item uses and no English word — a trade, brand or model word
    ("gimbal" in Phone Gimbal Stabiliser, a head phrase of its own: engine.catalog.index._own_words)? Its
    plural names the item as the head noun's would ("gimbals"), where an English qualifier's names the thing
    itself ("puppies" for sale, "AA batteries")."""
    if is_english(token):
        return False
    ids = index.postings[token][0]
    return any(
        index.phrase_field[p] == "head" and int(index.phrase_item[p]) == position for p in ids.tolist()
    )


def _describes_other_kind(
    text: str,
    qtokens: list[QueryToken],
    per_position: list[list[tuple[str, float]]],
    found: list[int],
    heads: frozenset[str],
    elsewhere: MatchIndex | None,
) -> bool:
    """Is the item's head noun reached only through a past participle ("engraved" for Tag Engraving) right
    before, in one noun phrase, a head noun of the shop's other kind ("engraved tag": the Engraved Pet ID
    Tag)? The participle describes that thing, which the message asks for, not the work done on it."""
    if elsewhere is None:
        return False
    for i in found:
        word = qtokens[i].text
        if not word.endswith("ed") or i + 1 == len(qtokens):
            continue
        if not _compound(text, qtokens[i], qtokens[i + 1]):
            continue
        if stem(word) in heads or not any(tok in heads for tok, _ in per_position[i]):
            continue
        following = {stem(qtokens[i + 1].text)} | {tok for tok, _ in per_position[i + 1]}
        if any(
            any(tok in elsewhere.items[p].heads for p in _items_using(elsewhere, tok)) for tok in following
        ):
            return True
    return False


# Two or more of an item's words that no other item has together ("free food" for the Grain-Free Dog Food):
# the customer named that item, however much of its name they left out.
PAIR_CONFIDENCE = 0.6


@per_word("\x00items:")
def _items_using(index: MatchIndex, token: str) -> frozenset[int]:
    """The positions of the items any of whose phrases has the token."""
    posting = index.postings.get(token)
    return frozenset(index.phrase_item[posting[0]].tolist()) if posting is not None else frozenset()


def _name_words(index: MatchIndex, position: int) -> frozenset[str]:
    """The tokens of the item's name (not its aliases or category), as the index stems them; cached."""
    return cached(index, f"\x00name:{position}", lambda: frozenset(stems(index.items[position].name)))


def in_name(
    index: MatchIndex, position: int, content: list[int], per_position: list[list[tuple[str, float]]]
) -> float:
    """The share of the item's words the message used that are in its name, not only in an alias or its
    category."""
    tokens = index.items[position].tokens
    used = {tok for i in content for tok, _ in per_position[i] if tok in tokens}
    return len(used & _name_words(index, position)) / (len(used) or 1)


def _specification(token: str) -> bool:
    """A number with its unit run together ("10000mah", "20w", "128gb"): a measure, not a count or a model."""
    return len(token) >= 3 and has_digit(token) and not token.isdigit() and token[0].isdigit()


def tokens_had(
    index: MatchIndex, position: int, content: list[int], per_position: list[list[tuple[str, float]]]
) -> int:
    """How many distinct catalogue words read into the message's content words the item has."""
    tokens = index.items[position].tokens
    return len({tok for i in content for tok, _ in per_position[i] if tok in tokens})


def _side_by_side_only_here(
    index: MatchIndex,
    position: int,
    others: frozenset[int],
    per_position: list[list[tuple[str, float]]],
    content: list[int],
) -> bool:
    """Are the message's words, one after another, words of this item's name one after another, as they are
    in no other item's name? "bird seed" is the Wild Bird Seed Mix, though the Seed Feeder's section is
    bird care."""
    tokens = index.items[position].tokens
    if sorted(content) != list(range(min(content), max(content) + 1)):
        return False
    run = []
    for i in sorted(content):
        read = [(sim, tok) for tok, sim in per_position[i] if tok in tokens]
        if not read:
            return False
        run.append(max(read)[1])

    def in_name(item: int) -> bool:
        name = stems(index.items[item].name)
        return any(name[k : k + len(run)] == run for k in range(len(name) - len(run) + 1))

    return in_name(position) and not any(in_name(other) for other in others)


def names_only_this_item(
    index: MatchIndex,
    position: int,
    qtokens: list[QueryToken],
    per_position: list[list[tuple[str, float]]],
    content: list[int],
    elsewhere: MatchIndex | None,
) -> bool:
    """Does the message name this item by two or more of its words that no other item of the shop has
    together, and nothing else (no word the catalogue does not know)? "free food" names the Grain-Free
    Dog Food; "dog food" names no one item of a shop with a puppy food too; "nail drill" is not this."""
    tokens = index.items[position].tokens
    words = {tok for i in content for tok, _ in per_position[i] if tok in tokens and not function_word(tok)}
    # A plain qualifier ("warm", "black") counts beside a word that is not one: "led warm" is the LED Bulb
    # Warm White, where "warm black" names nothing.
    # One specification only this item has ("10000mah", "20w") names it as two such words would.
    spec = len(words) == 1 and _specification(next(iter(words)))
    if (len(words) < 2 and not spec) or words <= NEUTRAL_MODIFIERS:
        return False
    if any(_open_word(q, hits) for q, hits in zip(qtokens, per_position, strict=True)):
        return False
    others = frozenset.intersection(*(_items_using(index, tok) for tok in words)) - {position}
    if others and not _side_by_side_only_here(index, position, others, per_position, content):
        return False
    return elsewhere is None or not frozenset.intersection(*(_items_using(elsewhere, tok) for tok in words))


def said_not_to_be(item: IndexedItem, said: set[str], read: Collection[str]) -> bool:
    """Does the message name a thing the item's description says it is not or does not come with, and not
    the item itself? "vacuum cleaner" is not the Vacuum Cleaner Bags ("we don't sell vacuum cleaners
    themselves": the message has no bag), "a car key cut" not the Key Cutting ("no car keys": car is no word
    of the service's), "a pump for the air bed" not the Air Bed ("pump not included"). `said`: the message's
    words and the catalogue words read surely into them; `read`: every catalogue word read into them."""

    def has(bag: Collection[str], word: str) -> bool:  # "knive" (the stem of knives) is the index's "knife"
        return word in bag or any(form in bag for form in singular_forms(word + "s"))

    return any(
        all(has(said, w) for w in words)
        and (not all(has(item.tokens, w) for w in words) or item.heads.isdisjoint(read))
        for words in item.excluded
    )


_BIGGER_TEXT = (
    "big bigger biggest large larger largest huge giant jumbo family xl xxl grande grandes grand gros"
)
_SMALLER_TEXT = "small smaller smallest little mini tiny wee pequeno pequena pequenos pequenas petit petite"
_BIGGER = frozenset(_BIGGER_TEXT.split())
_SMALLER = frozenset(_SMALLER_TEXT.split())
_MEASURE = re.compile(r"(\d+(?:[.,]\d+)?)\s*(mm|cm|m|ml|cl|l|g|kg|in|oz|lb)\b")
_IN_BASE_UNITS = {"mm": 1, "cm": 10, "m": 1000, "ml": 1, "cl": 10, "l": 1000, "g": 1, "kg": 1000}
_IN_BASE_UNITS |= {"in": 25.4, "oz": 28.35, "lb": 453.6}


def size_wanted(qtokens: list[QueryToken]) -> int:
    """1 when the customer asks for a big one, -1 for a small one, else 0."""
    words = {q.text for q in qtokens}
    return (1 if words & _BIGGER else 0) - (1 if words & _SMALLER else 0)


def measure(name: str) -> float:
    """The first measure a name gives ("Frying Pan 28cm": 280, "Honey 454g": 454), in millimetres, millilitres
    or grams, or 0: what "big" and "small" compare among items otherwise tied."""
    found = _MEASURE.search(name.lower())
    return float(found[1].replace(",", ".")) * _IN_BASE_UNITS[found[2]] if found else 0.0


_REFUSING = frozenset({"not", "isnt", "arent", "dont", "doesnt", "without", "except", "nor", "never"})
_CLAUSE_BREAK = re.compile(r"[,.;:!?]|\bbut\b")
REFUSED_SPAN = 3  # words after "not" that it refuses ("not the black one")
# An item whose name says what it is without ("Non-Stick Baking Paper", "Gluten-Free Oats", "No Added Sugar"):
# the customer's "doesn't stick" or "without gluten" asks for it.
SAYS_WITHOUT = frozenset({"no", "not", "non", "free", "without", "anti", "less"})


def refused_words(
    text: str, qtokens: list[QueryToken], per_position: list[list[tuple[str, float]]]
) -> frozenset[str]:
    """The catalogue words the message says it does not want: read in the few words after "not", "isn't",
    "without" and their kin, up to the end of the clause ("the pudding that isn't the black one": black);
    an item that has them, and does not say it is without them itself (SAYS_WITHOUT), is not what was asked
    for."""
    return frozenset(
        tok for j in refused_positions(text, qtokens) for tok, _ in per_position[j] if tok not in STOPWORDS
    )


def refused_positions(text: str, qtokens: list[QueryToken]) -> set[int]:
    """The positions of the few words after "not", "isn't", "without" and their kin, within the clause."""
    out: set[int] = set()
    for i, q in enumerate(qtokens):
        if q.text not in _REFUSING:
            continue
        for j in range(i + 1, min(len(qtokens), i + 1 + REFUSED_SPAN)):
            if _CLAUSE_BREAK.search(text[qtokens[j - 1].end : qtokens[j].start]):
                break
            out.add(j)
    return out


DESCRIBED_CONFIDENCE = 0.55  # named by what its description says it does, not by its name: just over the bar
_ASKING_FOR_USE = re.compile(
    r"\b(?:something|anything|somethin|what|need|want|looking|wanting)\b.*\b(?:to|for|with|in)\b\s+\w"
)
_VAGUE = frozenset(
    [
        "something",
        "anything",
        "thing",
        "things",
        "need",
        "want",
        "looking",
        "get",
        "got",
        "use",
        "make",
        "do",
        "does",
        "have",
        "keep",
        "put",
        "take",
    ]
)


_ABOUT_KEY = "\x00about"


def _about_postings(index: MatchIndex) -> dict[str, list[int]]:
    """Each description word, and the positions of the items whose description has it."""
    out: dict[str, list[int]] = {}
    for position, item in enumerate(index.items):
        for word in item.about:
            out.setdefault(word, []).append(position)
    return out


def described_for(index: MatchIndex, text: str, qtokens: list[QueryToken]) -> int | None:
    """The one item whose description says what the customer wants a thing for, when no name answered:
    "something to crush garlic" is the Garlic Rocker described as "rock it over peeled cloves to crush
    garlic". Only a message asking for a thing for a use ("something to...", "what do i... in"), two or
    more of its words in the item's description or name with one from the description, and no other item
    as near."""
    if not _ASKING_FOR_USE.search(text.lower()):
        return None
    refused = refused_positions(text, qtokens)
    words = {stem(q.text) for i, q in enumerate(qtokens) if len(q.text) >= 3 and i not in refused}
    words -= STOPWORDS | _VAGUE
    if len(words) < 2:
        return None
    about = cached(index, _ABOUT_KEY, lambda: _about_postings(index), always=True)
    candidates = {position for word in words for position in about.get(word, ())}
    best = [(len(words & (index.items[p].about | index.items[p].tokens)), p) for p in candidates]
    if not best:
        return None
    best.sort(reverse=True)
    count, position = best[0]
    if count < 2 or (len(best) > 1 and best[1][0] == count):
        return None
    return position
