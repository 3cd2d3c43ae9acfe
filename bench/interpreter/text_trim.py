from _answers import answer_lines

lines = answer_lines()
text = "\n".join(lines)
headed = 0
closed = 0
same = 0
clean = ""
for round in range(10):
    padded = "\n\n   \t" + text + " \r\n\n  "
    clean = padded.strip()
    if clean.startswith("answer 0: the model says"):
        headed += 1
    if padded.startswith("answer 0:"):
        headed += 100
    if clean.endswith("score 99 of 100"):
        closed += 1
    if padded.endswith("score 99 of 100"):
        closed += 100
    if clean == text:
        same += 1
print(headed, closed, same, len(clean))
