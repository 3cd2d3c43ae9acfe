from _answers import answer_lines

lines = answer_lines()
text = "\n".join(lines)
early = 0
perfect = 0
wrong = 0
characters = 0
for line in text.split("\n"):
    if line.startswith("answer 1"):
        early += 1
    if line.endswith("score 99 of 100"):
        perfect += 1
    if "verdict wrong" in line:
        wrong += 1
    characters += len(line)
print(early, perfect, wrong, characters)
