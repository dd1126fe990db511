"""Phrase banks of the offline writer, per language and tone.

Templates use ``{title}``, ``{brand}``, ``{short}`` (a short product name),
``{feature}``, ``{price}``, ``{rating}``, ``{count}``, and ``{n_reviews}`` /
``{n_buyers}``: the count with the bank's ``nouns`` in agreement ("1 avaliação",
"120 avaliações"). ``[a|b|c]`` picks one alternative, so each line expands to
many sentences; the seed decides. ``generic`` holds benefits any product has
(for pages with too few, and for pages in another language than the script's),
and ``product`` what to call a product without a name.
"""

from __future__ import annotations

TONES = ("energetic", "professional", "friendly")
LANGUAGES = ("en", "de", "fr", "es", "pt")

EN = {
    "hook": {
        "energetic": [
            "[Stop scrolling|Wait|Hold on|Look at this]! [This is|Meet] {short}.",
            "[Still|Are you still] [settling for less|making do]? [Meet|Say hello to] {short}!",
            "[You need to see|Check out|Get ready for] {short}. [Seriously|Trust me|No joke].",
            "[This|Here's the thing that] [changes everything|just raised the bar]: {short}!",
        ],
        "professional": [
            "[Introducing|Presenting|Meet] {title}.",
            "[Looking for|In search of] [quality that lasts|something reliable]? "
            "[Consider|Take a look at] {short}.",
            "{short}: [designed|built|made] for people who [expect more|value quality].",
        ],
        "friendly": [
            "[Hey there|Hi friends|Hello]! [Let me show you|Have you met] {short}?",
            "[Guess what I found|Look what I found|You're going to love this]: {short}.",
            "[Say hello to|Meet] {short}, [your new favourite|a little everyday upgrade].",
        ],
    },
    "benefit": {
        "energetic": [
            "{feature}!",
            "[Plus|And|On top of that], {feature_lc}!",
            "[Here's the best part|Get this|Even better]: {feature_lc}!",
        ],
        "professional": [
            "{feature}.",
            "[In addition|What's more|Notably], {feature_lc}.",
            "[It is designed so that|The result:|Key point:] {feature_lc}.",
        ],
        "friendly": [
            "[I love that|You'll love that|The nice thing is,] {feature_lc}.",
            "{feature}. [So handy|Pretty great, right|Such a nice touch].",
            "[And|Also|Oh, and] {feature_lc}.",
        ],
    },
    "extend": {
        "energetic": [
            "[That's a game changer|Total win|Huge]!",
            "[Every single time|Day after day]!",
            "[You'll feel the difference|It just works]!",
        ],
        "professional": [
            "[That makes a real difference|It is a considered detail].",
            "[It is built to last|Quality you can rely on].",
        ],
        "friendly": [
            "[It makes life a little easier|Small thing, big difference].",
            "[Honestly, it's lovely|It's the little things].",
        ],
    },
    "proof": {
        "energetic": [
            "[Rated|Scoring] {rating} [stars|out of five] by {count} [happy buyers|fans]!",
            "{count} [reviews|buyers] [agree|can't be wrong]: {rating} stars!",
        ],
        "professional": [
            "[Customers rate it|It holds a rating of] {rating} [out of five|stars]{count_phrase}."
        ],
        "friendly": ["[People really like it|Folks love it]: {rating} stars{count_phrase}."],
    },
    "proof_no_count": "",
    "count_phrase": " [from|across] {count} reviews",
    "offer": {
        "energetic": [
            "[All that|And it's] [for just|for only] {price}!",
            "[Only|Just] {price}. [Seriously|Yes, really]!",
        ],
        "professional": ["[Available now for|It is available for|Priced at] {price}."],
        "friendly": ["[And it's only|All for just|Best of all, it's] {price}."],
    },
    "offer_no_price": {
        "energetic": ["[Available right now|It's ready for you now]!"],
        "professional": ["[It is available now|Available today]."],
        "friendly": ["[It's available now|You can get yours today]."],
    },
    "cta": {
        "energetic": [
            "[Tap the link|Hit the link] and [grab yours|get yours] [now|today]!",
            "[Don't wait|Go go go]: [tap the link|shop now] [before it's gone|today]!",
        ],
        "professional": [
            "[Visit the link|Follow the link] [to learn more|to order yours].",
            "[Order yours today|Discover it today] [via the link|at the link].",
        ],
        "friendly": [
            "[Tap the link|Check the link] and [treat yourself|grab one for you].",
            "[Go on|Why not], [take a look|treat yourself] [via the link|today]!",
        ],
    },
    "overlay": {
        "offer": "{price}",
        "cta": "[Shop now|Link below|Get yours]",
        "proof": "★ {rating}",
    },
    "generic": ["Made for everyday use", "Looks great and works even better"],
    "product": "this product",
}

