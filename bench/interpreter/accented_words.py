from _answers import accented_answer_lines

lines = accented_answer_lines()
text = "\n".join(lines)
counts = {}
for word in text.lower().split():
    counts[word] = counts.get(word, 0) + 1
top = sorted(counts, key=lambda word: (-counts[word], word))
print(len(counts), top[0], counts[top[0]], top[1], counts[top[1]], top[2], counts[top[2]], top[-1])
