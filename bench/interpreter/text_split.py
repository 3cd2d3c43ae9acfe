from _answers import answer_lines

lines = answer_lines()
text = "\n".join(lines)
answers = text.split("\n")
fields = 0
verdict_words = 0
for answer in answers:
    parts = answer.split("; ")
    fields += len(parts)
    verdict_words += len(parts[1].split(" "))
words = text.split()
spaced = text.split(" ")
print(len(answers), fields, verdict_words, len(words), len(spaced))
