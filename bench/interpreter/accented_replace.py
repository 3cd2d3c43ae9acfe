topics = ["la capitale de la France est Paris", "eine Primzahl hat genau zwei Teiler", "l’eau bout à cent degrés", "die Liste ist noch nicht sortiert", "la lumière voyage très vite", "ein Binärbaum hat zwei große Kinder", "東京は日本の首都です"]
verdicts = ["exact", "à moitié juste", "falsch", "unklar", "hors sujet"]
lines = []
for i in range(50000):
    lines.append(f"réponse {i} : le modèle dit « {topics[i % 7]} » ; Prüfung {verdicts[i % 5]} ; note {i % 100} über 100")
text = "\n".join(lines)
edited = text.replace("le modèle dit", "l’assistant répond")
edited = edited.replace(" ; ", " | ")
edited = edited.replace("Prüfung falsch", "Prüfung: völlig falsch")
edited = edited.replace("é", "e")
per_answer = 0
for line in lines:
    per_answer += len(line.replace("über", "sur").replace("首都", "しゅと"))
print(len(edited), per_answer)
