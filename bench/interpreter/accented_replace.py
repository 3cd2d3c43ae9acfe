from _answers import accented_answer_lines

lines = accented_answer_lines()
text = "\n".join(lines)
edited = text.replace("le modèle dit", "l’assistant répond")
edited = edited.replace(" ; ", " | ")
edited = edited.replace("Prüfung falsch", "Prüfung: völlig falsch")
edited = edited.replace("é", "e")
per_answer = 0
for line in lines:
    per_answer += len(line.replace("über", "sur").replace("首都", "しゅと"))
print(len(edited), per_answer)
