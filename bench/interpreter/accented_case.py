topics = ["la capitale de la France est Paris", "eine Primzahl hat genau zwei Teiler", "l’eau bout à cent degrés", "die Liste ist noch nicht sortiert", "la lumière voyage très vite", "ein Binärbaum hat zwei große Kinder", "東京は日本の首都です"]
verdicts = ["exact", "à moitié juste", "falsch", "unklar", "hors sujet"]
lines = []
for i in range(50000):
    lines.append(f"réponse {i} : le modèle dit « {topics[i % 7]} » ; Prüfung {verdicts[i % 5]} ; note {i % 100} über 100")
text = "\n".join(lines)
total = 0
shouted = 0
for line in lines:
    clean = ("  \t" + line + " \n").strip()
    total += len(clean)
    if "PRÜFUNG FALSCH" in clean.upper():
        shouted += 1
    if clean.lower().startswith("réponse 7"):
        total += 1
upper = text.upper()
lower = upper.lower()
print(total, shouted, len(upper), len(lower), upper.find("BINÄRBAUM"))