DE = {
    "hook": {
        "energetic": [
            "[Stopp|Warte|Moment]! [Das ist|Hier kommt] {short}!",
            "[Schau dir das an|Das musst du sehen]: {short}!",
        ],
        "professional": [
            "[Wir stellen vor|Vorgestellt]: {title}.",
            "[Auf der Suche nach|Sie suchen] Qualität? [Entdecken Sie|Hier ist] {short}.",
        ],
        "friendly": [
            "[Hallo|Hey]! [Darf ich vorstellen|Kennst du schon] {short}?",
            "[Schau mal, was ich gefunden habe|Das wirst du lieben]: {short}.",
        ],
    },
    "benefit": {
        "energetic": ["{feature}!", "[Und|Außerdem|Dazu]: {feature_lc}!"],
        "professional": ["{feature}.", "[Außerdem|Zudem|Darüber hinaus]: {feature_lc}."],
        "friendly": [
            "[Richtig schön|Besonders toll]: {feature_lc}.",
            "{feature}. [Praktisch, oder]?",
        ],
    },
    "extend": {
        "energetic": ["[Einfach genial|Der Hammer]!", "[Jeden Tag|Immer wieder]!"],
        "professional": ["[Das macht den Unterschied|Ein durchdachtes Detail]."],
        "friendly": ["[Das macht den Alltag leichter|Kleine Sache, große Wirkung]."],
    },
    "proof": {
        "energetic": ["{rating} Sterne von {count} [begeisterten Kunden|Käufern]!"],
        "professional": [
            "Kunden bewerten es mit {rating} [von fünf Sternen|Sternen]{count_phrase}."
        ],
        "friendly": ["[Die Leute lieben es|Alle sind begeistert]: {rating} Sterne{count_phrase}."],
    },
    "count_phrase": " bei {count} Bewertungen",
    "offer": {
        "energetic": ["[Und das für nur|Alles für nur] {price}!"],
        "professional": ["[Erhältlich für|Jetzt erhältlich für] {price}."],
        "friendly": ["[Und das Beste|Das Schönste]: nur {price}."],
    },
    "offer_no_price": {
        "energetic": ["[Jetzt erhältlich|Ab sofort da]!"],
        "professional": ["[Ab sofort erhältlich|Jetzt verfügbar]."],
        "friendly": ["[Du bekommst es ab sofort|Es ist jetzt erhältlich]."],
    },
    "cta": {
        "energetic": ["[Klick auf den Link|Ab zum Link] und [sichere dir deins|hol es dir] jetzt!"],
        "professional": ["[Mehr erfahren|Jetzt bestellen] [über den Link|unter dem Link]."],
        "friendly": ["[Schau über den Link vorbei|Gönn dir was] – [heute noch|jetzt]!"],
    },
    "overlay": {"offer": "{price}", "cta": "[Jetzt kaufen|Link unten]", "proof": "★ {rating}"},
    "generic": ["Ideal für jeden Tag", "Qualität und Komfort bis ins Detail"],
    "product": "dieses Produkt",
}

