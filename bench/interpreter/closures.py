# map, filter and reduce with closures over 300,000 items, three times.
from functools import reduce
xs = list(range(300000))
result = 0
for round_ in range(3):
    offset = round_
    result += reduce(lambda acc, x: acc + x, filter(lambda x: x % 2 == 0, map(lambda x: x * 3 + offset, xs)), 0)
print(result)
