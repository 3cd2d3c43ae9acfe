from _answers import answer_lines

lines = answer_lines()
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
