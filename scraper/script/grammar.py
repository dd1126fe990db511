"""Phrase banks of the offline writer, per language and tone.

Templates use ``{title}``, ``{brand}``, ``{short}`` (a short product name),
``{feature}``, ``{price}``, ``{regular}`` (the price before a reduction), ``{rating}`` (out
of 5), ``{count}``, and ``{n_reviews}`` /
``{n_buyers}``: the count with the bank's ``nouns`` in agreement ("1 avaliação",
"120 avaliações"). ``[a|b|c]`` picks one alternative, so each line expands to
many sentences; the seed decides. ``headlines`` are on-screen headlines for a
benefit whose sentence has no phrase that makes one. ``generic`` holds benefits any
product has (for pages with too few, and for pages in another language than the script's),
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
            "[You need to see|Check out|Get ready for] {short}!",
            "[Here's something new|Look what just landed]: {short}!",
        ],
        "professional": [
            "[Introducing|Presenting|Meet] {title}.",
            "[Looking for|In search of] [quality that lasts|something reliable]? "
            "[Consider|Take a look at] {short}.",
            "{short}: [designed|built|made] for people who [expect more|value quality].",
        ],
        "friendly": [
            "[Hey there|Hi friends|Hello]! Have you met {short}?",
            "[Guess what I found|Look what I found|You're going to love this]: {short}.",
            "[Say hello to|Meet] {short}, [your new favourite|a little everyday upgrade].",
        ],
    },
    "benefit": {
        "energetic": [
            "{feature}.",
            "[Plus|On top of that], {feature_lc}.",
            "[Here's the best part|Get this|Even better]: {feature_lc}!",
        ],
        "professional": [
            "{feature}.",
            "[In addition|What's more|Notably], {feature_lc}.",
            "[Key point:|Worth noting:] {feature_lc}.",
        ],
        "friendly": [
            "{feature}.",
            "[What I love:|The nice thing:] {feature_lc}.",
            "[Oh, and|Also,] {feature_lc}.",
        ],
    },
    "extend": {
        "energetic": ["[Take a closer look|Look at every detail]."],
        "professional": ["[Here it is up close|Take a closer look at the details]."],
        "friendly": ["[Have a closer look|Take a look at the details]."],
    },
    "proof": {
        "energetic": [
            "Rated {rating} out of 5 from {n_reviews}!",
            "{rating} out of 5 stars from {n_reviews}!",
        ],
        "professional": [
            "[Customers rate it|It holds a rating of] {rating} out of 5{count_phrase}."
        ],
        "friendly": ["[People really like it|Buyers like it]: {rating} out of 5{count_phrase}."],
    },
    "proof_no_count": {
        "energetic": ["Rated {rating} out of 5 by buyers!"],
        "professional": ["Customers rate it {rating} out of 5."],
        "friendly": ["Buyers rate it {rating} out of 5."],
    },
    "count_phrase": "from {n_reviews}",
    "nouns": {"reviews": ("review", "reviews"), "buyers": ("buyer", "buyers")},
    "offer": {
        "energetic": [
            "[All that|And it's] [for just|for only] {price}!",
            "[Yours for|Get it for] {price}!",
        ],
        "professional": ["[Available now for|It is available for|Priced at] {price}."],
        "friendly": ["[And it's only|All for just|Best of all, it's] {price}."],
    },
    "offer_reduced": {
        "energetic": ["Now just {price} instead of {regular}!"],
        "professional": ["Now {price}, reduced from {regular}."],
        "friendly": ["And right now it's {price} instead of {regular}."],
    },
    "offer_no_price": {
        "energetic": ["[Available right now|It's ready for you now]!"],
        "professional": ["[It is available now|Available today]."],
        "friendly": ["[It's available now|You can get yours today]."],
    },
    "cta": {
        "energetic": [
            "[Tap the link|Hit the link] and [grab yours|get yours] [now|today]!",
            "Don't wait: tap the link [and grab yours|today]!",
        ],
        "professional": [
            "[Visit the link|Follow the link] [to learn more|to order yours].",
            "[Order yours today|Discover it today] [via the link|at the link].",
        ],
        "friendly": [
            "[Tap the link|Check the link] and [treat yourself|grab one for you].",
            "[Go on, take a look|Why not take a look|Why not treat yourself] [via the link|today]!",
        ],
    },
    "overlay": {
        "offer": "{price}",
        "cta": "[Shop now|Link below|Get yours]",
        "offer_no_price": "Available now",
        "proof": "★ {rating}",
    },
    "headlines": ["Good to know", "Standout feature", "Worth a look"],
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
        "energetic": ["{feature}.", "[Außerdem|Dazu]: {feature_lc}!"],
        "professional": ["{feature}.", "[Außerdem|Zudem|Darüber hinaus]: {feature_lc}."],
        "friendly": [
            "{feature}.",
            "[Richtig schön|Besonders toll]: {feature_lc}.",
        ],
    },
    "extend": {
        "energetic": ["[Schau dir jedes Detail genau an|Schau genau hin]."],
        "professional": ["Sehen Sie sich die Details genau an."],
        "friendly": ["Schau dir die Details in Ruhe an."],
    },
    "proof": {
        "energetic": ["{rating} von 5 Sternen bei {n_reviews}!"],
        "professional": ["Kunden bewerten es mit {rating} von 5 Sternen{count_phrase}."],
        "friendly": ["[Die Kundschaft mag es|Gut bewertet]: {rating} von 5 Sternen{count_phrase}."],
    },
    "proof_no_count": {
        "energetic": ["{rating} von 5 Sternen!"],
        "professional": ["Kunden bewerten es mit {rating} von 5 Sternen."],
        "friendly": ["Gut bewertet: {rating} von 5 Sternen."],
    },
    "count_phrase": "bei {n_reviews}",
    "nouns": {"reviews": ("Bewertung", "Bewertungen"), "buyers": ("Käufer", "Käufern")},
    "offer_reduced": {
        "energetic": ["Jetzt nur {price} statt {regular}!"],
        "professional": ["Jetzt {price} statt {regular}."],
        "friendly": ["Und gerade nur {price} statt {regular}."],
    },
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
    "overlay": {
        "offer": "{price}",
        "cta": "[Jetzt kaufen|Link unten]",
        "offer_no_price": "Jetzt erhältlich",
        "proof": "★ {rating}",
    },
    "headlines": ["Gut zu wissen", "Wichtige Details", "Klarer Vorteil"],
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
        "energetic": ["{feature}.", "[Et en plus|Mieux encore]: {feature_lc}!"],
        "professional": ["{feature}.", "[De plus|Par ailleurs|En outre]: {feature_lc}."],
        "friendly": [
            "{feature}.",
            "[Ce que j'adore|Le petit plus]: {feature_lc}.",
        ],
    },
    "extend": {
        "energetic": ["Regarde chaque détail de près."],
        "professional": ["Voici les détails de plus près."],
        "friendly": ["Jette un œil aux détails."],
    },
    "proof": {
        "energetic": ["{rating} sur 5 [selon|d'après] {n_reviews}!"],
        "professional": ["Les clients lui donnent {rating} sur 5{count_phrase}."],
        "friendly": ["[Les clients l'aiment|Bien noté]: {rating} sur 5{count_phrase}."],
    },
    "proof_no_count": {
        "energetic": ["Noté {rating} sur 5!"],
        "professional": ["Les clients lui donnent {rating} sur 5."],
        "friendly": ["Bien noté: {rating} sur 5."],
    },
    "count_phrase": "sur {n_reviews}",
    "nouns": {"reviews": ("avis", "avis"), "buyers": ("client", "clients")},
    "offer_reduced": {
        "energetic": ["Maintenant {price} au lieu de {regular}!"],
        "professional": ["Désormais {price} au lieu de {regular}."],
        "friendly": ["Et en ce moment, c'est {price} au lieu de {regular}."],
    },
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
    "overlay": {
        "offer": "{price}",
        "cta": "[Acheter|Lien ci-dessous]",
        "offer_no_price": "Disponible",
        "proof": "★ {rating}",
    },
    "headlines": ["Bon à savoir", "Point fort", "Détails utiles"],
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
        "energetic": ["{feature}.", "[¡Y además|¡Y encima]: {feature_lc}!"],
        "professional": ["{feature}.", "[Además|Asimismo|También]: {feature_lc}."],
        "friendly": [
            "{feature}.",
            "[Lo que me encanta|Lo mejor]: {feature_lc}.",
        ],
    },
    "extend": {
        "energetic": ["Mira cada detalle de cerca."],
        "professional": ["Aquí están los detalles de cerca."],
        "friendly": ["Echa un vistazo a los detalles."],
    },
    "proof": {
        "energetic": ["¡{rating} de 5 en {n_reviews}!"],
        "professional": ["Los clientes lo valoran con {rating} de 5{count_phrase}."],
        "friendly": ["[A los clientes les gusta|Bien valorado]: {rating} de 5{count_phrase}."],
    },
    "proof_no_count": {
        "energetic": ["¡Valorado con {rating} de 5!"],
        "professional": ["Los clientes lo valoran con {rating} de 5."],
        "friendly": ["Bien valorado: {rating} de 5."],
    },
    "count_phrase": "en {n_reviews}",
    "nouns": {"reviews": ("opinión", "opiniones"), "buyers": ("comprador", "compradores")},
    "offer_reduced": {
        "energetic": ["¡Ahora solo {price} en vez de {regular}!"],
        "professional": ["Ahora {price}, antes {regular}."],
        "friendly": ["Y ahora cuesta {price} en vez de {regular}."],
    },
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
    "overlay": {
        "offer": "{price}",
        "cta": "[Compra ya|Enlace abajo]",
        "offer_no_price": "Ya disponible",
        "proof": "★ {rating}",
    },
    "headlines": ["Dato útil", "Punto fuerte", "Detalles clave"],
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
            "{feature}.",
            "[E tem mais|E não para por aí|Além disso]: {feature_lc}!",
            "[A melhor parte|O melhor de tudo|Presta atenção nisso]: {feature_lc}!",
        ],
        "professional": [
            "{feature}.",
            "[Além disso|Outro destaque|Vale destacar]: {feature_lc}.",
            "[Ponto-chave|Na prática]: {feature_lc}.",
        ],
        "friendly": [
            "{feature}.",
            "[O que eu mais amo|Um detalhe que eu adoro|O mais legal]: {feature_lc}.",
            "[E ainda|E também|Ah, e mais]: {feature_lc}.",
        ],
    },
    "extend": {
        "energetic": ["[Veja cada detalhe de perto|Confira todos os detalhes de perto]."],
        "professional": ["Aqui estão os detalhes de perto."],
        "friendly": ["Dá uma olhada nos detalhes."],
    },
    "proof": {
        "energetic": [
            "Nota {rating} de 5 em {n_reviews}!",
            "{n_reviews} e nota {rating} de 5!",
        ],
        "professional": [
            "[Os clientes dão nota|Nota média dos clientes:] {rating} de 5{count_phrase}."
        ],
        "friendly": ["[A galera adora|Todo mundo ama]: nota {rating} de 5{count_phrase}."],
    },
    "proof_no_count": {
        "energetic": ["Nota {rating} de 5!"],
        "professional": ["Nota média dos clientes: {rating} de 5."],
        "friendly": ["A galera aprova: nota {rating} de 5."],
    },
    "offer_reduced": {
        "energetic": ["De {regular} por apenas {price}!"],
        "professional": ["De {regular} por {price}."],
        "friendly": ["E agora sai de {regular} por só {price}."],
    },
    "count_phrase": "em {n_reviews}",
    "nouns": {
        "reviews": ("avaliação", "avaliações"),
        "buyers": ("cliente satisfeito", "clientes satisfeitos"),
    },
    "offer": {
        "energetic": [
            "[Tudo isso por apenas|Tudo por só] {price}!",
            "[Seu por|Leve já por] {price}!",
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
        "offer_no_price": "Já disponível",
        "proof": "★ {rating}",
    },
    "headlines": ["Vale saber", "Ponto forte", "Detalhes importantes"],
    "generic": ["Ideal para o dia a dia", "Qualidade e praticidade em cada detalhe"],
    "product": "este produto",
}

BANKS = {"en": EN, "de": DE, "fr": FR, "es": ES, "pt": PT}
