topics = ["the capital of France is Paris", "a prime number has two divisors", "water boils at 100 degrees", "the list is not sorted yet", "light travels fast in vacuum", "a binary tree has two children", "plants use photosynthesis"]
verdicts = ["correct", "partly correct", "wrong", "unclear", "off topic"]
lines = []
for i in range(50000):
    lines.append(f"answer {i}: the model says {topics[i % 7]}; verdict {verdicts[i % 5]}; score {i % 100} of 100")
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