FR = {
    "hook": {
        "energetic": [
            "[Stop|Attends]! [Voici|Découvre] {short}!",
            "[Regarde ça|Tu dois voir ça]: {short}!",
        ],
        "professional": [
            "[Découvrez|Voici] {title}.",
            "[Vous cherchez la qualité|Exigeant]? [Découvrez|Voici] {short}.",
        ],
        "friendly": [
            "[Coucou|Salut]! [Tu connais|Je te présente] {short}?",
            "[Regarde ce que j'ai trouvé|Tu vas adorer]: {short}.",
        ],
    },
    "benefit": {
        "energetic": ["{feature}!", "[Et en plus|Mieux encore]: {feature_lc}!"],
        "professional": ["{feature}.", "[De plus|Par ailleurs|En outre]: {feature_lc}."],
        "friendly": [
            "[Ce que j'adore|Le petit plus]: {feature_lc}.",
            "{feature}. [Pratique, non]?",
        ],
    },
    "extend": {
        "energetic": ["[Génial|Incroyable]!", "[À chaque fois|Tous les jours]!"],
        "professional": ["[Cela fait la différence|Un détail bien pensé]."],
        "friendly": ["[Ça simplifie la vie|Petit détail, grande différence]."],
    },
    "proof": {
        "energetic": ["{rating} étoiles [selon|d'après] {count} clients [ravis|conquis]!"],
        "professional": ["Les clients lui donnent {rating} sur cinq{count_phrase}."],
        "friendly": ["[Tout le monde l'adore|Les gens l'adorent]: {rating} étoiles{count_phrase}."],
    },
    "count_phrase": " sur {count} avis",
    "offer": {
        "energetic": ["[Tout ça pour seulement|Et seulement] {price}!"],
        "professional": ["[Disponible pour|Proposé à] {price}."],
        "friendly": ["[Et le meilleur|En plus], c'est seulement {price}."],
    },
    "offer_no_price": {
        "energetic": ["[Disponible maintenant|Déjà disponible]!"],
        "professional": ["[Disponible dès maintenant|Disponible aujourd'hui]."],
        "friendly": ["[Il est disponible maintenant|Tu peux l'avoir dès aujourd'hui]."],
    },
    "cta": {
        "energetic": ["[Clique sur le lien|Fonce sur le lien] et [commande-le|prends le tien]!"],
        "professional": ["[Commandez|Découvrez-le] [via le lien|sur le lien]."],
        "friendly": ["[Jette un œil au lien|Fais-toi plaisir] [aujourd'hui|dès maintenant]!"],
    },
    "overlay": {"offer": "{price}", "cta": "[Acheter|Lien ci-dessous]", "proof": "★ {rating}"},
    "generic": ["Idéal au quotidien", "Qualité et praticité jusque dans les détails"],
    "product": "ce produit",
}

ES = {
    "hook": {
        "energetic": [
            "[¡Para|¡Espera]! [Esto es|Te presento] {short}.",
            "[¡Mira esto|¡Tienes que verlo]: {short}!",
        ],
        "professional": [
            "[Presentamos|Le presentamos] {title}.",
            "[¿Busca calidad|¿Quiere lo mejor]? [Descubra|Conozca] {short}.",
        ],
        "friendly": [
            "[¡Hola|¡Hey]! [¿Conoces|¿Ya viste] {short}?",
            "[Mira lo que encontré|Te va a encantar]: {short}.",
        ],
    },
    "benefit": {
        "energetic": ["¡{feature}!", "[¡Y además|¡Y encima]: {feature_lc}!"],
        "professional": ["{feature}.", "[Además|Asimismo|También]: {feature_lc}."],
        "friendly": [
            "[Me encanta que|Lo mejor es que] {feature_lc}.",
            "{feature}. ¿[Práctico, no]?",
        ],
    },
    "extend": {
        "energetic": ["[¡Increíble|¡Una pasada]!", "[¡Cada día|¡Siempre]!"],
        "professional": ["[Eso marca la diferencia|Un detalle bien pensado]."],
        "friendly": ["[Te hace la vida más fácil|Pequeño detalle, gran diferencia]."],
    },
    "proof": {
        "energetic": ["¡{rating} estrellas de {count} [clientes felices|compradores]!"],
        "professional": ["Los clientes lo valoran con {rating} de cinco{count_phrase}."],
        "friendly": ["[A la gente le encanta|Todos lo adoran]: {rating} estrellas{count_phrase}."],
    },
    "count_phrase": " en {count} opiniones",
    "offer": {
        "energetic": ["[¡Todo por solo|¡Y por solo] {price}!"],
        "professional": ["[Disponible por|A un precio de] {price}."],
        "friendly": ["[Y lo mejor|Encima], solo cuesta {price}."],
    },
    "offer_no_price": {
        "energetic": ["[¡Ya disponible|¡Disponible ahora]!"],
        "professional": ["[Disponible ahora|Ya a la venta]."],
        "friendly": ["[Ya lo puedes conseguir|Está disponible hoy]."],
    },
    "cta": {
        "energetic": ["[¡Toca el enlace|¡Entra al enlace] y [consíguelo|hazte con el tuyo] ya!"],
        "professional": ["[Haga su pedido|Más información] [en el enlace|a través del enlace]."],
        "friendly": ["[Pásate por el enlace|Date un gusto] [hoy|ahora]."],
    },
    "overlay": {"offer": "{price}", "cta": "[Compra ya|Enlace abajo]", "proof": "★ {rating}"},
    "generic": ["Ideal para el día a día", "Calidad y practicidad en cada detalle"],
    "product": "este producto",
}

