topics = ["la capitale de la France est Paris", "eine Primzahl hat genau zwei Teiler", "l’eau bout à cent degrés", "die Liste ist noch nicht sortiert", "la lumière voyage très vite", "ein Binärbaum hat zwei große Kinder", "東京は日本の首都です"]
verdicts = ["exact", "à moitié juste", "falsch", "unklar", "hors sujet"]
lines = []
for i in range(50000):
    lines.append(f"réponse {i} : le modèle dit « {topics[i % 7]} » ; Prüfung {verdicts[i % 5]} ; note {i % 100} über 100")
text = "\n".join(lines)
answers = text.split("\n")
fields = 0
verdict_words = 0
for answer in answers:
    parts = answer.split(" ; ")
    fields += len(parts)
    verdict_words += len(parts[1].split(" "))
words = text.split()
early = 0
passed = 0
characters = 0
for line in text.split("\n"):
    if line.startswith("réponse 1"):
        early += 1
    if line.endswith("note 99 über 100"):
        passed += 1
    characters += len(line)
print(len(answers), fields, verdict_words, len(words), early, passed, characters)
