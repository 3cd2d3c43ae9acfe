from _answers import accented_answer_lines

lines = accented_answer_lines()
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
