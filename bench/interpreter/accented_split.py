from _answers import accented_answer_lines

lines = accented_answer_lines()
text = "\n".join(lines)
answers = text.split("\n")
fields = 0
verdict_words = 0
for answer in answers:
    parts = answer.split(" ; ")
    fields += len(parts)
    verdict_words += len(parts[1].split(" "))
words = text.split()
early = 0
passed = 0
characters = 0
for line in text.split("\n"):
    if line.startswith("réponse 1"):
        early += 1
    if line.endswith("note 99 über 100"):
        passed += 1
    characters += len(line)
print(len(answers), fields, verdict_words, len(words), early, passed, characters)
