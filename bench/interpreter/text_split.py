topics = ["the capital of France is Paris", "a prime number has two divisors", "water boils at 100 degrees", "the list is not sorted yet", "light travels fast in vacuum", "a binary tree has two children", "plants use photosynthesis"]
verdicts = ["correct", "partly correct", "wrong", "unclear", "off topic"]
lines = []
for i in range(50000):
    lines.append(f"answer {i}: the model says {topics[i % 7]}; verdict {verdicts[i % 5]}; score {i % 100} of 100")
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
