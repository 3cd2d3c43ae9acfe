topics = ["the capital of France is Paris", "a prime number has two divisors", "water boils at 100 degrees", "the list is not sorted yet", "light travels fast in vacuum", "a binary tree has two children", "plants use photosynthesis"]
verdicts = ["correct", "partly correct", "wrong", "unclear", "off topic"]
lines = []
for i in range(50000):
    lines.append(f"answer {i}: the model says {topics[i % 7]}; verdict {verdicts[i % 5]}; score {i % 100} of 100")
text = "\n".join(lines)
total = 0
shouted = 0
for line in lines:
    clean = ("  \t" + line + " \n").strip()
    total += len(clean)
    if "VERDICT WRONG" in clean.upper():
        shouted += 1
    if clean.lower().startswith("answer 7"):
        total += 1
upper = text.upper()
lower = upper.lower()
print(total, shouted, len(upper), len(lower), upper.find("PHOTOSYNTHESIS"))
