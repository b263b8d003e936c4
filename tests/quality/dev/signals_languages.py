"""A development split for the message signals in German, Italian, French and Portuguese, and in Hindi written
in Latin letters (Hinglish): about half of each language's messages need a person (asking for one in
everyday words and typos, exasperation, legal threats, chargebacks and complaints to regulators, medical or
safety, abuse), the rest are ordinary shop messages that must not hand off, several of them look-alikes (a
tent for four people, a lawyer who wants a briefcase, speaking to one's husband first). Written before any
rule was run on it, and measured once before any rule was changed for it.

Labels follow tests/quality/dev/signals.py (engine.agent.handoff's rules). The figures are the handoff
decision's precision and recall per language, measured as test_dev_signals_languages.py measures them (the
language detected per message, default English).

First figures (the code of 0c64fbe, before any change for this split; handoff precision / recall). The first
batch (16-17 messages needing a person and 15 ordinary ones per language, 14 + 14 in Hinglish) was measured
alone, then a second batch (13-14 + 10 per language, 4 + 4 in Hinglish) was written to widen the wording and
the whole split measured, both before any rule changed:

    language   first batch, lexicons + exemplars   whole split, lexicons + exemplars   whole, lexicons alone
    de         1.000 / 0.688                        1.000 / 0.655 (29 + 25)             1.000 / 0.655
    it         1.000 / 0.882                        0.964 / 0.871 (31 + 25)             0.964 / 0.871
    fr         1.000 / 0.882                        1.000 / 0.774 (31 + 25)             1.000 / 0.774
    pt         0.941 / 1.000                        0.929 / 0.867 (30 + 25)             0.963 / 0.867
    hi         1.000 / 0.857                        1.000 / 0.833 (18 + 18)             1.000 / 0.778

Final figures (the language handling, then the lexicons' families widened): 1.000 / 1.000 in every language,
with the exemplar vote and with the lexicons alone (floors in test_dev_signals_languages.py). These rules
were developed on this split, so they say little about new wording: CHECK below does. It was written after
the rules and measured once, lexicons alone (the vote reads none of it), precision / recall on 6-7 messages
needing a person and 6 ordinary ones per language: the lexicons before this split's work de 1.000 / 0.857,
it 1.000 / 0.571, fr 1.000 / 0.714, pt 1.000 / 0.429, hi 1.000 / 0.833; after it de 1.000 / 0.857, it
1.000 / 1.000, fr 1.000 / 0.857, pt 1.000 / 0.857, hi 1.000 / 0.833 (fr reads 1.000 today: "votre
responsable", added to a family for a test row written after that measure, also reaches its one miss).
"""

from __future__ import annotations

from tests.quality.dev.signals import Dev


def _p(text: str, lang: str) -> Dev:
    return Dev(text, ("wants_person",), True, lang)


def _f(text: str, lang: str) -> Dev:
    return Dev(text, ("frustrated",), True, lang)


def _legal(text: str, lang: str) -> Dev:
    return Dev(text, ("legal",), True, lang)


def _medical(text: str, lang: str) -> Dev:
    return Dev(text, ("medical_safety",), True, lang)


def _abuse(text: str, lang: str) -> Dev:
    return Dev(text, ("abuse", "frustrated"), True, lang)


def _n(text: str, lang: str) -> Dev:
    return Dev(text, (), False, lang)


