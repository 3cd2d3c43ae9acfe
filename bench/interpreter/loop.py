total = 0
for i in range(3000000):
    r = i % 3
    if r == 0:
        total += i
    elif r == 1:
        total -= 1
    else:
        total += 2
print(total)
