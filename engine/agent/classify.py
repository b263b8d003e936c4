"""What a customer message signals beyond its request: wants a person, frustrated (strong or mild), legal
threat / chargeback / regulator, medical or safety, abuse.

Two layers, because neither alone is enough:

1. **Lexicons** (engine/agent/data/lexicons/<lang>.txt): high-precision patterns per language, applied to
   every message whatever its language. They work with no model at all (the offline path) and carry the
   languages the embedding model does not understand.
2. **Labelled exemplars** on the MiniLM embedding the product already ships (engine.knowledge.embeddings, spec
   "local"): several hundred written examples per class plus ordinary shop messages
   (engine/agent/data/exemplars/*.jsonl), and a logistic regression fitted on their vectors. all-MiniLM is
   English-only, so this layer votes on English messages only: a message the turn answers in English that is
   Hindi in Latin letters, or where the language detector finds no English, is left to the lexicons. One
   embedding per turn, shared: the classifier embeds exactly the string a knowledge search embeds for the
   message (`embed_text` of its one request as the intents read it: engine.agent.read passes it, and
   engine.agent.retrieval embeds the same), through the same cached embedder, which never embeds one text
   twice at once — so a searched message costs a dot product. Otherwise the message is embedded once, in the
   background, while the turn reads its context (`start`), and the handoff decision waits for that vote
   however long it takes (`PendingSignals.result`): the answer to a customer never depends on how busy the
   machine is. The embedding overlaps the rest of the turn's reading and the model's call; its cost per turn
   is measured by benchmarks/agent_turn.py (`--embedder local --signals on|off`, benchmarks/README.md).

The exemplar vectors are built once per process in a background thread (and kept on disk under the data
folder, keyed by the exemplars' content) and the classifier fitted on them; a message waits for that once.
When the local model is not installed or KNOWLEDGE_EMBEDDER is "none", classification is lexicon-only.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from cachetools import LRUCache

from engine.agent import language
from engine.catalog.text import fold

log = logging.getLogger(__name__)

DATA = Path(__file__).parent / "data"
CLASSES = ("wants_person", "frustrated", "legal", "medical_safety", "abuse")
# The exemplar layer is a multinomial logistic regression over the exemplars' MiniLM vectors (labels: the
# classes, frustration split into strong and mild, and "none"), fitted once per process when the index is
# built: a linear boundary generalises to new wording where nearest neighbours (tried first: 0.45 of the
# development set's English handoff messages found alone) need a near-copy of an exemplar.
MIN_PROBABILITY = 0.5  # a class fires at this probability (for frustration: strong and mild together)
# …and only when the class's closest exemplar is closer than every ordinary message's by this much: a linear
# model is sure of itself far from anything it was shown ("good morning" scored as abuse), the exemplars
# themselves are not.
MIN_MARGIN = 0.03
REGULARISATION = 16.0  # scikit-learn's C: the exemplars are clean, so a light penalty fits them best
SEMANTIC_LANGUAGES = frozenset({"en"})


@dataclass(frozen=True)
class MessageSignals:
    """The classes one message shows, how strong its frustration is, and what said so (for the trace)."""

    classes: frozenset[str] = frozenset()
    frustration: str | None = None  # "strong" | "mild" | None
    via: dict[str, str] = field(default_factory=dict)  # class -> "lexicon:<lang>" | "semantic:<score>"

    def to_dict(self) -> dict[str, Any]:
        return {"classes": sorted(self.classes), "frustration": self.frustration, "via": dict(self.via)}


# ------------------------------------------------------------------------------------------------ lexicons


# A word family in a lexicon file: `@NAME = regex` on its own line, used as `{NAME}` in that file's patterns
# (expanded to a non-capturing group). Families carry a language's grammar once — the verbs of speaking,
# the nouns for a person, "already told you", "the same answer" — so a pattern reads as a structure and a new
# spelling or typo of one word is added to its family, reaching every pattern that uses it.
_FAMILY = re.compile(r"^@([A-Z][A-Z0-9_]*)\s*=\s*(.+)$")
_FAMILY_USE = re.compile(r"\{([A-Z][A-Z0-9_]*)\}")


def _expand(line: str, families: dict[str, str], where: str) -> str:
    def one(match: re.Match[str]) -> str:
        if match.group(1) not in families:
            raise ValueError(f"{where}: unknown word family {{{match.group(1)}}}")
        return f"(?:{families[match.group(1)]})"

    return _FAMILY_USE.sub(one, line)


@lru_cache(maxsize=1)
def lexicons() -> dict[str, dict[str, list[re.Pattern[str]]]]:
    """{language: {section: [pattern]}} from the data folder (README.md there describes the format)."""
    out: dict[str, dict[str, list[re.Pattern[str]]]] = {}
    for path in sorted((DATA / "lexicons").glob("*.txt")):
        sections: dict[str, list[re.Pattern[str]]] = {}
        families: dict[str, str] = {}
        current: list[re.Pattern[str]] | None = None
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            where = f"{path.name}:{number}"
            family = _FAMILY.match(line)
            if family:
                families[family.group(1)] = _expand(family.group(2).strip(), families, where)
            elif line.startswith("[") and line.endswith("]"):
                current = sections.setdefault(line[1:-1], [])
            elif current is not None:
                current.append(re.compile(_expand(line, families, where)))
        out[path.stem] = sections
    return out


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    """(language, section, one alternation of the section's patterns): a section already shown by an earlier
    language is skipped whole. The matching costs the same as one search per pattern (0.33 against 0.32 ms a
    message on the development messages): the layer's cost grows with its patterns, ~0.8 µs each."""
    return tuple(
        (lang, section, re.compile("|".join(f"(?:{p.pattern})" for p in patterns)))
        for lang, sections in lexicons().items()
        for section, patterns in sections.items()
        if patterns
    )


_SHOUT_MIN_LETTERS = 12
_SHOUT_MIN_WORDS = 3
_WORDS = re.compile(r"[^\W\d_]+")


def shouting(text: str) -> bool:
    """Mostly capitals over a real sentence ("WHY IS NOBODY ANSWERING"), not an acronym, nor a product or a
    name typed in capitals ("CHELSEA BOOTS??": two words)."""
    letters = [c for c in text if c.isalpha()]
    return (
        len(letters) >= _SHOUT_MIN_LETTERS
        and sum(c.isupper() for c in letters) / len(letters) >= 0.7
        and len(_WORDS.findall(text)) >= _SHOUT_MIN_WORDS
    )


# Capitals and "!!!" in delight ("OMG I LOVE IT SO MUCH THANK YOU", "GRACIAS!!! ME ENCANTO") are not anger:
# a cheerful message counts only when a lexicon also finds frustration in it, or it turns ("THANK YOU BUT
# WHERE IS MY ORDER").
_CHEERFUL = re.compile(
    r"\b(thank\w*|thx|ty|love|loved|loving|lovely|happy|amazing|awesome|perfect|brilliant|excellent|"
    r"fantastic|wonderful|gorgeous|beautiful|stunning|cute|obsessed|best|omg|wow|yay|woo+|congrat\w*|"
    r"gracias|encant\w*|mejor|precios[oa]|obrigad[oa]|amei|amo|adorei|perfeit[oa]|lind[oa]|maravilh\w*|"
    r"melhor|merci|adore|genial|magnifique|meilleur|danke|liebe|toll|wunderbar|grazie|adoro|bellissim\w*|"
    r"asante|nzuri|shukriya|dhanyavaad|mast|maravill\w*|increible|incrivel|otimo|super|fantastic\w*)\b"
)
_CONTRARY = re.compile(r"\b(but|still|where|why|never|nothing|not|no|yet|again|pero|mas|mais|aber|ma)\b")
_ELISION = re.compile(r"['’`´]")
# A French or Italian elision typed with a space instead of the apostrophe ("j en peux plus", "je vous l ai
# deja dit", "te l ho gia detto", "c e qualcuno", "quelqu un"), or an English one ("don t"): joined, it reads
# as the folded apostrophe form the patterns are written for ("jen", "lai", "lho", "ce", "quelquun", "dont").
_SPACED_ELISION = re.compile(r"\b([jlndmtsc]|qu|quelqu|jusqu|lorsqu|puisqu) (?=[aeiouhy])")
_EXCLAIMED = re.compile(r"[!?]{3,}")
_ANGRY_FACE = re.compile(r"😡|🤬|😤|😠|💢")


@lru_cache(maxsize=8192)
def lexicon_signals(text: str) -> MessageSignals:
    """The lexicon layer alone (every language's file on every message).

    Remembered by text, per process: a turn judges its message, then the session's earlier messages again
    (mild frustration counts towards two), and the background vote and the handoff decision each ask too —
    about seven calls a turn at ~0.35 ms each (400 patterns), where one is new. The verdict is a function
    of the text and the files alone, and MessageSignals is frozen."""
    folded = fold(text)
    # Elisions keep their word apart too: "d'idiot" folds to "didiot", "d idiot" still reads "idiot".
    variants = [folded]
    if _ELISION.search(text):
        variants.append(fold(_ELISION.sub(" ", text)))
    joined = _SPACED_ELISION.sub(r"\1", folded)
    if joined != folded:
        variants.append(joined)
    classes: set[str] = set()
    via: dict[str, str] = {}
    strength: str | None = None
    for lang, section, pattern in _compiled():
        name = "frustrated" if section.startswith("frustrated") else section
        if name in classes and not (section == "frustrated_strong" and strength != "strong"):
            continue  # already shown (a mild frustration still looks for a strong one)
        if not any(pattern.search(v) for v in variants):
            continue
        classes.add(name)
        via.setdefault(name, f"lexicon:{lang}")
        if section == "frustrated_strong":
            strength = "strong"
        elif section == "frustrated_mild" and strength is None:
            strength = "mild"
    cheerful = bool(_CHEERFUL.search(folded)) and not _CONTRARY.search(folded)
    shouted = shouting(text) and ("frustrated" in classes or not cheerful)
    angry = bool(_ANGRY_FACE.search(text)) or (bool(_EXCLAIMED.search(text)) and not cheerful)
    if shouted or angry:
        classes.add("frustrated")
        via.setdefault("frustrated", "shouting")
        strength = "strong" if shouted else (strength or "mild")
    if "abuse" in classes:
        strength = "strong"  # abuse aimed at the bot is the strongest frustration there is
        classes.add("frustrated")
    return MessageSignals(frozenset(classes), strength if "frustrated" in classes else None, via)


# ------------------------------------------------------------------------------------ exemplars (semantic)


@dataclass(frozen=True)
class ExemplarIndex:
    vectors: np.ndarray  # (n, d) unit rows
    labels: np.ndarray  # (n,) class name or "none"
    strengths: np.ndarray  # (n,) "strong" | "mild" | ""
    model: str
    weights: np.ndarray  # (k, d) the fitted classifier's coefficients, one row per output
    bias: np.ndarray  # (k,)
    outputs: tuple[str, ...]  # (k,) class names, frustration as frustrated_strong / frustrated_mild


def fit_index(vectors: np.ndarray, labels: np.ndarray, strengths: np.ndarray, model: str) -> ExemplarIndex:
    """Fit the exemplar classifier (deterministic: the same exemplars give the same weights)."""
    from sklearn.linear_model import LogisticRegression

    targets = np.array(
        [
            f"frustrated_{s or 'strong'}" if label == "frustrated" else label
            for label, s in zip(labels, strengths, strict=True)
        ]
    )
    fitted = LogisticRegression(C=REGULARISATION, max_iter=3000).fit(vectors, targets)
    outputs = tuple(str(c) for c in fitted.classes_)
    weights, bias = fitted.coef_.astype(np.float32), fitted.intercept_.astype(np.float32)
    if len(outputs) == 2:  # scikit-learn keeps one row for two classes: the second's log-odds
        weights, bias = np.vstack([-weights / 2, weights / 2]), np.array([-bias[0] / 2, bias[0] / 2])
    return ExemplarIndex(vectors, labels, strengths, model, weights, bias, outputs)


def exemplars() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted((DATA / "exemplars").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                rows.append({**json.loads(line), "label": path.stem})
    return rows


_index: ExemplarIndex | None = None
_index_lock = threading.Lock()
_building: threading.Thread | None = None
_failed: str | None = None  # why the index could not be built (then lexicons only, never retried)
_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="agent-classify")


def semantic_embedder() -> Any | None:
    """The shared local MiniLM embedder (the one knowledge search uses for "local"), or None: not installed,
    or KNOWLEDGE_EMBEDDER turns vectors off ("none"), as tests and lexical-only deployments do."""
    from engine.config import get_settings
    from engine.knowledge.embeddings import build_embedder, local_model_available

    spec = (get_settings().knowledge_embedder or "auto").strip().lower()
    if spec.partition(":")[0] in ("none", "off", "lexical", "hashing") or not local_model_available():
        return None
    try:
        return build_embedder(spec if spec.startswith("local") else "local")
    except Exception as exc:  # a broken install leaves the lexicons
        log.warning("no local embedder for the message classifier: %s", exc)
        return None


PACKAGED = DATA / "exemplars" / "vectors.npz"


def exemplar_digest(texts: Sequence[str], model: str) -> str:
    """Names the exemplar texts and the model their vectors came from: stale vectors are never used."""
    return hashlib.sha256(("\x00".join(texts) + model).encode()).hexdigest()[:16]


def save_packaged_vectors() -> Path:
    """Embed the exemplars with the local model and write them beside the exemplars (float16, ~2 MB)."""
    embedder = semantic_embedder()
    if embedder is None:
        raise RuntimeError("the local embedding model is not available")
    texts = [r["text"] for r in exemplars()]
    vectors = np.asarray(getattr(embedder, "inner", embedder).embed(texts), dtype=np.float16)
    np.savez_compressed(PACKAGED, vectors=vectors, digest=np.array(exemplar_digest(texts, embedder.name)))
    return PACKAGED


def _build_index(embedder: Any) -> ExemplarIndex:
    from engine.config import get_settings

    rows = exemplars()
    texts = [r["text"] for r in rows]
    digest = exemplar_digest(texts, embedder.name)
    cache = Path(get_settings().data_dir) / "cache" / f"exemplars-{digest}.npy"
    vectors: np.ndarray | None = None
    if PACKAGED.is_file():  # shipped beside the exemplars (generate.py --vectors): no start-up embedding
        with np.load(PACKAGED) as packaged:
            if str(packaged["digest"]) == digest:
                vectors = packaged["vectors"].astype(np.float32)
    if vectors is None and cache.is_file():
        try:
            vectors = np.load(cache)
        except (OSError, ValueError):
            vectors = None
    if vectors is None or vectors.shape[0] != len(texts):
        inner = getattr(embedder, "inner", embedder)  # not through the content cache: 2,000 one-off texts
        vectors = np.asarray(inner.embed(texts), dtype=np.float32)
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            np.save(cache, vectors)
        except OSError as exc:
            log.info("exemplar vectors not cached on disk: %s", exc)
    return fit_index(
        vectors.astype(np.float32),
        np.array([r["label"] for r in rows]),
        np.array([r.get("strength", "") for r in rows]),
        embedder.name,
    )


def warm(*, block: bool = False) -> bool:
    """Build the exemplar index (in the background unless `block`); True when it is ready."""
    global _building, _index
    if _index is not None:
        return True
    embedder = semantic_embedder()
    if embedder is None or _failed is not None:
        return False

    def build() -> None:
        global _index, _failed
        try:
            built = _build_index(embedder)
        except Exception as exc:
            log.warning("the message classifier stays lexicon-only: %s", exc)
            _failed = str(exc) or type(exc).__name__
            return
        with _index_lock:
            _index = built

    with _index_lock:
        if _building is None:
            _building = threading.Thread(target=build, name="classifier-exemplars", daemon=True)
            _building.start()
        thread = _building
    if block:
        thread.join()
    return _index is not None


def semantic_signals(vector: Sequence[float], index: ExemplarIndex) -> MessageSignals:
    """The exemplar classifier's vote: each class at MIN_PROBABILITY or above (frustration: strong when its
    strong output alone reaches it, else mild when strong and mild together do)."""
    q = np.asarray(vector, dtype=np.float32)
    logits = index.weights @ q + index.bias
    p = np.exp(logits - logits.max())
    probs = dict(zip(index.outputs, (p / p.sum()).tolist(), strict=True))
    sims = index.vectors @ q
    ordinary = float(sims[index.labels == "none"].max(initial=-1.0))
    classes: set[str] = set()
    via: dict[str, str] = {}
    strength: str | None = None
    for name in CLASSES:
        if name == "frustrated":
            strong, mild = probs.get("frustrated_strong", 0.0), probs.get("frustrated_mild", 0.0)
            score = strong + mild
            strength = "strong" if strong >= MIN_PROBABILITY else "mild"
        else:
            score = probs.get(name, 0.0)
        if (
            score >= MIN_PROBABILITY
            and float(sims[index.labels == name].max(initial=-1.0)) >= ordinary + MIN_MARGIN
        ):
            classes.add(name)
            via[name] = f"semantic:{score:.2f}"
    if "abuse" in classes:
        classes.add("frustrated")
        strength = "strong"
    return MessageSignals(frozenset(classes), strength if "frustrated" in classes else None, via)


def combine(a: MessageSignals, b: MessageSignals) -> MessageSignals:
    """Union of two layers' classes; the stronger frustration wins."""
    order = {None: 0, "mild": 1, "strong": 2}
    strength = max((a.frustration, b.frustration), key=lambda s: order[s])
    return MessageSignals(a.classes | b.classes, strength, {**b.via, **a.via})


def embed_text(text: str) -> str:
    """The string the classifier embeds for a message: the one knowledge search would embed for it
    (engine.knowledge.search.normalize_query), so the embedding cache holds one vector for both."""
    from engine.knowledge.search import normalize_query

    return normalize_query(text)


def _wanted(texts: Sequence[str], langs: Sequence[str], out: Sequence[MessageSignals]) -> list[int]:
    """The messages the exemplars vote on: in English, and not already handed over by the lexicons. The turn's
    language is English whenever the detector was unsure or the customer wrote Hindi in Latin letters, so the
    message itself must read as English too (engine.agent.language.reads_as_english): all-MiniLM reads
    "aapka staff bahut accha hai" as a request for staff and "qual o prazo de entrega?" as a medical worry.
    Those messages have their own language's lexicon only."""
    return [
        i
        for i, t in enumerate(texts)
        if t.strip()
        and langs[i] in SEMANTIC_LANGUAGES
        and not _decided(out[i])
        and language.reads_as_english(t)
    ]


def classify_messages(
    texts: Sequence[str],
    languages: Sequence[str] | None = None,
    *,
    embed_as: Sequence[str] | None = None,
) -> list[MessageSignals]:
    """Each message's signals: the lexicons, plus the exemplar vote for English ones (waiting for the exemplar
    index if this process has not built it yet, so the first messages after a start are judged like the
    rest). `embed_as`: the string to embed per message (the knowledge search's query for it),
    `embed_text(text)` by default."""
    out = [lexicon_signals(t) for t in texts]
    langs = list(languages or ["en"] * len(texts))
    wanted = _wanted(texts, langs, out)
    if not wanted or not warm(block=True) or _index is None:
        return out
    index = _index
    embedder = semantic_embedder()
    if embedder is None or embedder.name != index.model:
        return out
    known = {i: _recall((texts[i], langs[i], index.model)) for i in wanted}
    for i, signals in known.items():
        if signals is not None:
            out[i] = signals
    wanted = [i for i in wanted if known[i] is None]
    if not wanted:
        return out
    strings = list(embed_as) if embed_as is not None else [embed_text(t) for t in texts]
    try:
        # Through the cache, one at a time per text: a vector knowledge search computed (or is computing) for
        # the same string is reused, never embedded again.
        vectors = embedder.embed([strings[i] for i in wanted])
    except Exception as exc:
        log.warning("message classifier fell back to lexicons: %s", exc)
        return out
    for i, vector in zip(wanted, vectors, strict=True):
        out[i] = combine(out[i], semantic_signals(vector, index))
        _remember((texts[i], langs[i], index.model), out[i])
    return out


# Each message's verdict, by its text: a turn judges the session's earlier messages again (mild frustration
# counts towards two), and their verdicts were reached in their own turns. Without this, every earlier message
# whose own turn embedded the knowledge search's query (not its raw text) was embedded again on the reply
# path: ~+45 ms CPU a turn in benchmarks/agent_turn.py. Per process; the lock because turns run in threads.
_remembered: LRUCache[tuple[str, str, str], MessageSignals] = LRUCache(maxsize=8192)
_remembered_lock = threading.Lock()


def _recall(key: tuple[str, str, str]) -> MessageSignals | None:
    with _remembered_lock:
        return _remembered.get(key)


def _remember(key: tuple[str, str, str], signals: MessageSignals) -> None:
    with _remembered_lock:
        _remembered[key] = signals


def forget_verdicts() -> None:
    """Drop the remembered verdicts (tests; an exemplar index replaced in a running process)."""
    with _remembered_lock:
        _remembered.clear()


def _decided(signals: MessageSignals) -> bool:
    """The lexicons already hand this message over whatever the exemplars say: no embedding needed."""
    return bool(signals.classes & {"wants_person", "legal", "medical_safety", "abuse"}) or (
        signals.frustration == "strong"
    )


class PendingSignals:
    """A burst's signals being classified in the background: `result()` at the handoff decision.

    The lexicon verdict is computed at once; the exemplar vote (one embedding, or none when the knowledge
    search's vector is shared) is always waited for, so the signals are a function of the messages alone."""

    def __init__(self, texts: Sequence[str], languages: Sequence[str], embed_as: Sequence[str]) -> None:
        self.texts = list(texts)
        self.languages = list(languages)
        self.embed_as = list(embed_as)
        self.lexical = [lexicon_signals(t) for t in self.texts]
        self.future: Future[list[MessageSignals]] | None = None

    def result(self) -> list[MessageSignals]:
        """The signals, once the exemplar vote is in; the lexicons alone when the embedder failed."""
        if self.future is None:
            return self.lexical
        try:
            return self.future.result()
        except Exception as exc:  # a broken embedder: the lexicons still decide
            log.warning("message classifier fell back to lexicons: %s", exc)
            return self.lexical

    def _run(self) -> list[MessageSignals]:
        return classify_messages(self.texts, self.languages, embed_as=self.embed_as)


def start(
    texts: Sequence[str],
    languages: Sequence[str] | None = None,
    *,
    requests: Sequence[str | None] | None = None,
) -> PendingSignals:
    """Classify in the background while the turn reads its context; `.result()` when deciding the handoff.

    `requests`: per message, the text a knowledge search for it would embed (its one request as the intents
    read it; None: the message itself). The classifier embeds that text, so when the turn searches the
    knowledge base for it the cached embedder embeds it once for both — whichever asks second waits for the
    first's vector — and the vote is in as soon as the vector is."""
    texts = list(texts)
    langs = list(languages) if languages else ["en"] * len(texts)
    wanted = list(requests) if requests is not None and len(requests) == len(texts) else [None] * len(texts)
    embed_as = [embed_text(request or text) for text, request in zip(texts, wanted, strict=True)]
    pending = PendingSignals(texts, langs, embed_as)
    if _wanted(texts, langs, pending.lexical) and semantic_embedder() is not None:
        pending.future = _pool.submit(pending._run)
    return pending


__all__ = [
    "CLASSES",
    "MessageSignals",
    "PendingSignals",
    "classify_messages",
    "combine",
    "embed_text",
    "forget_verdicts",
    "lexicon_signals",
    "semantic_signals",
    "start",
    "warm",
]