GERMAN: list[Dev] = [
    _p("Kann ich bitte mit einem Mitarbeiter sprechen?", "de"),
    _p("kann ich mit einem mitarbieter sprechen", "de"),
    _p("ich will mit nem echten menschen reden, nicht mit einem bot", "de"),
    _p("bitte verbinden sie mich mit dem kundenservice", "de"),
    _p("Können Sie mich zurückrufen? Meine Nummer haben Sie ja", "de"),
    _p("ich möchte mit Ihrem Vorgesetzten sprechen", "de"),
    _f("Das ist jetzt schon das dritte Mal, dass ich nachfrage!!", "de"),
    _f("Ich bin echt stinksauer, seit zwei Wochen keine Antwort", "de"),
    _f("Was für ein unfassbar schlechter Service", "de"),
    _legal("Ich werde das Geld über meine Kreditkarte zurückbuchen lassen", "de"),
    _legal("Wenn das nicht bis Freitag geklärt ist, schalte ich meinen Anwalt ein", "de"),
    _legal("Ich melde das der Verbraucherzentrale", "de"),
    _medical("Meine Tochter hat nach der Creme einen allergischen Ausschlag bekommen", "de"),
    _medical("Das Ladegerät ist heiß geworden und hat angefangen zu qualmen", "de"),
    _abuse("Du dummer Blechkasten, halt einfach die Klappe", "de"),
    _abuse("Ihr seid doch alle komplette Vollidioten", "de"),
    _n("Habt ihr die Sneaker auch in Größe 43?", "de"),
    _n("Wie lange dauert der Versand nach Österreich?", "de"),
    _n("Kann ich mit PayPal bezahlen?", "de"),
    _n("Ist die Jacke wasserdicht?", "de"),
    _n("Meine Mutter sucht ein Geschenk, was würden Sie empfehlen?", "de"),
    _n("Für wie viele Personen reicht das Zelt?", "de"),
    _n("Gibt es einen Rabatt für Mitarbeiter von Krankenhäusern?", "de"),
    _n("Ich möchte meine Adresse ändern, ich bin umgezogen", "de"),
    _n("Kann man die Bestellung im Laden abholen?", "de"),
    _n("Ist das Spielzeug für Kinder unter drei Jahren geeignet?", "de"),
    _n("Danke, das Paket ist heute angekommen!", "de"),
    _n("Wie funktioniert die Rücksendung?", "de"),
    _n("Sprechen Sie auch Englisch?", "de"),
    _n("Ist der Akku austauschbar?", "de"),
    _n("Mein Anwalt hat mir euren Laden empfohlen, habt ihr Aktentaschen?", "de"),
    # second batch (written after the first batch's first figures, before any rule change)
    _p("gibts bei euch keinen menschen mehr??", "de"),
    _p("hallo, ich hätte gern einen ansprechpartner für meine reklamation", "de"),
    _p("Bitte leiten Sie mich an einen Kollegen weiter", "de"),
    _p("kann mich bitte jemand anrufen", "de"),
    _p("ich brauche einen echten Berater, keinen Chatbot", "de"),
    _f("Ich hab die Schnauze voll von euch", "de"),
    _f("Das ist eine absolute Frechheit", "de"),
    _f("Zum wiederholten Mal: wo bleibt mein Geld?", "de"),
    _legal("ich habe widerrufen und ihr reagiert nicht, ich gehe zur Schlichtungsstelle", "de"),
    _legal("Ich erstatte Anzeige wegen Betrug", "de"),
    _medical("Das Kind hat sich an der scharfen Kante geschnitten und blutet", "de"),
    _medical("Nach den Keksen bekam mein Sohn Atemnot", "de"),
    _abuse("halt die fresse du scheiss bot", "de"),
    _n("Wann macht ihr morgen auf?", "de"),
    _n("Habt ihr das auch in Schwarz?", "de"),
    _n("Ich hab das falsche bestellt, kann ich umtauschen?", "de"),
    _n("Mein Arzt hat mir Kompressionsstrümpfe empfohlen, führt ihr die?", "de"),
    _n("Brennt die Kerze lange?", "de"),
    _n("Ist das Messer scharf genug für Fleisch?", "de"),
    _n("Wir sind drei Personen, reicht der große Topf?", "de"),
    _n("Ich rufe morgen im Laden an", "de"),
    _n("gibt es das auch für allergiker?", "de"),
    _n("Danke für die schnelle Antwort!", "de"),
]