# Brazilian Portuguese, "você" throughout. The product's grammatical gender is unknown
# (a cama, um tênis), so no line puts an article or an agreeing adjective next to the
# product's name: it stands alone after a colon or a verb ("Conheça {short}").
PT = {
    "hook": {
        "energetic": [
            "[Pare tudo|Espera aí|Olha só]! [Chegou|Conheça|Apresentamos] {short}!",
            "[Você precisa ver isso|Prepare-se|Anota aí]: {short}!",
            "[Ainda se contentando com pouco|Quer mais do seu dia a dia]? "
            "[Conheça|Descubra] {short}!",
            "[Isso muda tudo|Esse é o novo padrão]: {short}!",
        ],
        "professional": [
            "[Apresentamos|Conheça] {title}.",
            "[Procurando qualidade|Quer qualidade de verdade]? [Conheça|Descubra] {short}.",
            "{short}: [qualidade para quem exige mais|a escolha de quem valoriza os detalhes].",
        ],
        "friendly": [
            "[Oi|Olá|Oi, gente]! Já conhece {short}?",
            "[Olha o que eu achei|Você vai amar isso|Achei uma coisa incrível]: {short}.",
            "[Apresento|Conheça] {short}, [seu novo xodó|seu novo favorito].",
        ],
    },
    "benefit": {
        "energetic": [
            "{feature}!",
            "[E tem mais|E não para por aí|Além disso]: {feature_lc}!",
            "[A melhor parte|O melhor de tudo|Presta atenção nisso]: {feature_lc}!",
        ],
        "professional": [
            "{feature}.",
            "[Além disso|Outro destaque|Vale destacar]: {feature_lc}.",
            "[O resultado|Ponto-chave|Na prática]: {feature_lc}.",
        ],
        "friendly": [
            "[O que eu mais amo|Um detalhe que eu adoro|O mais legal]: {feature_lc}.",
            "{feature}. [Prático, né|Muito útil, não acha]?",
            "[E ainda|E também|Ah, e mais]: {feature_lc}.",
        ],
    },
    "extend": {
        "energetic": [
            "[Isso muda o jogo|Sensacional|É demais]!",
            "[Todos os dias|Sempre que você precisar]!",
            "[Você vai sentir a diferença|Funciona de verdade]!",
        ],
        "professional": [
            "[Isso faz toda a diferença|Um detalhe pensado com cuidado].",
            "[Qualidade para durar|Qualidade em que você pode confiar].",
        ],
        "friendly": [
            "[Deixa a vida um pouco mais fácil|Coisa pequena, diferença enorme].",
            "[Sinceramente, vale a pena|São os pequenos detalhes que contam].",
        ],
    },
    "proof": {
        "energetic": [
            "Nota {rating} de 5 segundo {n_buyers}!",
            "{n_reviews} e nota {rating} de 5!",
        ],
        "professional": [
            "[Os clientes dão nota|Nota média dos clientes:] {rating} de 5{count_phrase}."
        ],
        "friendly": ["[A galera adora|Todo mundo ama]: nota {rating}{count_phrase}."],
    },
    "count_phrase": " em {n_reviews}",
    "nouns": {
        "reviews": ("avaliação", "avaliações"),
        "buyers": ("cliente satisfeito", "clientes satisfeitos"),
    },
    "offer": {
        "energetic": [
            "[Tudo isso por apenas|Tudo por só] {price}!",
            "[Só|Apenas] {price}. [Isso mesmo|É sério]!",
        ],
        "professional": ["[Disponível agora por|Disponível por|Por apenas] {price}."],
        "friendly": ["[E custa só|Tudo isso por só|E sai por apenas] {price}."],
    },
    "offer_no_price": {
        "energetic": ["[Já disponível|Disponível agora]!"],
        "professional": ["[Disponível agora|Já à venda]."],
        "friendly": ["[Já está disponível|Você já pode comprar hoje]."],
    },
    "cta": {
        "energetic": [
            "[Toque no link|Clique no link] e [garanta já|compre agora]!",
            "[Não perca tempo|Corre]: toque no link [já|hoje mesmo]!",
        ],
        "professional": [
            "[Acesse o link|Confira no link] [para saber mais|e faça seu pedido].",
            "[Faça seu pedido|Saiba mais] [pelo link|no link].",
        ],
        "friendly": [
            "[Toque no link|Confira o link] e [aproveite|se presenteie].",
            "[Vai lá|Aproveita] e confere [no link|hoje mesmo]!",
        ],
    },
    "overlay": {
        "offer": "{price}",
        "cta": "[Compre já|Link abaixo|Aproveite]",
        "proof": "★ {rating}",
    },
    "generic": ["Ideal para o dia a dia", "Qualidade e praticidade em cada detalhe"],
    "product": "este produto",
}

BANKS = {"en": EN, "de": DE, "fr": FR, "es": ES, "pt": PT}
