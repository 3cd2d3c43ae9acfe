topics = ["the capital of France is Paris", "a prime number has two divisors", "water boils at 100 degrees", "the list is not sorted yet", "light travels fast in vacuum", "a binary tree has two children", "plants use photosynthesis"]
verdicts = ["correct", "partly correct", "wrong", "unclear", "off topic"]
lines = []
for i in range(50000):
    lines.append(f"answer {i}: the model says {topics[i % 7]}; verdict {verdicts[i % 5]}; score {i % 100} of 100")
text = "\n".join(lines)
edited = text.replace("the model says", "the assistant answers")
edited = edited.replace("; ", " | ")
edited = edited.replace("verdict wrong", "verdict: incorrect")
edited = edited.replace("0", "zero")
per_answer = 0
for line in lines:
    per_answer += len(line.replace("score", "points").replace("verdict", "grade"))
print(len(edited), per_answer)