ITALIAN: list[Dev] = [
    _p("posso parlare con un operatore?", "it"),
    _p("ciao posso parlare con un opratore", "it"),
    _p("vorrei parlare con una persona vera per favore", "it"),
    _p("mi passi qualcuno del servizio clienti", "it"),
    _p("c'è un umano che legge questi messaggi?", "it"),
    _p("mi può richiamare qualcuno? è urgente", "it"),
    _p("voglio parlare con un responsabile", "it"),
    _f("sono stufo, è la terza volta che scrivo e nessuno risponde", "it"),
    _f("ma è possibile che non capite niente?", "it"),
    _f("servizio pessimo, una vergogna", "it"),
    _legal("ho già fatto la contestazione con la banca per l'addebito", "it"),
    _legal("se non mi rimborsate vi denuncio", "it"),
    _legal("farò una segnalazione all'Antitrust", "it"),
    _medical("mio figlio ha ingoiato una batteria del giocattolo", "it"),
    _medical("dopo aver usato il siero mi si è gonfiata tutta la faccia", "it"),
    _abuse("sei proprio un bot idiota", "it"),
    _abuse("ma vaffanculo, incompetenti", "it"),
    _n("avete questo vestito nella taglia 42?", "it"),
    _n("quanto costa la spedizione in Sardegna?", "it"),
    _n("posso pagare alla consegna?", "it"),
    _n("il negozio di Milano è aperto la domenica?", "it"),
    _n("questa tenda è per quante persone?", "it"),
    _n("vorrei un regalo per mia nonna, cosa mi consiglia?", "it"),
    _n("il mio avvocato cerca una borsa da lavoro in pelle, ne avete?", "it"),
    _n("il pacco è arrivato, grazie mille!", "it"),
    _n("come faccio a fare il reso?", "it"),
    _n("il prodotto è adatto alle pelli sensibili?", "it"),
    _n("ne parlo con mio marito e vi faccio sapere", "it"),
    _n("la crema va usata anche di notte?", "it"),
    _n("c'è uno sconto per studenti?", "it"),
    _n("il caricabatterie è compatibile con l'iPhone 15?", "it"),
    _n("ho sbagliato indirizzo, posso modificarlo?", "it"),
    # second batch (written after the first batch's first figures, before any rule change)
    _p("c'è qualcuno in carne e ossa?", "it"),
    _p("passatemi un vostro collega per favore", "it"),
    _p("voglio un operatore umano, non il bot", "it"),
    _p("potete farmi chiamare da qualcuno del negozio?", "it"),
    _p("vorei parlare con qualcuno", "it"),
    _f("basta, mi avete rotto", "it"),
    _f("vi ho scritto mille volte e ancora niente!", "it"),
    _f("non ne posso più di aspettare, è assurdo", "it"),
    _legal("chiederò il chargeback alla mia carta", "it"),
    _legal("mi rivolgerò a un legale", "it"),
    _legal("sporgerò denuncia ai carabinieri", "it"),
    _medical("il phon ha fatto scintille e si è bruciato il cavo", "it"),
    _medical("ho mangiato i biscotti e ora ho le labbra gonfie, sono allergica alle noci", "it"),
    _abuse("stupido robot di merda", "it"),
    _n("a che ora chiudete stasera?", "it"),
    _n("lo avete anche in blu?", "it"),
    _n("la mia dottoressa mi ha consigliato le calze a compressione, le vendete?", "it"),
    _n("il divano letto è per due persone?", "it"),
    _n("la candela fa fumo?", "it"),
    _n("chiamo il negozio domani per la prenotazione", "it"),
    _n("il coltello è abbastanza affilato?", "it"),
    _n("grazie, gentilissimi!", "it"),
    _n("posso cambiare la taglia?", "it"),
    _n("è senza glutine?", "it"),
]

