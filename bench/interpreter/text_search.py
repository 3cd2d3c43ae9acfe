from _answers import answer_lines

lines = answer_lines()
text = "\n".join(lines)
words = ["Paris", "photosynthesis", "answer 49999:", "score 99 of", "quantum", "mitochondria", "Paris is", "verdict maybe", "answer 50000", "the model said", "two divisorz", "binary search"]
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
