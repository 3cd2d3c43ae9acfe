from _answers import answer_lines

lines = answer_lines()
text = "\n".join(lines)
edited = text.replace("the model says", "the assistant answers")
edited = edited.replace("; ", " | ")
edited = edited.replace("verdict wrong", "verdict: incorrect")
edited = edited.replace("0", "zero")
per_answer = 0
for line in lines:
    per_answer += len(line.replace("score", "points").replace("verdict", "grade"))
print(len(edited), per_answer)