FRENCH: list[Dev] = [
    _p("je voudrais parler à un conseiller svp", "fr"),
    _p("est-ce que je peux avoir un vrai humain au téléphone ?", "fr"),
    _p("passez-moi quelqu'un du service client", "fr"),
    _p("y a t il une personne réelle derrière ce chat", "fr"),
    _p("rappelez-moi s'il vous plait c'est urgent", "fr"),
    _p("je veux parler a un responsable", "fr"),
    _p("je veux parler a un concseiller", "fr"),
    _f("c'est n'importe quoi, ça fait trois semaines que j'attends", "fr"),
    _f("je suis à bout, personne ne me répond jamais", "fr"),
    _f("service client lamentable, je suis dégoûté", "fr"),
    _legal("je vais faire opposition sur ma carte bancaire", "fr"),
    _legal("je vais faire un signalement à la DGCCRF", "fr"),
    _legal("mon avocat va vous contacter", "fr"),
    _medical("mon fils a avalé une pile bouton", "fr"),
    _medical("la bougie a pris feu sur ma table", "fr"),
    _abuse("t'es vraiment un bot débile", "fr"),
    _abuse("bande de connards", "fr"),
    _n("vous avez ce pull en taille M ?", "fr"),
    _n("la livraison en Belgique prend combien de temps ?", "fr"),
    _n("je peux payer en plusieurs fois ?", "fr"),
    _n("c'est pour combien de personnes cette table ?", "fr"),
    _n("je cherche un cadeau pour mon avocat", "fr"),
    _n("est-ce que la crème convient aux peaux sensibles ?", "fr"),
    _n("merci, le colis est bien arrivé", "fr"),
    _n("comment faire un retour ?", "fr"),
    _n("vous êtes ouverts le dimanche ?", "fr"),
    _n("je parle à ma femme et je reviens vers vous", "fr"),
    _n("le jouet convient à un enfant de 2 ans ?", "fr"),
    _n("il y a un parking près de votre magasin ?", "fr"),
    _n("le chargeur est compatible avec un Samsung ?", "fr"),
    _n("je peux modifier l'adresse de livraison ?", "fr"),
    _n("vous faites des réductions pour les étudiants ?", "fr"),
    # second batch (written after the first batch's first figures, before any rule change)
    _p("y a quelqu'un de vrai ou c'est que des robots ?", "fr"),
    _p("mettez-moi en relation avec un agent svp", "fr"),
    _p("j'aimerais qu'un humain me rappelle", "fr"),
    _p("je peux avoir le sav au telephone", "fr"),
    _p("je veux parlé a quelqun", "fr"),
    _f("vous me prenez pour un idiot ou quoi", "fr"),
    _f("c'est inadmissible, toujours pas de remboursement", "fr"),
    _f("je suis hyper énervé là", "fr"),
    _legal("je saisis le médiateur de la consommation", "fr"),
    _legal("je vais contester le paiement auprès de ma banque", "fr"),
    _legal("je vais vous attaquer en justice", "fr"),
    _medical("ma fille a fait une réaction allergique à la crème, elle a des plaques partout", "fr"),
    _medical("la prise a fondu et il y a eu des étincelles", "fr"),
    _abuse("espèce de crétin de robot", "fr"),
    _n("vous fermez à quelle heure ce soir ?", "fr"),
    _n("vous l'avez en bleu marine ?", "fr"),
    _n("mon médecin m'a conseillé des semelles orthopédiques, vous en vendez ?", "fr"),
    _n("la bougie fait-elle de la fumée ?", "fr"),
    _n("le couteau coupe bien ?", "fr"),
    _n("on est quatre personnes, la tente suffit ?", "fr"),
    _n("je vous rappelle demain pour confirmer", "fr"),
    _n("merci beaucoup pour votre aide !", "fr"),
    _n("je peux échanger la taille ?", "fr"),
    _n("c'est sans gluten ?", "fr"),
]

PORTUGUESE: list[Dev] = [
    _p("tem algum atendente disponível pra falar comigo?", "pt"),
    _p("posso falar com uma pessoa de verdade?", "pt"),
    _p("me passa pra alguém do suporte por favor", "pt"),
    _p("preciso falar com o gerente", "pt"),
    _p("alguém pode me ligar? é urgente", "pt"),
    _p("quero falar com um atendenete", "pt"),
    _f("que palhaçada, ninguém responde nada", "pt"),
    _f("to de saco cheio dessa loja", "pt"),
    _f("pela terceira vez: cadê meu pedido?", "pt"),
    _legal("vou abrir uma reclamação no Procon", "pt"),
    _legal("vou contestar a compra no cartão", "pt"),
    _legal("vou entrar na justiça contra vocês", "pt"),
    _medical("meu filho engoliu uma peça pequena do brinquedo", "pt"),
    _medical("o carregador esquentou e saiu fumaça", "pt"),
    _abuse("seu robô burro", "pt"),
    _abuse("vai tomar no cu", "pt"),
    _n("vocês têm esse tênis no 40?", "pt"),
    _n("qual o prazo de entrega pra Curitiba?", "pt"),
    _n("aceita pix?", "pt"),
    _n("a barraca é pra quantas pessoas?", "pt"),
    _n("esse hidratante serve pra pele oleosa?", "pt"),
    _n("obrigada, chegou tudo certinho", "pt"),
    _n("como faço pra trocar o tamanho?", "pt"),
    _n("a loja do shopping abre domingo?", "pt"),
    _n("vou falar com meu marido e depois volto", "pt"),
    _n("tem desconto pra professor?", "pt"),
    _n("o brinquedo é indicado pra qual idade?", "pt"),
    _n("dá pra parcelar em 3 vezes?", "pt"),
    _n("meu advogado quer uma pasta de couro, vocês têm?", "pt"),
    _n("o carregador funciona com iPhone?", "pt"),
    _n("errei o número da casa no endereço, dá pra corrigir?", "pt"),
    # second batch (written after the first batch's first figures, before any rule change)
    _p("tem alguém de carne e osso aí?", "pt"),
    _p("chama alguém da loja pra conversar comigo", "pt"),
    _p("liga pra mim por favor, preciso resolver isso", "pt"),
    _p("gostaria de falar com um responsável", "pt"),
    _p("qro falar c/ atendente", "pt"),
    _f("vocês são uma piada", "pt"),
    _f("estou revoltada com esse descaso", "pt"),
    _f("absurdo, 20 dias e nada do meu pedido", "pt"),
    _legal("vou denunciar vocês no Reclame Aqui", "pt"),
    _legal("vou acionar meu advogado", "pt"),
    _legal("vou pedir estorno no banco", "pt"),
    _medical("minha filha teve uma reação alérgica com o sabonete", "pt"),
    _medical("a bateria estufou e começou a soltar fumaça", "pt"),
    _abuse("vocês são uns otários", "pt"),
    _n("que horas vocês fecham hoje?", "pt"),
    _n("tem em azul marinho?", "pt"),
    _n("meu médico indicou palmilha, vocês vendem?", "pt"),
    _n("a vela solta fumaça?", "pt"),
    _n("a faca corta bem?", "pt"),
    _n("o sofá cabe três pessoas?", "pt"),
    _n("eu ligo amanhã na loja pra confirmar", "pt"),
    _n("muito obrigado pela ajuda!", "pt"),
    _n("posso trocar por outra cor?", "pt"),
    _n("é sem glúten?", "pt"),
]

