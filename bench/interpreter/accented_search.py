from _answers import accented_answer_lines

lines = accented_answer_lines()
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
