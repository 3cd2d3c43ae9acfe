topics = ["the capital of France is Paris", "a prime number has two divisors", "water boils at 100 degrees", "the list is not sorted yet", "light travels fast in vacuum", "a binary tree has two children", "plants use photosynthesis"]
verdicts = ["correct", "partly correct", "wrong", "unclear", "off topic"]
lines = []
for i in range(50000):
    lines.append(f"answer {i}: the model says {topics[i % 7]}; verdict {verdicts[i % 5]}; score {i % 100} of 100")
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