# Hindi in Latin letters, often with English words in it: the detector has no model for it, so these were read
# as English (the stored or default language) and voted on by the English exemplars.
HINGLISH: list[Dev] = [
    _p("bhai mujhe kisi insaan se baat karni hai", "hi"),
    _p("koi real banda hai kya jisse baat ho sake?", "hi"),
    _p("please mujhe customer care wale se connect kar do", "hi"),
    _p("mujhe kisi senior se baat karni hai", "hi"),
    _p("agent se baat karwao jaldi", "hi"),
    _p("mujhe insaan chahiye bot nahi", "hi"),
    _f("yaar ye bot kuch samajh hi nahi raha, kitni baar samjhaun", "hi"),
    _f("ek hafte se order nahi aaya, ye kya mazak hai", "hi"),
    _f("bilkul bekaar service hai tumhari", "hi"),
    _legal("main consumer forum mein shikayat karunga", "hi"),
    _legal("bank mein chargeback daal diya hai maine", "hi"),
    _medical("product use karne ke baad bachche ko ulti ho rahi hai", "hi"),
    _medical("power bank phat gaya aur haath jal gaya", "hi"),
    _abuse("chup kar gadhe", "hi"),
    _n("bhai ye jacket XL mein milegi kya?", "hi"),
    _n("yaar iska price kya hai?", "hi"),
    _n("kya ye phone cover iPhone 13 pe fit hoga?", "hi"),
    _n("delivery Pune tak kitne din mein hogi?", "hi"),
    _n("mujhe ek gift chahiye meri behen ke liye, kuch suggest karo", "hi"),
    _n("kya aap log EMI dete ho?", "hi"),
    _n("order cancel karna hai, size galat select ho gaya", "hi"),
    _n("ye cream oily skin ke liye theek hai?", "hi"),
    _n("staff discount milta hai kya?", "hi"),
    _n("aapki shop mein return policy kya hai?", "hi"),
    _n("bhai mast product hai, thanks", "hi"),
    _n("kal tak deliver ho jayega na?", "hi"),
    _n("mere bhai ko ye shoes bahut pasand aaye, ek aur pair chahiye", "hi"),
    _n("koi aur colour available hai?", "hi"),
    # second batch (written after the first batch's first figures, before any rule change)
    _p("mujhe kisi se phone pe baat karni hai", "hi"),
    _p("bhai koi human hai ya sirf bot hai?", "hi"),
    _p("complaint karni hai, manager ka number do", "hi"),
    _p("yeh sab band karo aur kisi ko bulao", "hi"),
    _n("kya ye dress machine wash ho sakti hai?", "hi"),
    _n("bhai size chart bhej do", "hi"),
    _n("mujhe baat karni thi delivery ke baare mein, kab aayega?", "hi"),
    _n("kya aapke store mein trial room hai?", "hi"),
]

LANGUAGES: dict[str, list[Dev]] = {
    "de": GERMAN,
    "it": ITALIAN,
    "fr": FRENCH,
    "pt": PORTUGUESE,
    "hi": HINGLISH,
}
MESSAGES: list[Dev] = [m for messages in LANGUAGES.values() for m in messages]

