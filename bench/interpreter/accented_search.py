topics = ["la capitale de la France est Paris", "eine Primzahl hat genau zwei Teiler", "l’eau bout à cent degrés", "die Liste ist noch nicht sortiert", "la lumière voyage très vite", "ein Binärbaum hat zwei große Kinder", "東京は日本の首都です"]
verdicts = ["exact", "à moitié juste", "falsch", "unklar", "hors sujet"]
lines = []
for i in range(50000):
    lines.append(f"réponse {i} : le modèle dit « {topics[i % 7]} » ; Prüfung {verdicts[i % 5]} ; note {i % 100} über 100")
text = "\n".join(lines)
words = ["Paris", "Binärbaum", "réponse 49999 :", "note 99 über", "Quantenphysik", "mitochondrie", "首都です", "Prüfung vielleicht", "réponse 50000", "le modèle disait", "zwei Teilerß", "東京タワー"]
found = 0
positions = 0
for round in range(4):
    for word in words:
        if word in text:
            found += 1
        at = text.find(word)
        if at != -1:
            positions += at
print(len(text), found, positions)
