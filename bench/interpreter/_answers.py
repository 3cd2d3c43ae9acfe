# The texts the string programs work on; see _answers.seed.


def answer_lines():
    topics = ["the capital of France is Paris", "a prime number has two divisors", "water boils at 100 degrees", "the list is not sorted yet", "light travels fast in vacuum", "a binary tree has two children", "plants use photosynthesis"]
    verdicts = ["correct", "partly correct", "wrong", "unclear", "off topic"]
    lines = []
    for i in range(50000):
        lines.append(f"answer {i}: the model says {topics[i % 7]}; verdict {verdicts[i % 5]}; score {i % 100} of 100")
    return lines


def accented_answer_lines():
    topics = ["la capitale de la France est Paris", "eine Primzahl hat genau zwei Teiler", "l’eau bout à cent degrés", "die Liste ist noch nicht sortiert", "la lumière voyage très vite", "ein Binärbaum hat zwei große Kinder", "東京は日本の首都です"]
    verdicts = ["exact", "à moitié juste", "falsch", "unklar", "hors sujet"]
    lines = []
    for i in range(50000):
        lines.append(f"réponse {i} : le modèle dit « {topics[i % 7]} » ; Prüfung {verdicts[i % 5]} ; note {i % 100} über 100")
    return lines