# A check written after the rules for the split above were done, with wording in neither (nor in
# tests/engine/agent/test_lexicons.py), measured once and not tuned on: how far the rules carry to new
# wording (its figures in the module docstring).
CHECK: dict[str, list[Dev]] = {
    "de": [
        _p("Verbinden Sie mich bitte mit einer echten Person", "de"),
        _p("kann ich bitte mit ihrem chef reden", "de"),
        _f("Ich bin mega genervt, niemand hilft mir", "de"),
        _f("Ihr habt mich jetzt dreimal vertröstet", "de"),
        _legal("Ich schalte die Verbraucherzentrale ein", "de"),
        _medical("Die Lichterkette hat Funken gesprüht", "de"),
        _abuse("Fick dich, blöder Bot", "de"),
        _n("Kann ich mit Karte zahlen?", "de"),
        _n("Haben Sie Personal, das beim Aufbau hilft?", "de"),
        _n("Ist die Lampe auch für draußen?", "de"),
        _n("Was kostet der Versand in die Schweiz?", "de"),
        _n("Ich gebe das Paket morgen an meinen Nachbarn weiter", "de"),
        _n("Mein Chef will fünf Stück bestellen", "de"),
    ],
    "it": [
        _p("vorrei parlare con il titolare", "it"),
        _p("mi fate parlare con un essere umano?", "it"),
        _f("sono davvero indignata per come mi avete trattata", "it"),
        _f("terza mail senza risposta, è una vergogna", "it"),
        _legal("mi rivolgerò all'associazione consumatori", "it"),
        _medical("la stufetta ha preso fuoco", "it"),
        _abuse("siete dei coglioni", "it"),
        _n("il titolare del negozio è gentilissimo", "it"),
        _n("la borsa è grande abbastanza per un portatile?", "it"),
        _n("avete la stufetta elettrica?", "it"),
        _n("posso parlarne con mia moglie prima?", "it"),
        _n("il cavo è lungo 2 metri?", "it"),
        _n("spedite in Svizzera?", "it"),
    ],
    "fr": [
        _p("je voudrais échanger avec une vraie personne", "fr"),
        _p("votre responsable peut me rappeler ?", "fr"),
        _f("franchement vous me saoulez", "fr"),
        _f("toujours rien reçu, c'est scandaleux", "fr"),
        _legal("j'ai déposé plainte au commissariat", "fr"),
        _medical("le chargeur a pris feu cette nuit", "fr"),
        _abuse("espèce d'imbécile", "fr"),
        _n("vous avez des chargeurs USB-C ?", "fr"),
        _n("la veste convient à une personne de 1m80 ?", "fr"),
        _n("mon responsable veut commander pour l'équipe", "fr"),
        _n("je vous écris pour une question de taille", "fr"),
        _n("est-ce que le radiateur chauffe vite ?", "fr"),
        _n("le colis peut être livré au bureau ?", "fr"),
    ],
    "pt": [
        _p("quero conversar com o dono da loja", "pt"),
        _p("vocês têm atendente humano ou é só robô?", "pt"),
        _f("tô muito irritada com essa demora", "pt"),
        _f("que absurdo, ninguém me dá uma resposta", "pt"),
        _legal("vou registrar um boletim de ocorrência", "pt"),
        _medical("meu filho ficou com o rosto inchado depois do creme", "pt"),
        _abuse("vão se ferrar", "pt"),
        _n("o dono da loja é muito simpático", "pt"),
        _n("a jaqueta é de couro legítimo?", "pt"),
        _n("vocês entregam em Portugal?", "pt"),
        _n("o secador tem garantia?", "pt"),
        _n("posso retirar na loja?", "pt"),
        _n("quanto custa o frete pra Recife?", "pt"),
    ],
    "hi": [
        _p("mujhe aapke manager se baat karni hai", "hi"),
        _p("koi staff member call kar sakta hai kya?", "hi"),
        _f("itna ghatiya service maine kabhi nahi dekha", "hi"),
        _legal("paise wapas nahi kiye toh consumer court jaunga", "hi"),
        _medical("charger mein spark hua aur wire jal gayi", "hi"),
        _abuse("bewakoof bot", "hi"),
        _n("kya ye charger fast charging support karta hai?", "hi"),
        _n("mere manager ke liye gift chahiye", "hi"),
        _n("aapka store kitne baje khulta hai?", "hi"),
        _n("kya COD available hai Delhi mein?", "hi"),
        _n("size M mein kitne colour hain?", "hi"),
        _n("kal wala order kab tak aayega?", "hi"),
    ],
}
